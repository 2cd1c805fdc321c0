package io.framewise.pipeline.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RoundStatsTest {

    @Test
    void mediansAndRatiosArePerRoundPair() {
        RoundStats s = new RoundStats(new double[] {100, 50, 110}, new double[] {200, 100, 200});
        assertArrayEquals(new double[] {0.5, 0.5, 0.55}, s.ratios(), 1e-12);
        assertEquals(100, s.fwMedian());
        assertEquals(200, s.peerMedian());
        assertEquals(0.5, s.ratioMedian());
        assertEquals(0.6, RoundStats.spread(s.fw()), 1e-12);
        assertEquals(2.5, RoundStats.median(new double[] {4, 1, 3, 2}));
    }

    @Test
    void verdictTellsMachineNoiseFromAFramewiseSlump() {
        assertEquals("steady", new RoundStats(new double[] {100, 101, 99}, new double[] {200, 150, 210}).verdict());
        assertTrue(new RoundStats(new double[] {100, 50, 100}, new double[] {200, 100, 200}).verdict()
                .startsWith("machine noise"));
        assertTrue(new RoundStats(new double[] {100, 50, 100}, new double[] {200, 201, 199}).verdict()
                .startsWith("FRAMEWISE-ONLY"));
        assertTrue(new RoundStats(new double[] {100, 50}, new double[0]).verdict().startsWith("unsteady"));
    }

    @Test
    void peerRoundsMustPairWithFramewiseRounds() {
        assertThrows(IllegalArgumentException.class, () -> new RoundStats(new double[] {1, 2}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new RoundStats(new double[0], new double[0]));
    }
}
