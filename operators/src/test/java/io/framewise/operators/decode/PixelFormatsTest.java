package io.framewise.operators.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.inference.preprocess.ImageFiles;
import io.framewise.inference.preprocess.ResizePlan;
import io.framewise.inference.preprocess.RgbImage;
import io.framewise.operators.frames.Codec;
import io.framewise.operators.frames.FrameRecordMeta;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Lossless encodings in the pixel layouts cameras and tools produce (grey, palette, RGBA, top-down
 * BMP…) must decode to exactly what classify's file decoder ({@link ImageFiles}) plus
 * {@link ResizePlan} gives for the same bytes, at model sizes other than 224 too.
 */
class PixelFormatsTest {

    private static FrameDecoder decoder;

    @BeforeAll
    static void open() {
        decoder = new FrameDecoder(160, 128);
    }

    @AfterAll
    static void close() {
        decoder.close();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({
        "gray, png", "gray, bmp", "palette, png", "palette, bmp", "rgba, png", "rgb, png", "rgb, bmp", "odd, png",
        "odd, bmp",
    })
    void decodesLikeClassify(String layout, String format) throws Exception {
        BufferedImage photo = MediaFixtures.readImage("parrot.jpg");
        BufferedImage img = convert(photo, layout);
        byte[] encoded = MediaFixtures.encode(img, format);

        RgbImage expected = ImageFiles.decode(encoded, layout + "." + format);
        byte[] want = new byte[128 * 160 * 3];
        ResizePlan.full(expected.width(), expected.height(), 160, 128).resize(expected.pixels(), want, 0);

        DecodeResult r = decoder.decode(FrameRecordMeta.of(Codec.fromWireName(format).orElseThrow(), 0L, 0), encoded);
        assertTrue(r.isOk(), r::toString);
        DecodedFrame f = r.frames().get(0);
        assertEquals(expected.width(), f.sourceWidth());
        assertEquals(expected.height(), f.sourceHeight());
        assertEquals(MediaFixtures.sha256(want), MediaFixtures.sha256(f.rgb()), layout + " " + format + ", mean abs diff "
                + ReferencePixelsTest.meanAbsDiff(want, f.rgb()));
    }

    private static BufferedImage convert(BufferedImage src, String layout) {
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage out = switch (layout) {
            case "gray" -> new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            case "palette" -> new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, webSafe());
            case "rgba" -> new BufferedImage(w, h, BufferedImage.TYPE_4BYTE_ABGR);
            case "odd" -> new BufferedImage(101, 37, BufferedImage.TYPE_3BYTE_BGR); // odd sizes: row padding
            default -> new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        };
        Graphics2D g = out.createGraphics();
        g.drawImage(src, 0, 0, out.getWidth(), out.getHeight(), null);
        g.dispose();
        return out;
    }

    /**
     * 216 web-safe colours plus 40 greys: a full 256-entry palette. FFmpeg 8's BMP decoder rejects
     * 8-bit BMPs whose palette has fewer than 256 entries ("palette doesn't fit in packet", →
     * CORRUPT_IMAGE), which ImageIO writes for smaller colour models; cameras do not emit those.
     */
    private static IndexColorModel webSafe() {
        byte[] r = new byte[256];
        byte[] gg = new byte[256];
        byte[] b = new byte[256];
        int i = 0;
        for (int x = 0; x < 6; x++) {
            for (int y = 0; y < 6; y++) {
                for (int z = 0; z < 6; z++) {
                    r[i] = (byte) (x * 51);
                    gg[i] = (byte) (y * 51);
                    b[i++] = (byte) (z * 51);
                }
            }
        }
        for (; i < 256; i++) {
            r[i] = (byte) ((i - 216) * 6);
            gg[i] = r[i];
            b[i] = r[i];
        }
        return new IndexColorModel(8, 256, r, gg, b);
    }
}
