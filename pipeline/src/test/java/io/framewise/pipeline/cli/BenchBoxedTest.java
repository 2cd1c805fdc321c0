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
    void aFewHundredVectorsPerImageAreReportedButNotNamedTheMode() {
        String s = BenchCommand.boxed(new double[] {24083, 24080, 7392});
        assertTrue(s.contains("24 KB/img allocated (a few hundred vectors: not a boxing mode"), s);
        assertTrue(!s.contains("BOXED"), s);
        assertTrue(BenchCommand.boxed(new double[] {405 * 1024, 405 * 1024, 0}).contains("JIT BOXED VECTORS: 405 KB/img"));
    }

    @Test
    void oneRoundStillCompilingIsNotTheMode() {
        assertEquals("", BenchCommand.boxed(new double[] {20682, 29, 31}));
    }
}
