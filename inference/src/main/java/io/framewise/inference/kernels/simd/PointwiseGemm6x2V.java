package io.framewise.inference.kernels.simd;

import java.lang.invoke.MethodHandles;

import io.framewise.inference.kernels.PointwiseConv;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * 1×1 convolution / fully connected as a register-blocked GEMM: a tile of 6 pixel rows × 2 vectors of
 * output channels is accumulated in 12 registers over the whole of Cin.
 *
 * <p>Weights are packed once into panels of one vector of output channels, {@code [Cout/VL][Cin][VL]},
 * the last panel zero-padded. Panels are visited in blocks whose weights fit in L2 (so a block is
 * reused by every pixel tile), and inside a block every panel pair is applied to one 6-row input tile
 * while that tile is in L1. A pixel tail runs the same tile
 * with its missing rows aliased to the last row (not stored); a Cout tail is a masked store.
 *
 * <p>Hot spot: the k loop of {@link #tile6x2}: 2 weight loads + 6 broadcasts feed 12 independent FMA
 * chains (Zen 4 needs ≥ 8 chains in flight to hide the 4-cycle FMA latency at 1 zmm FMA/cycle).
 */
public final class PointwiseGemm6x2V implements PointwiseConv {

    private static final VectorSpecies<Float> S = SpeciesSpecialization.bound(MethodHandles.lookup());
    private static final int VL = S.length();
    private static final int MR = 6;
    private static final int NR = 2;
    /** Weight bytes of one panel block; about a quarter of Zen 4's 1 MiB L2. */
    private static final int BLOCK_BYTES = 256 * 1024;

    public PointwiseGemm6x2V(VectorSpecies<Float> species) {
        SpeciesSpecialization.check(S, species, PointwiseGemm6x2V.class);
    }

    /** This kernel specialized for {@code species} (see {@link SpeciesSpecialization}). */
    public static PointwiseConv of(VectorSpecies<Float> species) {
        return SpeciesSpecialization.instantiate(MethodHandles.lookup(), PointwiseConv.class, species);
    }

    @Override
    public float[] pack(float[] weights, int cin, int cout) {
        return PanelPacking.pointwise(weights, cin, cout, VL);
    }

    @Override
    public void run(float[] in, int inOff, int pixels, int cin, float[] packed, float[] bias, int cout,
                    float[] out, int outOff, float lo, float hi) {
        int panels = (cout + VL - 1) / VL;
        int panelBytes = Math.max(1, cin * VL * Float.BYTES);
        int block = Math.max(NR, BLOCK_BYTES / panelBytes / NR * NR);
        for (int pb = 0; pb < panels; pb += block) {
            int pe = Math.min(panels, pb + block);
            for (int p = 0; p < pixels; p += MR) {
                int rows = Math.min(MR, pixels - p);
                int a = inOff + p * cin;
                int o = outOff + p * cout;
                int j = pb;
                for (; j + NR <= pe; j += NR) {
                    tile6x2(in, a, rows, cin, packed, j * cin * VL, bias, j * VL, cout, out, o, lo, hi);
                }
                if (j < pe) {
                    tile6x1(in, a, rows, cin, packed, j * cin * VL, bias, j * VL, cout, out, o, lo, hi);
                }
            }
        }
    }

    /**
     * Rows past {@code rows} (pixel tail) re-read the last valid row and are not stored: a partial tile
     * still keeps 12 chains busy, which beats a 1-row tile with 2 latency-bound chains.
     */
    private static void tile6x2(float[] in, int a0, int rows, int cin, float[] w, int w0, float[] bias, int co, int cout,
                                float[] out, int o0, float lo, float hi) {
        int co1 = co + VL;
        VectorMask<Float> m0 = S.indexInRange(co, cout);
        VectorMask<Float> m1 = S.indexInRange(co1, cout);
        FloatVector b0 = FloatVector.fromArray(S, TailAccess.fit(bias, co, VL), TailAccess.fitOff(bias, co, VL), m0);
        FloatVector b1 = FloatVector.fromArray(S, TailAccess.fit(bias, co1, VL), TailAccess.fitOff(bias, co1, VL), m1);
        FloatVector c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1;
        FloatVector c30 = b0, c31 = b1, c40 = b0, c41 = b1, c50 = b0, c51 = b1;
        int a1 = a0 + Math.min(1, rows - 1) * cin, a2 = a0 + Math.min(2, rows - 1) * cin;
        int a3 = a0 + Math.min(3, rows - 1) * cin, a4 = a0 + Math.min(4, rows - 1) * cin;
        int a5 = a0 + Math.min(5, rows - 1) * cin;
        int w1 = w0 + cin * VL;
        for (int k = 0; k < cin; k++) {
            FloatVector v0 = FloatVector.fromArray(S, w, w0 + k * VL);
            FloatVector v1 = FloatVector.fromArray(S, w, w1 + k * VL);
            FloatVector x = FloatVector.broadcast(S, in[a0 + k]);
            c00 = x.fma(v0, c00);
            c01 = x.fma(v1, c01);
            x = FloatVector.broadcast(S, in[a1 + k]);
            c10 = x.fma(v0, c10);
            c11 = x.fma(v1, c11);
            x = FloatVector.broadcast(S, in[a2 + k]);
            c20 = x.fma(v0, c20);
            c21 = x.fma(v1, c21);
            x = FloatVector.broadcast(S, in[a3 + k]);
            c30 = x.fma(v0, c30);
            c31 = x.fma(v1, c31);
            x = FloatVector.broadcast(S, in[a4 + k]);
            c40 = x.fma(v0, c40);
            c41 = x.fma(v1, c41);
            x = FloatVector.broadcast(S, in[a5 + k]);
            c50 = x.fma(v0, c50);
            c51 = x.fma(v1, c51);
        }
        FloatVector l = FloatVector.broadcast(S, lo), u = FloatVector.broadcast(S, hi);
        if (rows == 6 && co1 + VL <= cout) {
            c00.max(l).min(u).intoArray(out, o0 + co);
            c01.max(l).min(u).intoArray(out, o0 + co1);
            c10.max(l).min(u).intoArray(out, o0 + cout + co);
            c11.max(l).min(u).intoArray(out, o0 + cout + co1);
            c20.max(l).min(u).intoArray(out, o0 + 2 * cout + co);
            c21.max(l).min(u).intoArray(out, o0 + 2 * cout + co1);
            c30.max(l).min(u).intoArray(out, o0 + 3 * cout + co);
            c31.max(l).min(u).intoArray(out, o0 + 3 * cout + co1);
            c40.max(l).min(u).intoArray(out, o0 + 4 * cout + co);
            c41.max(l).min(u).intoArray(out, o0 + 4 * cout + co1);
            c50.max(l).min(u).intoArray(out, o0 + 5 * cout + co);
            c51.max(l).min(u).intoArray(out, o0 + 5 * cout + co1);
            return;
        }
        boolean f0 = co + VL <= cout, f1 = co1 + VL <= cout;
        store(c00, l, u, out, o0 + co, m0, f0);
        store(c01, l, u, out, o0 + co1, m1, f1);
        if (rows > 1) {
            store(c10, l, u, out, o0 + cout + co, m0, f0);
            store(c11, l, u, out, o0 + cout + co1, m1, f1);
        }
        if (rows > 2) {
            store(c20, l, u, out, o0 + 2 * cout + co, m0, f0);
            store(c21, l, u, out, o0 + 2 * cout + co1, m1, f1);
        }
        if (rows > 3) {
            store(c30, l, u, out, o0 + 3 * cout + co, m0, f0);
            store(c31, l, u, out, o0 + 3 * cout + co1, m1, f1);
        }
        if (rows > 4) {
            store(c40, l, u, out, o0 + 4 * cout + co, m0, f0);
            store(c41, l, u, out, o0 + 4 * cout + co1, m1, f1);
        }
        if (rows > 5) {
            store(c50, l, u, out, o0 + 5 * cout + co, m0, f0);
            store(c51, l, u, out, o0 + 5 * cout + co1, m1, f1);
        }
    }

    /** The odd last panel of a block: 6 rows × 1 vector (6 chains). */
    private static void tile6x1(float[] in, int a0, int rows, int cin, float[] w, int w0, float[] bias, int co, int cout,
                                float[] out, int o0, float lo, float hi) {
        VectorMask<Float> m = S.indexInRange(co, cout);
        FloatVector b = FloatVector.fromArray(S, TailAccess.fit(bias, co, VL), TailAccess.fitOff(bias, co, VL), m);
        FloatVector c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b;
        int a1 = a0 + Math.min(1, rows - 1) * cin, a2 = a0 + Math.min(2, rows - 1) * cin;
        int a3 = a0 + Math.min(3, rows - 1) * cin, a4 = a0 + Math.min(4, rows - 1) * cin;
        int a5 = a0 + Math.min(5, rows - 1) * cin;
        for (int k = 0; k < cin; k++) {
            FloatVector v = FloatVector.fromArray(S, w, w0 + k * VL);
            c0 = FloatVector.broadcast(S, in[a0 + k]).fma(v, c0);
            c1 = FloatVector.broadcast(S, in[a1 + k]).fma(v, c1);
            c2 = FloatVector.broadcast(S, in[a2 + k]).fma(v, c2);
            c3 = FloatVector.broadcast(S, in[a3 + k]).fma(v, c3);
            c4 = FloatVector.broadcast(S, in[a4 + k]).fma(v, c4);
            c5 = FloatVector.broadcast(S, in[a5 + k]).fma(v, c5);
        }
        FloatVector l = FloatVector.broadcast(S, lo), u = FloatVector.broadcast(S, hi);
        if (rows == 6 && co + VL <= cout) {
            c0.max(l).min(u).intoArray(out, o0 + co);
            c1.max(l).min(u).intoArray(out, o0 + cout + co);
            c2.max(l).min(u).intoArray(out, o0 + 2 * cout + co);
            c3.max(l).min(u).intoArray(out, o0 + 3 * cout + co);
            c4.max(l).min(u).intoArray(out, o0 + 4 * cout + co);
            c5.max(l).min(u).intoArray(out, o0 + 5 * cout + co);
            return;
        }
        boolean f = co + VL <= cout;
        store(c0, l, u, out, o0 + co, m, f);
        if (rows > 1) {
            store(c1, l, u, out, o0 + cout + co, m, f);
        }
        if (rows > 2) {
            store(c2, l, u, out, o0 + 2 * cout + co, m, f);
        }
        if (rows > 3) {
            store(c3, l, u, out, o0 + 3 * cout + co, m, f);
        }
        if (rows > 4) {
            store(c4, l, u, out, o0 + 4 * cout + co, m, f);
        }
        if (rows > 5) {
            store(c5, l, u, out, o0 + 5 * cout + co, m, f);
        }
    }

    /** Bias is already in the accumulator; this is the clamp and the (masked, for a Cout tail) store. */
    private static void store(FloatVector acc, FloatVector l, FloatVector u, float[] out, int off,
                              VectorMask<Float> m, boolean full) {
        FloatVector v = acc.max(l).min(u);
        if (full) {
            v.intoArray(out, off);
        } else {
            storeMasked(v, out, off, m);
        }
    }

    /** A tail store; past the array end it goes through {@link TailAccess} (see there why). */
    private static void storeMasked(FloatVector v, float[] a, int off, VectorMask<Float> m) {
        if (off + VL <= a.length) {
            v.intoArray(a, off, m);
        } else {
            TailAccess.store(v.toArray(), a, off, m.trueCount());
        }
    }
}
