package io.framewise.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bench names the slow-JVM mode when the rounds allocate: the median, so one noisy round does not. */
class BenchBoxedTest {

    @Test
    void aWarmedUpForwardIsNotFlagged() {
        assertEquals("", BenchCommand.boxed(new double[] {29, 48, 33}));
    }

    @Test
    void roundsThatAllocateAreFlaggedWithTheirKilobytes() {
        String s = BenchCommand.boxed(new double[] {2257952, 2257953, 2257958});
        assertTrue(s.contains("JIT BOXED VECTORS: 2205 KB/img"), s);
    }

    @Test
    void oneRoundStillCompilingIsNotTheMode() {
        assertEquals("", BenchCommand.boxed(new double[] {20682, 29, 31}));
    }
}
