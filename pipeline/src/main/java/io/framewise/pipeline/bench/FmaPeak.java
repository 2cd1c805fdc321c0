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

    /** GFLOP/s on the calling thread (2 flops per FMA lane). */
    public static double measure(double seconds) {
        run(2_000_000); // compile
        long iters = 1_000_000;
        long t0 = System.nanoTime();
        long done = 0;
        float sink = 0;
        while (System.nanoTime() - t0 < seconds * 1e9) {
            sink += run(iters);
            done += iters;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (sink == 42.4242f) {
            System.out.print(""); // keeps the result alive
        }
        return done * 12.0 * S.length() * 2 / secs / 1e9;
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
