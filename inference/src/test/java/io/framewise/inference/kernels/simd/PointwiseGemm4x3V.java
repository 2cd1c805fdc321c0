package io.framewise.inference.kernels.simd;

import io.framewise.inference.kernels.PointwiseConv;
import java.lang.invoke.MethodHandles;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The alternative register tiling of {@link PointwiseGemm6x4V}: 4 pixel rows × 3 vectors of output
 * channels (12 accumulators, 3 weight loads + 4 broadcasts per k). Same packing, blocking and
 * allocation-free tail handling (overlapping last tile and last panel, see there); kept so the two
 * tilings can be benchmarked against each other (docs/benchmarks.md).
 *
 * <p>Hot spot: the k loop of {@link #tile4x3}.
 */
public final class PointwiseGemm4x3V implements PointwiseConv {

    private static final VectorSpecies<Float> S = SpeciesSpecialization.bound(MethodHandles.lookup());
    private static final int VL = S.length();
    private static final int MR = 4;
    private static final int NR = 3;
    private static final int BLOCK_BYTES = 256 * 1024;
    /** Lane indices 0..VL-1, compared against the Cout to form the blend mask of {@link #tileNarrow}. */
    private static final float[] IOTA = iota(VL);

    public PointwiseGemm4x3V(VectorSpecies<Float> species) {
        SpeciesSpecialization.check(S, species, PointwiseGemm4x3V.class);
    }

    public static PointwiseConv of(VectorSpecies<Float> species) {
        return SpeciesSpecialization.instantiate(MethodHandles.lookup(), PointwiseConv.class, species);
    }

    private static float[] iota(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    @Override
    public float[] pack(float[] weights, int cin, int cout) {
        return PanelPacking.pointwiseOverlapped(weights, cin, cout, VL);
    }

    @Override
    public void run(float[] in, int inOff, int pixels, int cin, float[] packed, float[] bias, int cout,
                    float[] out, int outOff, float lo, float hi, float scale, float grid, int c0, int c1) {
        if (grid != 0 || c0 != 0 || c1 != cout) {
            throw new UnsupportedOperationException(
                    "PointwiseGemm4x3V (a benchmark alternative) neither rounds to a grid nor runs column ranges");
        }
        if (cout < VL) {
            for (int p = 0; p < pixels; p += MR) {
                tileNarrow(in, inOff + p * cin, Math.min(MR, pixels - p), cin, packed, bias, cout,
                        out, outOff + p * cout, lo, hi);
            }
            return;
        }
        int panels = (cout + VL - 1) / VL;
        int panelBytes = Math.max(1, cin * VL * Float.BYTES);
        int block = Math.max(NR, BLOCK_BYTES / panelBytes / NR * NR);
        int rows = Math.min(MR, pixels);
        for (int pb = 0; pb < panels; pb += block) {
            int pe = Math.min(panels, pb + block);
            for (int p = 0; p < pixels; p += MR) {
                int p0 = Math.max(0, Math.min(p, pixels - MR)); // the last tile overlaps its neighbour
                int a = inOff + p0 * cin;
                int o = outOff + p0 * cout;
                int j = pb;
                for (; j + NR <= pe; j += NR) {
                    tile4x3(in, a, rows, cin, packed, j * cin * VL, bias, PanelPacking.panelStart(j, cout, VL),
                            PanelPacking.panelStart(j + 1, cout, VL), PanelPacking.panelStart(j + 2, cout, VL),
                            cout, out, o, lo, hi);
                }
                for (; j < pe; j++) {
                    tile4x1(in, a, rows, cin, packed, j * cin * VL, bias, PanelPacking.panelStart(j, cout, VL),
                            cout, out, o, lo, hi);
                }
            }
        }
    }

    /** Three consecutive panels at {@code w0}, channels starting at co0, co1, co2 (all inside Cout). */
    private static void tile4x3(float[] in, int a0, int rows, int cin, float[] w, int w0, float[] bias,
                                int co0, int co1, int co2, int cout, float[] out, int o0, float lo, float hi) {
        FloatVector b0 = FloatVector.fromArray(S, bias, co0);
        FloatVector b1 = FloatVector.fromArray(S, bias, co1);
        FloatVector b2 = FloatVector.fromArray(S, bias, co2);
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
        c00.max(l).min(u).intoArray(out, o0 + co0);
        c01.max(l).min(u).intoArray(out, o0 + co1);
        c02.max(l).min(u).intoArray(out, o0 + co2);
        if (rows > 1) {
            c10.max(l).min(u).intoArray(out, o1 + co0);
            c11.max(l).min(u).intoArray(out, o1 + co1);
            c12.max(l).min(u).intoArray(out, o1 + co2);
        }
        if (rows > 2) {
            c20.max(l).min(u).intoArray(out, o2 + co0);
            c21.max(l).min(u).intoArray(out, o2 + co1);
            c22.max(l).min(u).intoArray(out, o2 + co2);
        }
        if (rows > 3) {
            c30.max(l).min(u).intoArray(out, o3 + co0);
            c31.max(l).min(u).intoArray(out, o3 + co1);
            c32.max(l).min(u).intoArray(out, o3 + co2);
        }
    }

    /** One panel, channels {@code [co, co + VL)} inside Cout: 4 chains. */
    private static void tile4x1(float[] in, int a0, int rows, int cin, float[] w, int w0, float[] bias, int co,
                                int cout, float[] out, int o0, float lo, float hi) {
        FloatVector b = FloatVector.fromArray(S, bias, co);
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
        c0.max(l).min(u).intoArray(out, o0 + co);
        if (rows > 1) {
            c1.max(l).min(u).intoArray(out, o0 + cout + co);
        }
        if (rows > 2) {
            c2.max(l).min(u).intoArray(out, o0 + 2 * cout + co);
        }
        if (rows > 3) {
            c3.max(l).min(u).intoArray(out, o0 + 3 * cout + co);
        }
    }

    /** Cout below one vector: blend stores, as in {@link PointwiseGemm6x4V}. */
    private static void tileNarrow(float[] in, int a0, int rows, int cin, float[] w, float[] bias, int cout,
                                   float[] out, int o0, float lo, float hi) {
        FloatVector b = FloatVector.fromArray(S, TailAccess.fit(bias, 0, VL), 0);
        FloatVector c0 = b, c1 = b, c2 = b, c3 = b;
        int a1 = a0 + Math.min(1, rows - 1) * cin, a2 = a0 + Math.min(2, rows - 1) * cin;
        int a3 = a0 + Math.min(3, rows - 1) * cin;
        for (int k = 0; k < cin; k++) {
            FloatVector v = FloatVector.fromArray(S, w, k * VL);
            c0 = FloatVector.broadcast(S, in[a0 + k]).fma(v, c0);
            c1 = FloatVector.broadcast(S, in[a1 + k]).fma(v, c1);
            c2 = FloatVector.broadcast(S, in[a2 + k]).fma(v, c2);
            c3 = FloatVector.broadcast(S, in[a3 + k]).fma(v, c3);
        }
        FloatVector l = FloatVector.broadcast(S, lo), u = FloatVector.broadcast(S, hi);
        c0 = c0.max(l).min(u);
        c1 = c1.max(l).min(u);
        c2 = c2.max(l).min(u);
        c3 = c3.max(l).min(u);
        int o1 = o0 + cout, o2 = o1 + cout, o3 = o2 + cout;
        if (o0 + (rows - 1) * cout + VL <= out.length) {
            VectorMask<Float> m = FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.LT, (float) cout);
            FloatVector.fromArray(S, out, o0).blend(c0, m).intoArray(out, o0);
            if (rows > 1) {
                FloatVector.fromArray(S, out, o1).blend(c1, m).intoArray(out, o1);
            }
            if (rows > 2) {
                FloatVector.fromArray(S, out, o2).blend(c2, m).intoArray(out, o2);
            }
            if (rows > 3) {
                FloatVector.fromArray(S, out, o3).blend(c3, m).intoArray(out, o3);
            }
            return;
        }
        TailAccess.store(c0.toArray(), out, o0, cout);
        if (rows > 1) {
            TailAccess.store(c1.toArray(), out, o1, cout);
        }
        if (rows > 2) {
            TailAccess.store(c2.toArray(), out, o2, cout);
        }
        if (rows > 3) {
            TailAccess.store(c3.toArray(), out, o3, cout);
        }
    }
}
