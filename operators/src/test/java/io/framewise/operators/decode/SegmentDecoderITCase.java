package io.framewise.operators.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.inference.preprocess.ResizePlan;
import io.framewise.operators.frames.Codec;
import io.framewise.operators.frames.FrameRecordMeta;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Video segments cut from ../shared/videos at test time, decoded from memory. */
class SegmentDecoderITCase {

    private static final long CAPTURE_TS = 1_700_000_000_000L;
    private static FrameDecoder decoder;
    private static List<byte[]> sourceFrames; // [frame][224*224*3] source decoded by the grabber, resized by ResizePlan

    @BeforeAll
    static void setUp() throws Exception {
        decoder = new FrameDecoder(224, 224);
        sourceFrames = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(MediaFixtures.carVideo().toFile())) {
            g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
            g.start();
            ResizePlan plan = ResizePlan.full(g.getImageWidth(), g.getImageHeight(), 224, 224);
            Frame f;
            while ((f = g.grabImage()) != null) {
                byte[] out = new byte[224 * 224 * 3];
                plan.resize((ByteBuffer) f.image[0], 0, f.imageStride, out, 0);
                sourceFrames.add(out);
            }
        }
    }

    @AfterAll
    static void close() {
        decoder.close();
    }

    @Test
    void wholeFileDecodesToAsManyFramesAsTheGrabberReports() throws Exception {
        byte[] mp4 = Files.readAllBytes(MediaFixtures.carVideo());
        DecodeResult r = decoder.decode(FrameRecordMeta.of(Codec.MP4, CAPTURE_TS, 0), mp4);
        assertTrue(r.isOk(), r::toString);
        assertEquals(sourceFrames.size(), r.frames().size());
        assertEquals(377, r.frames().size(), "stack notes: car-detection.mp4 has 377 frames");
        for (int i = 0; i < r.frames().size(); i++) {
            DecodedFrame f = r.frames().get(i);
            assertEquals(i, f.index());
            assertEquals(CAPTURE_TS + i * 80L, f.ptsMs(), "12.5 fps = 80 ms per frame, frame " + i);
            assertEquals(768, f.sourceWidth());
            assertEquals(432, f.sourceHeight());
            // Same bitstream, same decoder; only the YUV->RGB rounding differs (the grabber's sws flags
            // are not ours), so the frames agree to well under one level on average.
            double mad = ReferencePixelsTest.meanAbsDiff(sourceFrames.get(i), f.rgb());
            assertTrue(mad < 1.0, "frame " + i + " differs from the grabber's by " + mad);
        }
        assertTrue(r.frames().get(0).keyFrame());
    }

    @ParameterizedTest(name = "{0} segment of frames [{1}, +{2})")
    @CsvSource({"mpegts, MPEGTS, 50, 25", "mp4, MP4, 100, 25", "matroska, MKV, 200, 25", "h264, H264, 300, 25"})
    void twoSecondSegmentsDecodeInOrderWithTimestamps(String format, Codec codec, int first, int count) throws Exception {
        byte[] seg = MediaFixtures.segment(MediaFixtures.CAR_VIDEO, format, first, count, 25);
        FrameRecordMeta meta = new FrameRecordMeta(1, codec, false, CAPTURE_TS, 9, OptionalDouble.of(12.5),
                OptionalInt.empty(), OptionalInt.empty());
        DecodeResult r = decoder.decode(meta, seg);
        assertTrue(r.isOk(), r::toString);
        assertEquals(count, r.frames().size());
        assertTrue(r.frames().get(0).keyFrame());
        for (int i = 0; i < count; i++) {
            DecodedFrame f = r.frames().get(i);
            assertEquals(i, f.index());
            assertEquals(CAPTURE_TS + i * 80L, f.ptsMs(), format + " frame " + i);
            // Re-encoded, so not bit-exact: the frame must be the source frame it was cut from and not
            // its neighbours (cars move between frames).
            double own = ReferencePixelsTest.meanAbsDiff(sourceFrames.get(first + i), f.rgb());
            assertTrue(own < 6.0, format + " frame " + i + " differs from its source by " + own);
        }
    }

    @Test
    void jpegPerRecordFramesMatchTheirSourceFrames() throws Exception {
        int first = 120;
        List<byte[]> jpegs = MediaFixtures.jpegFrames(MediaFixtures.CAR_VIDEO, first, 25, 0.9f);
        assertEquals(25, jpegs.size());
        for (int i = 0; i < jpegs.size(); i++) {
            DecodeResult r = decoder.decode(FrameRecordMeta.of(Codec.JPEG, CAPTURE_TS + i * 80L, first + i), jpegs.get(i));
            assertTrue(r.isOk(), r::toString);
            DecodedFrame f = r.frames().get(0);
            assertEquals(768, f.sourceWidth());
            assertEquals(CAPTURE_TS + i * 80L, f.ptsMs());
            double own = ReferencePixelsTest.meanAbsDiff(sourceFrames.get(first + i), f.rgb());
            double neighbour = ReferencePixelsTest.meanAbsDiff(sourceFrames.get(first + i + 12), f.rgb());
            assertTrue(own < 3.0, "JPEG " + i + " differs from its source frame by " + own);
            assertTrue(own < neighbour, "JPEG " + i + " is closer to frame +12 (" + neighbour + ") than to its own (" + own + ")");
        }
    }

    @Test
    void labeledSlideshowComesOutInOrderWithTimestamps() throws Exception {
        List<String> labels = List.of("cat.bmp", "bird.bmp", "parrot.jpg", "dragonfly.bmp", "hot_dog.jpg", "grace_hopper.bmp");
        int hold = 5;
        List<BufferedImage> images = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>(); // [label][224*224*3] photo resized the classify way
        for (String l : labels) {
            BufferedImage img = MediaFixtures.readImage(l);
            images.add(img);
            byte[] px = new byte[224 * 224 * 3];
            ResizePlan.full(img.getWidth(), img.getHeight(), 224, 224).resize(MediaFixtures.rgbSamples(img), px, 0);
            expected.add(px);
        }
        byte[] seg = MediaFixtures.slideshow(images, hold, "mpegts", 448, 336, 12.5, 10);
        DecodeResult r = decoder.decode(FrameRecordMeta.of(Codec.MPEGTS, CAPTURE_TS, 0), seg);
        assertTrue(r.isOk(), r::toString);
        assertEquals(labels.size() * hold, r.frames().size());
        for (int i = 0; i < r.frames().size(); i++) {
            DecodedFrame f = r.frames().get(i);
            int best = -1;
            double bestDiff = Double.MAX_VALUE;
            double secondDiff = Double.MAX_VALUE;
            for (int k = 0; k < expected.size(); k++) {
                double d = ReferencePixelsTest.meanAbsDiff(expected.get(k), f.rgb());
                if (d < bestDiff) {
                    secondDiff = bestDiff;
                    bestDiff = d;
                    best = k;
                } else if (d < secondDiff) {
                    secondDiff = d;
                }
            }
            assertEquals(labels.get(i / hold), labels.get(best), "frame " + i + " (diff " + bestDiff + ")");
            // Lossy re-encoding through a 448x336 video: not exact, but far nearer its photo than any other.
            assertTrue(bestDiff < 0.5 * secondDiff, "frame " + i + " is only loosely like " + labels.get(best)
                    + ": " + bestDiff + " vs next " + secondDiff);
            assertEquals(CAPTURE_TS + i * 80L, f.ptsMs(), "frame " + i);
        }
    }
}
