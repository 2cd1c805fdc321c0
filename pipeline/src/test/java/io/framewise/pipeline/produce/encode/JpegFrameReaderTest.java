package io.framewise.pipeline.produce.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.decode.SharedData;
import io.framewise.operators.frames.Codec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class JpegFrameReaderTest {

    private static final String CAR = SharedData.video("car-detection.mp4").toString();

    @Test
    void everyFrameBecomesADecodableJpegOnTheSourceClock() throws Exception {
        int n = 0;
        try (JpegFrameReader r = new JpegFrameReader(CAR, 90, 0)) {
            assertEquals(12.5, r.frameRate(), 1e-9);
            assertEquals(377, r.expectedFrames());
            MediaChunk c;
            while ((c = r.next()) != null) {
                assertEquals(Codec.JPEG, c.codec());
                assertEquals(n * 80_000L, c.ptsMicros(), "frame " + n);
                if (n % 50 == 0) {
                    BufferedImage img = ImageIO.read(new ByteArrayInputStream(c.bytes()));
                    assertNotNull(img, "frame " + n + " decodes");
                    assertEquals(768, img.getWidth());
                    assertEquals(432, img.getHeight());
                }
                n++;
            }
        }
        assertEquals(377, n);
    }

    @Test
    void qualityChangesTheSize() throws Exception {
        byte[] high;
        byte[] low;
        try (JpegFrameReader r = new JpegFrameReader(CAR, 95, 0)) {
            high = r.next().bytes();
        }
        try (JpegFrameReader r = new JpegFrameReader(CAR, 30, 0)) {
            low = r.next().bytes();
        }
        assertTrue(low.length < high.length / 2, low.length + " vs " + high.length);
    }

    @Test
    void aRateCapKeepsTheFrameAtOrAfterEachSlot() throws Exception {
        int n = 0;
        long prev = -1;
        try (JpegFrameReader r = new JpegFrameReader(CAR, 50, 5)) {
            assertEquals(5.0, r.frameRate(), 1e-9);
            MediaChunk c;
            while ((c = r.next()) != null) {
                if (prev >= 0) {
                    // Source frames are 80 ms apart: the frame at or after each 200 ms mark is kept.
                    long gap = c.ptsMicros() - prev;
                    assertTrue(gap == 160_000L || gap == 240_000L, "gap before frame " + n + ": " + gap);
                    assertTrue(c.ptsMicros() >= n * 200_000L - 500, "frame " + n + " not before its slot");
                }
                prev = c.ptsMicros();
                n++;
            }
        }
        assertEquals(151, n);
    }

    @Test
    void missingFileIsAClearError() {
        IOException e = assertThrows(IOException.class, () -> new JpegFrameReader("/no/such/video.mp4", 90, 0));
        assertTrue(e.getMessage().contains("/no/such/video.mp4"), e.getMessage());
    }
}
