package io.framewise.pipeline.produce.encode;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * Encodes decoded frames as baseline JPEG at a fixed quality (1..100, the IJG scale every JPEG tool
 * uses, so "--quality 90" means what users expect). One instance per thread: the writer is reused.
 */
public final class JpegEncoder implements AutoCloseable {

    private final ImageWriter writer;
    private final ImageWriteParam param;
    private final Java2DFrameConverter converter = new Java2DFrameConverter();

    public JpegEncoder(int quality) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1..100, got " + quality);
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IllegalStateException("this JRE has no JPEG writer (java.desktop module missing?)");
        }
        writer = writers.next();
        param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality / 100f);
    }

    /** Encodes a BGR24 frame as grabbed by {@link VideoSource}. */
    public byte[] encode(Frame frame) throws IOException {
        return encode(converter.getBufferedImage(frame));
    }

    public byte[] encode(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(image.getWidth() * image.getHeight() / 4);
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.setOutput(null);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        writer.dispose();
        converter.close();
    }
}
