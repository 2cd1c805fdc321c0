package io.framewise.pipeline.produce.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FrameSamplerTest {

    private static int kept(FrameSampler s, double sourceFps, int frames) {
        int n = 0;
        for (int i = 0; i < frames; i++) {
            if (s.keep(Math.round(i * 1_000_000.0 / sourceFps))) {
                n++;
            }
        }
        return n;
    }

    @Test
    void halvesA30FpsSourceExactlyDespiteRounding() {
        assertEquals(150, kept(new FrameSampler(15), 30, 300));
    }

    @Test
    void keepsEverythingWithoutACapOrAboveTheSourceRate() {
        assertEquals(300, kept(new FrameSampler(0), 30, 300));
        assertEquals(300, kept(new FrameSampler(60), 30, 300));
    }

    @Test
    void restartsTheScheduleAfterAGapInsteadOfBursting() {
        FrameSampler s = new FrameSampler(10);
        s.keep(0);
        s.keep(100_000);
        // 5 s stall, then frames every 10 ms: only one per 100 ms may pass.
        int n = 0;
        for (int i = 0; i < 100; i++) {
            if (s.keep(5_000_000L + i * 10_000L)) {
                n++;
            }
        }
        assertEquals(10, n);
    }

    @Test
    void effectiveRate() {
        assertEquals(12.5, FrameSampler.effectiveRate(12.5, 0), 0);
        assertEquals(5, FrameSampler.effectiveRate(12.5, 5), 0);
        assertEquals(12.5, FrameSampler.effectiveRate(12.5, 30), 0);
        assertEquals(7, FrameSampler.effectiveRate(0, 7), 0);
    }

    @Test
    void expectedFramesScaleWithTheKeptRateAndRoundUp() {
        assertEquals(125, FrameSampler.expectedFrames(250, 25, 12.5));
        assertEquals(84, FrameSampler.expectedFrames(250, 30, 10)); // 83.3: a started interval keeps a frame
        assertEquals(250, FrameSampler.expectedFrames(250, 25, 25));
        assertEquals(250, FrameSampler.expectedFrames(250, 0, 5), "source rate unknown: its own count");
        assertEquals(-1, FrameSampler.expectedFrames(-1, 25, 5), "count unknown stays unknown");
    }
}
