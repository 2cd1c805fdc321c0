package io.framewise.pipeline.produce.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.decode.SharedData;
import io.framewise.operators.frames.Codec;
import io.framewise.operators.frames.MagicSniffer;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Cuts the real car-detection clip (H.264, 12.5 fps, 377 frames, keyframe every 60 frames). */
class SegmentCutsTest {

    private static final String CAR = SharedData.video("car-detection.mp4").toString();
    private static final int CAR_FRAMES = 377;

    /** Frames decoded from a segment and whether its first video packet is a keyframe. */
    record Decoded(int frames, boolean startsOnKey, int width, int height) {
    }

    static Decoded decode(byte[] segment) throws Exception {
        boolean key;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(new ByteArrayInputStream(segment), segment.length)) {
            g.start();
            AVPacket p = g.grabPacket();
            while (p != null && p.stream_index() != g.getVideoStream()) {
                p = g.grabPacket();
            }
            assertNotNull(p, "segment has no video packet");
            key = (p.flags() & avcodec.AV_PKT_FLAG_KEY) != 0;
        }
        int frames = 0;
        int w = 0;
        int h = 0;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(new ByteArrayInputStream(segment), segment.length)) {
            g.start();
            Frame f;
            while ((f = g.grabImage()) != null) {
                frames++;
                w = f.imageWidth;
                h = f.imageHeight;
            }
        }
        return new Decoded(frames, key, w, h);
    }

    static List<MediaChunk> readAll(MediaReader r) throws Exception {
        List<MediaChunk> out = new ArrayList<>();
        try (r) {
            MediaChunk c;
            while ((c = r.next()) != null) {
                out.add(c);
            }
        }
        return out;
    }

    @Test
    void twoSecondCutsDoNotMatchTheFilesKeyframesSoTheyAreReencoded() throws Exception {
        SegmentOptions opts = new SegmentOptions(2, Container.MPEGTS, 0);
        assertEquals(SegmentCuts.Mode.REENCODE, SegmentCuts.chooseMode(CAR, opts));
        List<MediaChunk> chunks = readAll(SegmentCuts.open(CAR, opts));
        // 25 frames per 2 s at 12.5 fps: 15 full segments and 2 frames left over.
        assertEquals(16, chunks.size());
        int total = 0;
        for (int i = 0; i < chunks.size(); i++) {
            MediaChunk c = chunks.get(i);
            assertEquals(Codec.MPEGTS, c.codec());
            assertEquals(Codec.MPEGTS, MagicSniffer.sniff(c.bytes()).orElse(null));
            assertEquals(i * 2_000_000L, c.ptsMicros(), "segment " + i + " start");
            Decoded d = decode(c.bytes());
            assertTrue(d.startsOnKey(), "segment " + i + " starts on a keyframe");
            assertEquals(c.frames(), d.frames(), "segment " + i + " frames");
            assertEquals(768, d.width());
            assertEquals(432, d.height());
            total += d.frames();
        }
        assertEquals(CAR_FRAMES, total);
    }

    @Test
    void cutsOnTheFilesOwnKeyframesAreRemuxed() throws Exception {
        // The file has an IDR every 60 frames = 4.8 s.
        SegmentOptions opts = new SegmentOptions(4.8, Container.MPEGTS, 0);
        assertEquals(SegmentCuts.Mode.REMUX, SegmentCuts.chooseMode(CAR, opts));
        List<MediaChunk> chunks = readAll(SegmentCuts.open(CAR, opts));
        assertEquals(7, chunks.size());
        int total = 0;
        for (int i = 0; i < chunks.size(); i++) {
            MediaChunk c = chunks.get(i);
            assertEquals(i * 4_800_000L, c.ptsMicros(), "segment " + i + " start");
            Decoded d = decode(c.bytes());
            assertTrue(d.startsOnKey(), "segment " + i + " starts on a keyframe");
            assertEquals(c.frames(), d.frames(), "segment " + i + " frames");
            total += d.frames();
        }
        assertEquals(CAR_FRAMES, total);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void everyContainerDecodesBackToAllFrames(Container container) throws Exception {
        for (SegmentCuts.Mode mode : SegmentCuts.Mode.values()) {
            SegmentOptions opts = new SegmentOptions(4.8, container, 0);
            List<MediaChunk> chunks = readAll(SegmentCuts.open(CAR, opts, mode));
            int total = 0;
            for (MediaChunk c : chunks) {
                assertEquals(container.codec(), MagicSniffer.sniff(c.bytes()).orElse(null), mode + " " + container);
                Decoded d = decode(c.bytes());
                assertTrue(d.startsOnKey(), mode + " " + container);
                total += d.frames();
            }
            assertEquals(CAR_FRAMES, total, mode + " " + container);
        }
    }

    @Test
    void aRateCapDropsFramesAndForcesReencoding() throws Exception {
        SegmentOptions opts = new SegmentOptions(4.8, Container.MPEGTS, 5);
        assertEquals(SegmentCuts.Mode.REENCODE, SegmentCuts.chooseMode(CAR, opts));
        List<MediaChunk> chunks = readAll(SegmentCuts.open(CAR, opts));
        int total = 0;
        for (MediaChunk c : chunks) {
            total += decode(c.bytes()).frames();
        }
        // 377 frames over 30.16 s sampled at 5 fps: one frame every 200 ms = 151 frames.
        assertEquals(151, total);
    }
}
