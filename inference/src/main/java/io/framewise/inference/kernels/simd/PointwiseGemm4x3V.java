package io.framewise.inference.kernels.simd;

import java.lang.invoke.MethodHandles;

import io.framewise.inference.kernels.PointwiseConv;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The alternative register tiling of {@link PointwiseGemm6x2V}: 4 pixel rows × 3 vectors of output
 * channels (12 accumulators, 3 weight loads + 4 broadcasts per k). Same packing and blocking; kept so
 * the two tilings can be benchmarked against each other (docs/benchmarks.md).
 *
 * <p>Hot spot: the k loop of {@link #tile4x3}.
 */
public final class PointwiseGemm4x3V implements PointwiseConv {

    private static final VectorSpecies<Float> S = SpeciesSpecialization.bound(MethodHandles.lookup());
    private static final int VL = S.length();
    private static final int MR = 4;
    private static final int NR = 3;
    private static final int BLOCK_BYTES = 256 * 1024;

    public PointwiseGemm4x3V(VectorSpecies<Float> species) {
        SpeciesSpecialization.check(S, species, PointwiseGemm4x3V.class);
    }

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
                    tile4x3(in, a, rows, cin, packed, j * cin * VL, bias, j * VL, cout, out, o, lo, hi);
                }
                for (; j < pe; j++) {
                    tile4x1(in, a, rows, cin, packed, j * cin * VL, bias, j * VL, cout, out, o, lo, hi);
                }
            }
        }
    }

    private static void tile4x3(float[] in, int a0, int rows, int cin, float[] w, int w0, float[] bias, int co, int cout,
                                float[] out, int o0, float lo, float hi) {
        int co1 = co + VL, co2 = co1 + VL;
        VectorMask<Float> m0 = S.indexInRange(co, cout);
        VectorMask<Float> m1 = S.indexInRange(co1, cout);
        VectorMask<Float> m2 = S.indexInRange(co2, cout);
        FloatVector b0 = FloatVector.fromArray(S, TailAccess.fit(bias, co, VL), TailAccess.fitOff(bias, co, VL), m0);
        FloatVector b1 = FloatVector.fromArray(S, TailAccess.fit(bias, co1, VL), TailAccess.fitOff(bias, co1, VL), m1);
        FloatVector b2 = FloatVector.fromArray(S, TailAccess.fit(bias, co2, VL), TailAccess.fitOff(bias, co2, VL), m2);
        FloatVector c00 = b0, c01 = b1, c02 = b2, c10 = b0, c11 = b1, c12 = b2;
        FloatVector c20 = b0, c21 = b1, c22 = b2, c30 = b0, c31 = b1, c32 = b2;
        int a1 = a0 + Math.min(1, rows - 1) * cin, a2 = a0 + Math.min(2, rows - 1) * cin;
        int a3 = a0 + Math.min(3, rows - 1) * cin;
        int w1 = w0 + cin * VL, w2 = w1 + cin * VL;
        for (int k = 0; k < cin; k++) {
            FloatVector v0 = FloatVector.fromArray(S, w, w0 + k * VL);
            FloatVector v1 = FloatVector.fromArray(S, w, w1 + k * VL);
            FloatVector v2 = FloatVector.fromArray(S, w, w2 + k * VL);
            FloatVector x = FloatVector.broadcast(S, in[a0 + k]);
            c00 = x.fma(v0, c00);
            c01 = x.fma(v1, c01);
            c02 = x.fma(v2, c02);
            x = FloatVector.broadcast(S, in[a1 + k]);
            c10 = x.fma(v0, c10);
            c11 = x.fma(v1, c11);
            c12 = x.fma(v2, c12);
            x = FloatVector.broadcast(S, in[a2 + k]);
            c20 = x.fma(v0, c20);
            c21 = x.fma(v1, c21);
            c22 = x.fma(v2, c22);
            x = FloatVector.broadcast(S, in[a3 + k]);
            c30 = x.fma(v0, c30);
            c31 = x.fma(v1, c31);
            c32 = x.fma(v2, c32);
        }
        FloatVector l = FloatVector.broadcast(S, lo), u = FloatVector.broadcast(S, hi);
        int o1 = o0 + cout, o2 = o1 + cout, o3 = o2 + cout;
        if (rows == 4 && co2 + VL <= cout) {
            c00.max(l).min(u).intoArray(out, o0 + co);
            c01.max(l).min(u).intoArray(out, o0 + co1);
            c02.max(l).min(u).intoArray(out, o0 + co2);
            c10.max(l).min(u).intoArray(out, o1 + co);
            c11.max(l).min(u).intoArray(out, o1 + co1);
            c12.max(l).min(u).intoArray(out, o1 + co2);
            c20.max(l).min(u).intoArray(out, o2 + co);
            c21.max(l).min(u).intoArray(out, o2 + co1);
            c22.max(l).min(u).intoArray(out, o2 + co2);
            c30.max(l).min(u).intoArray(out, o3 + co);
            c31.max(l).min(u).intoArray(out, o3 + co1);
            c32.max(l).min(u).intoArray(out, o3 + co2);
            return;
        }
        boolean f0 = co + VL <= cout, f1 = co1 + VL <= cout, f2 = co2 + VL <= cout;
        store(c00, l, u, out, o0 + co, m0, f0);
        store(c01, l, u, out, o0 + co1, m1, f1);
        store(c02, l, u, out, o0 + co2, m2, f2);
        if (rows > 1) {
            store(c10, l, u, out, o1 + co, m0, f0);
            store(c11, l, u, out, o1 + co1, m1, f1);
            store(c12, l, u, out, o1 + co2, m2, f2);
        }
        if (rows > 2) {
            store(c20, l, u, out, o2 + co, m0, f0);
            store(c21, l, u, out, o2 + co1, m1, f1);
            store(c22, l, u, out, o2 + co2, m2, f2);
        }
        if (rows > 3) {
            store(c30, l, u, out, o3 + co, m0, f0);
            store(c31, l, u, out, o3 + co1, m1, f1);
            store(c32, l, u, out, o3 + co2, m2, f2);
        }
    }

    private static void tile4x1(float[] in, int a0, int rows, int cin, float[] w, int w0, float[] bias, int co, int cout,
                                float[] out, int o0, float lo, float hi) {
        VectorMask<Float> m = S.indexInRange(co, cout);
        FloatVector b = FloatVector.fromArray(S, TailAccess.fit(bias, co, VL), TailAccess.fitOff(bias, co, VL), m);
        FloatVector c0 = b, c1 = b, c2 = b, c3 = b;
        int a1 = a0 + Math.min(1, rows - 1) * cin, a2 = a0 + Math.min(2, rows - 1) * cin;
        int a3 = a0 + Math.min(3, rows - 1) * cin;
        for (int k = 0; k < cin; k++) {
            FloatVector v = FloatVector.fromArray(S, w, w0 + k * VL);
            c0 = FloatVector.broadcast(S, in[a0 + k]).fma(v, c0);
            c1 = FloatVector.broadcast(S, in[a1 + k]).fma(v, c1);
            c2 = FloatVector.broadcast(S, in[a2 + k]).fma(v, c2);
            c3 = FloatVector.broadcast(S, in[a3 + k]).fma(v, c3);
        }
        FloatVector l = FloatVector.broadcast(S, lo), u = FloatVector.broadcast(S, hi);
        if (rows == 4 && co + VL <= cout) {
            c0.max(l).min(u).intoArray(out, o0 + co);
            c1.max(l).min(u).intoArray(out, o0 + cout + co);
            c2.max(l).min(u).intoArray(out, o0 + 2 * cout + co);
            c3.max(l).min(u).intoArray(out, o0 + 3 * cout + co);
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
    }

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
