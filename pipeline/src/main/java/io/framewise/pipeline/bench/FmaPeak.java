package io.framewise.pipeline.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures this machine's fp32 FMA ceiling from Java: 12 independent vector FMA chains (enough to
 * cover FMA latency × throughput on current x86 cores) at the preferred vector width, on one thread.
 * The figure the inference GFLOP/s are compared with.
 */
public final class FmaPeak {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private FmaPeak() {
    }

    /**
     * GFLOP/s on the calling thread (2 flops per FMA lane): the best of 5 slices of {@code seconds / 5}.
     * A peak is a maximum, and the best slice is the one least disturbed by other processes and by
     * the JIT (a first measurement read 0.1 GFLOP/s: the probe loop still interpreted after its first
     * C2 version was deoptimized at the loop exit).
     */
    public static double measure(double seconds) {
        for (int i = 0; i < 20; i++) {
            run(100_000); // compile run() itself, not only its loop on stack
        }
        float sink = 0;
        double best = 0;
        for (int slice = 0; slice < 5; slice++) {
            long iters = 100_000;
            long t0 = System.nanoTime();
            long done = 0;
            while (System.nanoTime() - t0 < seconds / 5 * 1e9) {
                sink += run(iters);
                done += iters;
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            best = Math.max(best, done * 12.0 * S.length() * 2 / secs / 1e9);
        }
        if (sink == 42.4242f) {
            System.out.print(""); // keeps the result alive
        }
        return best;
    }

    public static int lanes() {
        return S.length();
    }

    private static float run(long iters) {
        FloatVector m = FloatVector.broadcast(S, 0.999999f);
        FloatVector c = FloatVector.broadcast(S, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(S, 1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iters; i++) {
            a0 = a0.fma(m, c); a1 = a1.fma(m, c); a2 = a2.fma(m, c); a3 = a3.fma(m, c);
            a4 = a4.fma(m, c); a5 = a5.fma(m, c); a6 = a6.fma(m, c); a7 = a7.fma(m, c);
            a8 = a8.fma(m, c); a9 = a9.fma(m, c); a10 = a10.fma(m, c); a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
