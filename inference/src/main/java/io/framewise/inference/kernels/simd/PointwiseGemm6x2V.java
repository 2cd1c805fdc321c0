package io.framewise.inference.kernels.simd;

import java.lang.invoke.MethodHandles;

import io.framewise.inference.kernels.PointwiseConv;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * 1×1 convolution / fully connected as a register-blocked GEMM: a tile of 6 pixel rows × 2 vectors of
 * output channels is accumulated in 12 registers over the whole of Cin.
 *
 * <p>Weights are packed once into panels of one vector of output channels, {@code [Cout/VL][Cin][VL]}
 * ({@link PanelPacking#pointwiseOverlapped}: a Cout tail panel is shifted back to end at Cout). Panels
 * are visited in blocks whose weights fit in L2 (so a block is reused by every pixel tile), and inside
 * a block every panel pair is applied to one 6-row input tile while that tile is in L1.
 *
 * <p>Allocation-free by construction (JDK 17 boxes any vector C2 cannot keep in a register, and
 * materializes the box where the value is made, i.e. on every tile): no vector is passed to or
 * returned from a method, and every store is a full unmasked store (masked stores are not intrinsified
 * on 17). Tails are handled by overlap instead of masks: the last pixel tile starts at
 * {@code pixels - 6} and the last Cout panel at {@code cout - VL}, recomputing a few outputs with the
 * same operations, hence the same values. Only Cout below one vector needs a blend store
 * ({@link #tileNarrow}).
 *
 * <p>Hot spot: the k loop of {@link #tile6x2}: 2 weight loads + 6 broadcasts feed 12 independent FMA
 * chains.
 */
public final class PointwiseGemm6x2V implements PointwiseConv {

    private static final VectorSpecies<Float> S = SpeciesSpecialization.bound(MethodHandles.lookup());
    private static final int VL = S.length();
    private static final int MR = 6;
    private static final int NR = 2;
    /** Weight bytes of one panel block; about a quarter of a 1 MiB L2. */
    private static final int BLOCK_BYTES = 256 * 1024;
    /** Lane indices 0..VL-1, compared against the Cout to form the blend mask of {@link #tileNarrow}. */
    private static final float[] IOTA = iota(VL);

    public PointwiseGemm6x2V(VectorSpecies<Float> species) {
        SpeciesSpecialization.check(S, species, PointwiseGemm6x2V.class);
    }

    /** This kernel specialized for {@code species} (see {@link SpeciesSpecialization}). */
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
                    float[] out, int outOff, float lo, float hi) {
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
                    tile6x2(in, a, rows, cin, packed, j * cin * VL, (j + 1) * cin * VL, bias,
                            PanelPacking.panelStart(j, cout, VL), PanelPacking.panelStart(j + 1, cout, VL),
                            cout, out, o, lo, hi);
                }
                if (j < pe) {
                    tile6x1(in, a, rows, cin, packed, j * cin * VL, bias, PanelPacking.panelStart(j, cout, VL),
                            cout, out, o, lo, hi);
                }
            }
        }
    }

    /**
     * Channels {@code [co0, co0 + VL)} and {@code [co1, co1 + VL)}, both inside Cout. Rows past
     * {@code rows} (only when the whole call has fewer than 6 pixels) re-read the last row and store
     * its values onto it again: a partial tile still keeps 12 chains busy, without a branch.
     */
    private static void tile6x2(float[] in, int a0, int rows, int cin, float[] w, int w0, int w1, float[] bias,
                                int co0, int co1, int cout, float[] out, int o0, float lo, float hi) {
        FloatVector b0 = FloatVector.fromArray(S, bias, co0);
        FloatVector b1 = FloatVector.fromArray(S, bias, co1);
        FloatVector c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1;
        FloatVector c30 = b0, c31 = b1, c40 = b0, c41 = b1, c50 = b0, c51 = b1;
        int a1 = a0 + Math.min(1, rows - 1) * cin, a2 = a0 + Math.min(2, rows - 1) * cin;
        int a3 = a0 + Math.min(3, rows - 1) * cin, a4 = a0 + Math.min(4, rows - 1) * cin;
        int a5 = a0 + Math.min(5, rows - 1) * cin;
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
        // Rows past `rows` hold the last row's values again: stored onto that row (same values), so
        // there is no branch a rare 1-pixel call could take first after C2 compiled this (a deopt).
        FloatVector l = FloatVector.broadcast(S, lo), u = FloatVector.broadcast(S, hi);
        int o1 = o0 + Math.min(1, rows - 1) * cout, o2 = o0 + Math.min(2, rows - 1) * cout;
        int o3 = o0 + Math.min(3, rows - 1) * cout, o4 = o0 + Math.min(4, rows - 1) * cout;
        int o5 = o0 + Math.min(5, rows - 1) * cout;
        c00.max(l).min(u).intoArray(out, o0 + co0);
        c01.max(l).min(u).intoArray(out, o0 + co1);
        c10.max(l).min(u).intoArray(out, o1 + co0);
        c11.max(l).min(u).intoArray(out, o1 + co1);
        c20.max(l).min(u).intoArray(out, o2 + co0);
        c21.max(l).min(u).intoArray(out, o2 + co1);
        c30.max(l).min(u).intoArray(out, o3 + co0);
        c31.max(l).min(u).intoArray(out, o3 + co1);
        c40.max(l).min(u).intoArray(out, o4 + co0);
        c41.max(l).min(u).intoArray(out, o4 + co1);
        c50.max(l).min(u).intoArray(out, o5 + co0);
        c51.max(l).min(u).intoArray(out, o5 + co1);
    }

    /** The odd last panel of a block: 6 rows × 1 vector (6 chains), channels {@code [co, co + VL)} inside Cout. */
    private static void tile6x1(float[] in, int a0, int rows, int cin, float[] w, int w0, float[] bias, int co,
                                int cout, float[] out, int o0, float lo, float hi) {
        FloatVector b = FloatVector.fromArray(S, bias, co);
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
        int o1 = o0 + Math.min(1, rows - 1) * cout, o2 = o0 + Math.min(2, rows - 1) * cout;
        int o3 = o0 + Math.min(3, rows - 1) * cout, o4 = o0 + Math.min(4, rows - 1) * cout;
        int o5 = o0 + Math.min(5, rows - 1) * cout;
        c0.max(l).min(u).intoArray(out, o0 + co); // rows past `rows` land on the last row: see tile6x2
        c1.max(l).min(u).intoArray(out, o1 + co);
        c2.max(l).min(u).intoArray(out, o2 + co);
        c3.max(l).min(u).intoArray(out, o3 + co);
        c4.max(l).min(u).intoArray(out, o4 + co);
        c5.max(l).min(u).intoArray(out, o5 + co);
    }

    /**
     * Cout below one vector: 6 rows × 1 zero-padded panel. Each row is stored by blending into the
     * vector already in {@code out}, which needs VL floats in bounds: true with the planner's
     * {@code ARRAY_PAD}; an unpadded caller's last rows go through {@link TailAccess} (allocates).
     */
    private static void tileNarrow(float[] in, int a0, int rows, int cin, float[] w, float[] bias, int cout,
                                   float[] out, int o0, float lo, float hi) {
        FloatVector b = FloatVector.fromArray(S, TailAccess.fit(bias, 0, VL), 0);
        FloatVector c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b;
        int a1 = a0 + Math.min(1, rows - 1) * cin, a2 = a0 + Math.min(2, rows - 1) * cin;
        int a3 = a0 + Math.min(3, rows - 1) * cin, a4 = a0 + Math.min(4, rows - 1) * cin;
        int a5 = a0 + Math.min(5, rows - 1) * cin;
        for (int k = 0; k < cin; k++) {
            FloatVector v = FloatVector.fromArray(S, w, k * VL);
            c0 = FloatVector.broadcast(S, in[a0 + k]).fma(v, c0);
            c1 = FloatVector.broadcast(S, in[a1 + k]).fma(v, c1);
            c2 = FloatVector.broadcast(S, in[a2 + k]).fma(v, c2);
            c3 = FloatVector.broadcast(S, in[a3 + k]).fma(v, c3);
            c4 = FloatVector.broadcast(S, in[a4 + k]).fma(v, c4);
            c5 = FloatVector.broadcast(S, in[a5 + k]).fma(v, c5);
        }
        FloatVector l = FloatVector.broadcast(S, lo), u = FloatVector.broadcast(S, hi);
        c0 = c0.max(l).min(u);
        c1 = c1.max(l).min(u);
        c2 = c2.max(l).min(u);
        c3 = c3.max(l).min(u);
        c4 = c4.max(l).min(u);
        c5 = c5.max(l).min(u);
        int o1 = o0 + cout, o2 = o1 + cout, o3 = o2 + cout, o4 = o3 + cout, o5 = o4 + cout;
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
            if (rows > 4) {
                FloatVector.fromArray(S, out, o4).blend(c4, m).intoArray(out, o4);
            }
            if (rows > 5) {
                FloatVector.fromArray(S, out, o5).blend(c5, m).intoArray(out, o5);
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
        if (rows > 4) {
            TailAccess.store(c4.toArray(), out, o4, cout);
        }
        if (rows > 5) {
            TailAccess.store(c5.toArray(), out, o5, cout);
        }
    }
}
