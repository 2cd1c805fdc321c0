package io.framewise.pipeline.report;

import io.framewise.operators.decode.DecodeResult;
import io.framewise.operators.decode.DecodedFrame;
import io.framewise.operators.decode.FrameDecoder;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.header.Headers;

/**
 * Frame records to thumbnails through the job's own {@link FrameDecoder} (so a thumbnail shows the
 * pixels the model was given, decoded the same way), keeping the source's aspect ratio.
 *
 * <p>The decoder resizes to a fixed size without antialiasing (it is built for the model input), so
 * it decodes at twice the thumbnail size and Java2D area-averages down: a 768 px frame straight to
 * 160 px would alias visibly. A decoder per output size is kept; the height guess per camera is
 * usually right, a wrong one costs one extra decode.
 */
public final class Thumbnails implements AutoCloseable {

    /** Decoded thumbnails by frame index within the record, or why the record gave none. */
    public record Result(Map<Integer, BufferedImage> images, String failure) {
    }

    private final int width;
    private final Map<Long, FrameDecoder> decoders = new HashMap<>();
    private final Map<String, Integer> heightGuess = new HashMap<>();

    public Thumbnails(int width) {
        if (width < 16 || width > 1024) {
            throw new IllegalArgumentException("thumbnail width must be 16..1024, got " + width);
        }
        this.width = width;
    }

    int width() {
        return width;
    }

    /** Decodes a record and keeps the frames at {@code indexes}; never throws for bad bytes. */
    public Result decode(String camera, Headers headers, byte[] value, Set<Integer> indexes) {
        int h = heightGuess.getOrDefault(camera, width * 3 / 4);
        DecodeResult r = decoder(h).decode(headers, value);
        if (!r.isOk()) {
            return new Result(Map.of(), r.failure().reason() + ": " + r.failure().message());
        }
        DecodedFrame first = r.frames().get(0);
        int exact = Math.max(1, (int) Math.round((double) width * first.sourceHeight() / first.sourceWidth()));
        if (exact != h) {
            heightGuess.put(camera, exact);
            h = exact;
            r = decoder(h).decode(headers, value);
            if (!r.isOk()) {
                return new Result(Map.of(), r.failure().reason() + ": " + r.failure().message());
            }
        }
        Map<Integer, BufferedImage> out = new TreeMap<>();
        for (DecodedFrame f : r.frames()) {
            if (indexes.contains(f.index())) {
                out.put(f.index(), shrink(f, h));
            }
        }
        return new Result(out, out.isEmpty() ? "record decoded to " + r.frames().size() + " frame(s), none at "
                + indexes : null);
    }

    private FrameDecoder decoder(int height) {
        return decoders.computeIfAbsent(((long) width << 32) | height, k -> new FrameDecoder(2 * width, 2 * height));
    }

    private BufferedImage shrink(DecodedFrame f, int height) {
        BufferedImage big = new BufferedImage(f.outWidth(), f.outHeight(), BufferedImage.TYPE_INT_RGB);
        byte[] rgb = f.rgb(); // [outHeight][outWidth][3] RGB
        int[] row = new int[f.outWidth()];
        for (int y = 0; y < f.outHeight(); y++) {
            int base = y * f.outWidth() * 3;
            for (int x = 0; x < row.length; x++) {
                int i = base + 3 * x;
                row[x] = (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff);
            }
            big.setRGB(0, y, row.length, 1, row, 0, row.length);
        }
        BufferedImage small = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        small.getGraphics().drawImage(big.getScaledInstance(width, height, Image.SCALE_AREA_AVERAGING), 0, 0, null);
        return small;
    }

    @Override
    public void close() {
        decoders.values().forEach(FrameDecoder::close);
        decoders.clear();
    }
}
