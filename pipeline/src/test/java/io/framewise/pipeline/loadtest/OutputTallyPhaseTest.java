package io.framewise.pipeline.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The rate arithmetic behind the capacity probe and the sustained rate. */
class OutputTallyPhaseTest {

    @Test
    void steadyRateLeavesOutTheSlowFirstThird() {
        OutputTally.Phase p = new OutputTally.Phase();
        // 30 events: the first 10 slowly (JIT warm-up, 10/s), then 20 at 100/s
        long t = 1_000_000;
        p.created = new long[30];
        for (int i = 0; i < 30; i++) {
            t += i < 10 ? 100 : 10;
            p.created[p.createdCount++] = t;
        }
        assertEquals(100.0, p.steadyRate(), 1e-9);
    }

    @Test
    void steadyRateNeedsEnoughEvents() {
        OutputTally.Phase p = new OutputTally.Phase();
        p.created = new long[] {1, 2, 3};
        p.createdCount = 3;
        assertEquals(0.0, p.steadyRate());
    }

    @Test
    void createdRateCountsWholeSecondsInsideTheWindow() {
        OutputTally.Phase p = new OutputTally.Phase();
        p.createdPerSecond.put(99L, 500); // before the window
        p.createdPerSecond.put(100L, 150);
        p.createdPerSecond.put(101L, 160);
        p.createdPerSecond.put(102L, 999); // after it
        assertEquals(155.0, p.createdRate(100_000, 102_000), 1e-9);
        assertEquals(0.0, p.createdRate(102_000, 102_000));
    }
}
