package io.framewise.inference.kernels.simd;

import java.lang.invoke.MethodHandles;

import io.framewise.inference.kernels.DepthwiseConv;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Depthwise 3×3, stride 1 or 2, vectorized over channels and tiled as
 * (block of output rows) × (one channel vector) × (strips of 4 output columns).
 *
 * <p>Cache blocking: a row block is sized so its input rows (all channels) fit in about a quarter of L2;
 * inside it each channel vector walks the block's rows, so the 3 input rows it needs (3 × W × one
 * vector: 21 KiB for W = 112 at 512 bits) stay in L1 while the next output row reuses two of them.
 * The 9 taps and the bias of a channel vector live in registers for the whole row block.
 *
 * <p>Hot spot: {@link #strip4s1} / {@link #strip4s2}: for 4 adjacent output pixels, each input row
 * contributes 6 (stride 1) or 9 (stride 2) loads to 12 FMAs, i.e. 0.5-0.75 loads per FMA instead of
 * 2 for a per-pixel loop; Zen 4 does one 512-bit load per cycle, so loads are the limit.
 *
 * <p>Edges: padding rows read a shared all-zero row (so the strips need no row tests); columns whose
 * window crosses the left/right border and a channel tail that is not a full vector go through the
 * bounds-checked {@link #pixel} path.
 */
public final class DwConv3x3RowTiled implements DepthwiseConv {

    private static final VectorSpecies<Float> S = SpeciesSpecialization.bound(MethodHandles.lookup());
    private static final int VL = S.length();
    private static final int BLOCK_BYTES = 256 * 1024;
    /** Read-only zeros standing in for padding rows; replaced (never written) when a wider row is needed. */
    private static volatile float[] zeroRow = new float[0];

    public DwConv3x3RowTiled(VectorSpecies<Float> species) {
        SpeciesSpecialization.check(S, species, DwConv3x3RowTiled.class);
    }

    public static DepthwiseConv of(VectorSpecies<Float> species) {
        return SpeciesSpecialization.instantiate(MethodHandles.lookup(), DepthwiseConv.class, species);
    }

    @Override
    public float[] pack(float[] weights, int kh, int kw, int c) {
        requireShape(kh, kw, 1);
        return PanelPacking.depthwise(weights, kh, kw, c, VL);
    }

    private static void requireShape(int kh, int kw, int stride) {
        if (kh != 3 || kw != 3 || (stride != 1 && stride != 2)) {
            throw new IllegalArgumentException("3x3 stride 1/2 only, got " + kh + "x" + kw + " stride " + stride);
        }
    }

    private static float[] zeros(int n) {
        float[] z = zeroRow;
        if (z.length < n) {
            z = new float[n];
            zeroRow = z;
        }
        return z;
    }

    @Override
    public void run(float[] in, int inOff, int inRow0, int h, int w, int c,
                    int kh, int kw, int stride, int padTop, int padLeft,
                    float[] packed, float[] bias,
                    float[] out, int outOff, int outRow0, int oh, int ow, int oy0, int oy1,
                    float lo, float hi) {
        requireShape(kh, kw, stride);
        int cPad = (c + VL - 1) / VL * VL;
        int rowLen = w * c;
        float[] zero = zeros(rowLen + VL);
        // Interior columns: the whole 3-wide window is inside [0, w).
        int oxLo = Math.min(ow, (padLeft + stride - 1) / stride);
        int oxHi = w - 3 + padLeft < 0 ? oxLo : Math.max(oxLo, Math.min(ow, (w - 3 + padLeft) / stride + 1));
        long rowBytes = (long) rowLen * Float.BYTES;
        int block = (int) Math.max(1, (BLOCK_BYTES / Math.max(1, rowBytes) - 2) / stride);
        FloatVector l = FloatVector.broadcast(S, lo), u = FloatVector.broadcast(S, hi);
        for (int yb = oy0; yb < oy1; yb += block) {
            int ye = Math.min(oy1, yb + block);
            for (int ch = 0; ch < c; ch += VL) {
                boolean full = ch + VL <= c;
                VectorMask<Float> m = S.indexInRange(ch, c);
                FloatVector b = FloatVector.fromArray(S, TailAccess.fit(bias, ch, VL), TailAccess.fitOff(bias, ch, VL), m);
                FloatVector w00 = FloatVector.fromArray(S, packed, ch);
                FloatVector w01 = FloatVector.fromArray(S, packed, cPad + ch);
                FloatVector w02 = FloatVector.fromArray(S, packed, 2 * cPad + ch);
                FloatVector w10 = FloatVector.fromArray(S, packed, 3 * cPad + ch);
                FloatVector w11 = FloatVector.fromArray(S, packed, 4 * cPad + ch);
                FloatVector w12 = FloatVector.fromArray(S, packed, 5 * cPad + ch);
                FloatVector w20 = FloatVector.fromArray(S, packed, 6 * cPad + ch);
                FloatVector w21 = FloatVector.fromArray(S, packed, 7 * cPad + ch);
                FloatVector w22 = FloatVector.fromArray(S, packed, 8 * cPad + ch);
                for (int oy = yb; oy < ye; oy++) {
                    int iy = oy * stride - padTop;
                    float[] r0 = iy >= 0 && iy < h ? in : zero;
                    float[] r1 = iy + 1 >= 0 && iy + 1 < h ? in : zero;
                    float[] r2 = iy + 2 >= 0 && iy + 2 < h ? in : zero;
                    int o0 = r0 == in ? inOff + (iy - inRow0) * rowLen : 0;
                    int o1 = r1 == in ? inOff + (iy + 1 - inRow0) * rowLen : 0;
                    int o2 = r2 == in ? inOff + (iy + 2 - inRow0) * rowLen : 0;
                    int ob = outOff + (oy - outRow0) * ow * c + ch;
                    int ox = 0;
                    if (full) {
                        for (; ox < oxLo; ox++) {
                            pixel(r0, o0, r1, o1, r2, o2, w, c, ch, ox * stride - padLeft, packed, cPad, b, m, true,
                                    l, u, out, ob + ox * c);
                        }
                        int step = 4 * stride * c;
                        int ix = (ox * stride - padLeft) * c + ch;
                        if (stride == 1) {
                            for (; ox + 4 <= oxHi; ox += 4, ix += step) {
                                strip4s1(r0, o0 + ix, r1, o1 + ix, r2, o2 + ix, c, b,
                                        w00, w01, w02, w10, w11, w12, w20, w21, w22, l, u, out, ob + ox * c);
                            }
                        } else {
                            for (; ox + 4 <= oxHi; ox += 4, ix += step) {
                                strip4s2(r0, o0 + ix, r1, o1 + ix, r2, o2 + ix, c, b,
                                        w00, w01, w02, w10, w11, w12, w20, w21, w22, l, u, out, ob + ox * c);
                            }
                        }
                    }
                    for (; ox < ow; ox++) {
                        pixel(r0, o0, r1, o1, r2, o2, w, c, ch, ox * stride - padLeft, packed, cPad, b, m, full,
                                l, u, out, ob + ox * c);
                    }
                }
            }
        }
    }

    /** Four output pixels, stride 1: input columns x..x+5 of each row (offsets point at column x, channel ch). */
    private static void strip4s1(float[] r0, int i0, float[] r1, int i1, float[] r2, int i2, int c, FloatVector b,
                                 FloatVector w00, FloatVector w01, FloatVector w02,
                                 FloatVector w10, FloatVector w11, FloatVector w12,
                                 FloatVector w20, FloatVector w21, FloatVector w22,
                                 FloatVector l, FloatVector u, float[] out, int o) {
        FloatVector a0 = b, a1 = b, a2 = b, a3 = b;
        FloatVector x0 = FloatVector.fromArray(S, r0, i0);
        FloatVector x1 = FloatVector.fromArray(S, r0, i0 + c);
        FloatVector x2 = FloatVector.fromArray(S, r0, i0 + 2 * c);
        FloatVector x3 = FloatVector.fromArray(S, r0, i0 + 3 * c);
        FloatVector x4 = FloatVector.fromArray(S, r0, i0 + 4 * c);
        FloatVector x5 = FloatVector.fromArray(S, r0, i0 + 5 * c);
        a0 = x2.fma(w02, x1.fma(w01, x0.fma(w00, a0)));
        a1 = x3.fma(w02, x2.fma(w01, x1.fma(w00, a1)));
        a2 = x4.fma(w02, x3.fma(w01, x2.fma(w00, a2)));
        a3 = x5.fma(w02, x4.fma(w01, x3.fma(w00, a3)));
        x0 = FloatVector.fromArray(S, r1, i1);
        x1 = FloatVector.fromArray(S, r1, i1 + c);
        x2 = FloatVector.fromArray(S, r1, i1 + 2 * c);
        x3 = FloatVector.fromArray(S, r1, i1 + 3 * c);
        x4 = FloatVector.fromArray(S, r1, i1 + 4 * c);
        x5 = FloatVector.fromArray(S, r1, i1 + 5 * c);
        a0 = x2.fma(w12, x1.fma(w11, x0.fma(w10, a0)));
        a1 = x3.fma(w12, x2.fma(w11, x1.fma(w10, a1)));
        a2 = x4.fma(w12, x3.fma(w11, x2.fma(w10, a2)));
        a3 = x5.fma(w12, x4.fma(w11, x3.fma(w10, a3)));
        x0 = FloatVector.fromArray(S, r2, i2);
        x1 = FloatVector.fromArray(S, r2, i2 + c);
        x2 = FloatVector.fromArray(S, r2, i2 + 2 * c);
        x3 = FloatVector.fromArray(S, r2, i2 + 3 * c);
        x4 = FloatVector.fromArray(S, r2, i2 + 4 * c);
        x5 = FloatVector.fromArray(S, r2, i2 + 5 * c);
        a0 = x2.fma(w22, x1.fma(w21, x0.fma(w20, a0)));
        a1 = x3.fma(w22, x2.fma(w21, x1.fma(w20, a1)));
        a2 = x4.fma(w22, x3.fma(w21, x2.fma(w20, a2)));
        a3 = x5.fma(w22, x4.fma(w21, x3.fma(w20, a3)));
        a0.max(l).min(u).intoArray(out, o);
        a1.max(l).min(u).intoArray(out, o + c);
        a2.max(l).min(u).intoArray(out, o + 2 * c);
        a3.max(l).min(u).intoArray(out, o + 3 * c);
    }

    /** Four output pixels, stride 2: input columns x..x+8 of each row. */
    private static void strip4s2(float[] r0, int i0, float[] r1, int i1, float[] r2, int i2, int c, FloatVector b,
                                 FloatVector w00, FloatVector w01, FloatVector w02,
                                 FloatVector w10, FloatVector w11, FloatVector w12,
                                 FloatVector w20, FloatVector w21, FloatVector w22,
                                 FloatVector l, FloatVector u, float[] out, int o) {
        FloatVector a0 = b, a1 = b, a2 = b, a3 = b;
        a0 = row3(r0, i0, c, w00, w01, w02, a0);
        a1 = row3(r0, i0 + 2 * c, c, w00, w01, w02, a1);
        a2 = row3(r0, i0 + 4 * c, c, w00, w01, w02, a2);
        a3 = row3(r0, i0 + 6 * c, c, w00, w01, w02, a3);
        a0 = row3(r1, i1, c, w10, w11, w12, a0);
        a1 = row3(r1, i1 + 2 * c, c, w10, w11, w12, a1);
        a2 = row3(r1, i1 + 4 * c, c, w10, w11, w12, a2);
        a3 = row3(r1, i1 + 6 * c, c, w10, w11, w12, a3);
        a0 = row3(r2, i2, c, w20, w21, w22, a0);
        a1 = row3(r2, i2 + 2 * c, c, w20, w21, w22, a1);
        a2 = row3(r2, i2 + 4 * c, c, w20, w21, w22, a2);
        a3 = row3(r2, i2 + 6 * c, c, w20, w21, w22, a3);
        a0.max(l).min(u).intoArray(out, o);
        a1.max(l).min(u).intoArray(out, o + c);
        a2.max(l).min(u).intoArray(out, o + 2 * c);
        a3.max(l).min(u).intoArray(out, o + 3 * c);
    }

    /** One kernel row over three adjacent columns; C2 merges the shared column loads of neighbouring calls. */
    private static FloatVector row3(float[] r, int i, int c, FloatVector k0, FloatVector k1, FloatVector k2,
                                    FloatVector acc) {
        acc = FloatVector.fromArray(S, r, i).fma(k0, acc);
        acc = FloatVector.fromArray(S, r, i + c).fma(k1, acc);
        return FloatVector.fromArray(S, r, i + 2 * c).fma(k2, acc);
    }

    /** One output pixel with column bounds checks; rows are already resolved (padding rows are zeros). */
    private static void pixel(float[] r0, int o0, float[] r1, int o1, float[] r2, int o2, int w, int c, int ch,
                              int ix0, float[] packed, int cPad, FloatVector b, VectorMask<Float> m, boolean full,
                              FloatVector l, FloatVector u, float[] out, int o) {
        FloatVector acc = b;
        for (int ky = 0; ky < 3; ky++) {
            float[] r = ky == 0 ? r0 : ky == 1 ? r1 : r2;
            int ro = ky == 0 ? o0 : ky == 1 ? o1 : o2;
            for (int kx = 0; kx < 3; kx++) {
                int ix = ix0 + kx;
                if (ix < 0 || ix >= w) {
                    continue;
                }
                int wi = (ky * 3 + kx) * cPad + ch;
                FloatVector x = full ? FloatVector.fromArray(S, r, ro + ix * c + ch)
                        : FloatVector.fromArray(S, TailAccess.fit(r, ro + ix * c + ch, VL), TailAccess.fitOff(r, ro + ix * c + ch, VL), m);
                acc = x.fma(FloatVector.fromArray(S, packed, wi), acc);
            }
        }
        acc = acc.max(l).min(u);
        if (full) {
            acc.intoArray(out, o);
        } else {
            storeMasked(acc, out, o, m);
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
