package io.framewise.inference.kernels.simd;

import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LE;

import java.lang.invoke.MethodHandles;
import java.util.Arrays;

import io.framewise.inference.kernels.DepthwiseConv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Depthwise 3×3, stride 1 or 2, vectorized over channels and tiled as
 * (block of output rows) × (one channel vector) × (strips of 4 output columns).
 *
 * <p>Cache blocking: a row block is sized so its input rows (all channels) fit in about a quarter of L2;
 * inside it each channel vector walks the block's rows, so the 3 input rows it needs (3 × W × one
 * vector: 21 KiB for W = 112 at 512 bits) stay in L1 while the next output row reuses two of them.
 *
 * <p>Hot spot: the strip loops of {@link #rowS1} / {@link #rowS2}: for 4 adjacent output pixels, each
 * input row contributes 6 (stride 1) or 9 (stride 2) loads to 12 FMAs, i.e. 0.5-0.75 loads per FMA
 * instead of 2 for a per-pixel loop; loads, not FMAs, are the limit.
 *
 * <p>Why the code is shaped this way (JDK 17 C2, measured: 0.7-3.7 MB of boxed vectors per call and
 * 7-21 GFLOP/s before): a {@code FloatVector} that crosses a call C2 does not inline, or that is merged
 * by a phi with a differently produced vector (a masked load's fallback, a loop-carried value), is
 * boxed on the heap. So no method takes or returns a vector: each row method loads the 9 taps and the
 * bias itself (12 loads per row, against 9 per output pixel) and keeps them in registers; strip bodies
 * are straight-line code; every value is produced by plain {@code fromArray} / {@code fma}. Keeping
 * {@link #run} free of vector code also keeps each method small enough for C1 to compile (a single
 * 3 KB method failed C1 and ran interpreted until C2 got to it).
 *
 * <p>Edges: padding rows read a shared all-zero row, and in {@link #edgeS1} / {@link #edgeS2} (the
 * first and last 4-pixel strip of a row) and {@link #pixel} (rows under 4 pixels) a column outside
 * [0, w) reads it too, so border pixels run the same FMA chain as interior ones (a padding tap adds
 * {@code fma(0, w, acc)}, which leaves {@code acc} unchanged except for the sign of a zero). Every path
 * computes a pixel identically, so fused (row tiles) and unfused plans stay bit-identical.
 *
 * <p>Channel tail (C not a multiple of the lane count): the tail vector is loaded whole; lanes past C
 * read up to VL - 1 floats after the needed data, are computed and never stored. That relies on the
 * planner's {@link io.framewise.inference.kernels.KernelSet#ARRAY_PAD} slack after every array;
 * {@link #run} copies unpadded input/bias arrays first (allocating: tests, never inference). Tail
 * results go through a per-thread scratch array because masked stores are not intrinsified on JDK 17.
 */
public final class DwConv3x3RowTiled implements DepthwiseConv {

    private static final VectorSpecies<Float> S = SpeciesSpecialization.bound(MethodHandles.lookup());
    private static final int VL = S.length();
    private static final int BLOCK_BYTES = 256 * 1024;
    /** Read-only zeros standing in for padding rows and columns; replaced (never written) when a wider row is needed. */
    private static volatile float[] zeroRow = new float[0];
    /** Per-thread staging for tail vectors, {@code [4][VL]}. */
    private static final ThreadLocal<float[]> TAIL = new ThreadLocal<>();

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

    private static float[] tailScratch() {
        float[] t = TAIL.get();
        if (t == null) {
            t = new float[4 * VL];
            TAIL.set(t);
        }
        return t;
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
        if (oy1 <= oy0 || ow <= 0 || c <= 0) {
            return;
        }
        int cPad = (c + VL - 1) / VL * VL;
        int rowLen = w * c;
        if (cPad != c) {
            int iyLast = Math.min(h - 1, (oy1 - 1) * stride - padTop + 2);
            long need = inOff + (long) (iyLast - inRow0 + 1) * rowLen + (cPad - c);
            if (in.length < need) {
                in = Arrays.copyOf(in, Math.toIntExact(need));
            }
            if (bias.length < cPad) {
                bias = Arrays.copyOf(bias, cPad);
            }
        }
        float[] zero = zeros(rowLen + VL);
        float[] tail = tailScratch();
        // Interior columns: the whole 3-wide window is inside [0, w).
        int oxLo = Math.min(ow, (padLeft + stride - 1) / stride);
        int oxHi = w - 3 + padLeft < 0 ? oxLo : Math.max(oxLo, Math.min(ow, (w - 3 + padLeft) / stride + 1));
        long rowBytes = (long) rowLen * Float.BYTES;
        int block = (int) Math.max(1, (BLOCK_BYTES / Math.max(1, rowBytes) - 2) / stride);
        int outRowLen = ow * c;
        for (int yb = oy0; yb < oy1; yb += block) {
            int ye = Math.min(oy1, yb + block);
            for (int ch = 0; ch < c; ch += VL) {
                int lanes = Math.min(VL, c - ch);
                for (int oy = yb; oy < ye; oy++) {
                    int iy = oy * stride - padTop;
                    float[] r0 = iy >= 0 && iy < h ? in : zero;
                    float[] r1 = iy + 1 >= 0 && iy + 1 < h ? in : zero;
                    float[] r2 = iy + 2 >= 0 && iy + 2 < h ? in : zero;
                    int o0 = (r0 == in ? inOff + (iy - inRow0) * rowLen : 0) + ch;
                    int o1 = (r1 == in ? inOff + (iy + 1 - inRow0) * rowLen : 0) + ch;
                    int o2 = (r2 == in ? inOff + (iy + 2 - inRow0) * rowLen : 0) + ch;
                    int ob = outOff + (oy - outRow0) * outRowLen + ch;
                    if (ow < 4) {
                        for (int ox = 0; ox < ow; ox++) {
                            pixel(r0, o0, r1, o1, r2, o2, zero, w, c, ch, lanes, ox * stride - padLeft,
                                    packed, cPad, bias, lo, hi, out, ob + ox * c, tail);
                        }
                    } else if (stride == 1) {
                        rowS1(r0, o0, r1, o1, r2, o2, zero, w, c, ch, lanes, padLeft, ow, oxLo, oxHi,
                                packed, cPad, bias, lo, hi, out, ob, tail);
                    } else {
                        rowS2(r0, o0, r1, o1, r2, o2, zero, w, c, ch, lanes, padLeft, ow, oxLo, oxHi,
                                packed, cPad, bias, lo, hi, out, ob, tail);
                    }
                }
            }
        }
    }

    /**
     * One output row (at least 4 pixels) of one channel vector, stride 1; offsets {@code o*} point at
     * column 0, channel {@code ch}. Border columns go through {@link #edgeS1}.
     */
    private static void rowS1(float[] r0, int o0, float[] r1, int o1, float[] r2, int o2, float[] zero,
                              int w, int c, int ch, int lanes, int padLeft, int ow, int oxLo, int oxHi,
                              float[] packed, int cPad, float[] bias, float lo, float hi,
                              float[] out, int ob, float[] tail) {
        FloatVector b = FloatVector.fromArray(S, bias, ch);
        FloatVector w00 = FloatVector.fromArray(S, packed, ch);
        FloatVector w01 = FloatVector.fromArray(S, packed, cPad + ch);
        FloatVector w02 = FloatVector.fromArray(S, packed, 2 * cPad + ch);
        FloatVector w10 = FloatVector.fromArray(S, packed, 3 * cPad + ch);
        FloatVector w11 = FloatVector.fromArray(S, packed, 4 * cPad + ch);
        FloatVector w12 = FloatVector.fromArray(S, packed, 5 * cPad + ch);
        FloatVector w20 = FloatVector.fromArray(S, packed, 6 * cPad + ch);
        FloatVector w21 = FloatVector.fromArray(S, packed, 7 * cPad + ch);
        FloatVector w22 = FloatVector.fromArray(S, packed, 8 * cPad + ch);
        FloatVector l = FloatVector.broadcast(S, lo);
        FloatVector u = FloatVector.broadcast(S, hi);
        int ox = 0;
        for (; ox < oxLo; ox += 4) {
            int x = Math.min(ox, ow - 4);
            edgeS1(r0, o0, r1, o1, r2, o2, zero, w, c, ch, lanes, x - padLeft, packed, cPad, bias, lo, hi,
                    out, ob + x * c, tail);
        }
        int ix = (ox - padLeft) * c;
        for (; ox + 4 <= oxHi; ox += 4, ix += 4 * c) {
            // Input columns ix..ix+5 of each row, each loaded once for the 4 pixels.
            int i0 = o0 + ix, i1 = o1 + ix, i2 = o2 + ix;
            FloatVector x0 = FloatVector.fromArray(S, r0, i0);
            FloatVector x1 = FloatVector.fromArray(S, r0, i0 + c);
            FloatVector x2 = FloatVector.fromArray(S, r0, i0 + 2 * c);
            FloatVector x3 = FloatVector.fromArray(S, r0, i0 + 3 * c);
            FloatVector x4 = FloatVector.fromArray(S, r0, i0 + 4 * c);
            FloatVector x5 = FloatVector.fromArray(S, r0, i0 + 5 * c);
            FloatVector a0 = x2.fma(w02, x1.fma(w01, x0.fma(w00, b)));
            FloatVector a1 = x3.fma(w02, x2.fma(w01, x1.fma(w00, b)));
            FloatVector a2 = x4.fma(w02, x3.fma(w01, x2.fma(w00, b)));
            FloatVector a3 = x5.fma(w02, x4.fma(w01, x3.fma(w00, b)));
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
            a0 = a0.blend(l, a0.compare(LE, l)).blend(u, a0.compare(GT, u));
            a1 = x3.fma(w22, x2.fma(w21, x1.fma(w20, a1)));
            a1 = a1.blend(l, a1.compare(LE, l)).blend(u, a1.compare(GT, u));
            a2 = x4.fma(w22, x3.fma(w21, x2.fma(w20, a2)));
            a2 = a2.blend(l, a2.compare(LE, l)).blend(u, a2.compare(GT, u));
            a3 = x5.fma(w22, x4.fma(w21, x3.fma(w20, a3)));
            a3 = a3.blend(l, a3.compare(LE, l)).blend(u, a3.compare(GT, u));
            int o = ob + ox * c;
            if (lanes == VL) {
                a0.intoArray(out, o);
                a1.intoArray(out, o + c);
                a2.intoArray(out, o + 2 * c);
                a3.intoArray(out, o + 3 * c);
            } else {
                a0.intoArray(tail, 0);
                a1.intoArray(tail, VL);
                a2.intoArray(tail, 2 * VL);
                a3.intoArray(tail, 3 * VL);
                for (int j = 0; j < lanes; j++) {
                    out[o + j] = tail[j];
                    out[o + c + j] = tail[VL + j];
                    out[o + 2 * c + j] = tail[2 * VL + j];
                    out[o + 3 * c + j] = tail[3 * VL + j];
                }
            }
        }
        // Leftovers and the right border: one more strip ending at the last column (it may recompute,
        // identically, pixels the loop above already wrote).
        if (ox < ow) {
            int x = ow - 4;
            edgeS1(r0, o0, r1, o1, r2, o2, zero, w, c, ch, lanes, x - padLeft, packed, cPad, bias, lo, hi,
                    out, ob + x * c, tail);
        }
    }

    /** As {@link #rowS1}, stride 2. */
    private static void rowS2(float[] r0, int o0, float[] r1, int o1, float[] r2, int o2, float[] zero,
                              int w, int c, int ch, int lanes, int padLeft, int ow, int oxLo, int oxHi,
                              float[] packed, int cPad, float[] bias, float lo, float hi,
                              float[] out, int ob, float[] tail) {
        FloatVector b = FloatVector.fromArray(S, bias, ch);
        FloatVector w00 = FloatVector.fromArray(S, packed, ch);
        FloatVector w01 = FloatVector.fromArray(S, packed, cPad + ch);
        FloatVector w02 = FloatVector.fromArray(S, packed, 2 * cPad + ch);
        FloatVector w10 = FloatVector.fromArray(S, packed, 3 * cPad + ch);
        FloatVector w11 = FloatVector.fromArray(S, packed, 4 * cPad + ch);
        FloatVector w12 = FloatVector.fromArray(S, packed, 5 * cPad + ch);
        FloatVector w20 = FloatVector.fromArray(S, packed, 6 * cPad + ch);
        FloatVector w21 = FloatVector.fromArray(S, packed, 7 * cPad + ch);
        FloatVector w22 = FloatVector.fromArray(S, packed, 8 * cPad + ch);
        FloatVector l = FloatVector.broadcast(S, lo);
        FloatVector u = FloatVector.broadcast(S, hi);
        int ox = 0;
        for (; ox < oxLo; ox += 4) {
            int x = Math.min(ox, ow - 4);
            edgeS2(r0, o0, r1, o1, r2, o2, zero, w, c, ch, lanes, 2 * x - padLeft, packed, cPad, bias, lo, hi,
                    out, ob + x * c, tail);
        }
        int ix = (2 * ox - padLeft) * c;
        for (; ox + 4 <= oxHi; ox += 4, ix += 8 * c) {
            // Input columns ix..ix+8 of each row; pixel p uses columns 2p..2p+2.
            int i0 = o0 + ix, i1 = o1 + ix, i2 = o2 + ix;
            FloatVector x0 = FloatVector.fromArray(S, r0, i0);
            FloatVector x1 = FloatVector.fromArray(S, r0, i0 + c);
            FloatVector x2 = FloatVector.fromArray(S, r0, i0 + 2 * c);
            FloatVector a0 = x2.fma(w02, x1.fma(w01, x0.fma(w00, b)));
            x0 = FloatVector.fromArray(S, r0, i0 + 3 * c);
            x1 = FloatVector.fromArray(S, r0, i0 + 4 * c);
            FloatVector a1 = x1.fma(w02, x0.fma(w01, x2.fma(w00, b)));
            x0 = FloatVector.fromArray(S, r0, i0 + 5 * c);
            x2 = FloatVector.fromArray(S, r0, i0 + 6 * c);
            FloatVector a2 = x2.fma(w02, x0.fma(w01, x1.fma(w00, b)));
            x0 = FloatVector.fromArray(S, r0, i0 + 7 * c);
            x1 = FloatVector.fromArray(S, r0, i0 + 8 * c);
            FloatVector a3 = x1.fma(w02, x0.fma(w01, x2.fma(w00, b)));
            x0 = FloatVector.fromArray(S, r1, i1);
            x1 = FloatVector.fromArray(S, r1, i1 + c);
            x2 = FloatVector.fromArray(S, r1, i1 + 2 * c);
            a0 = x2.fma(w12, x1.fma(w11, x0.fma(w10, a0)));
            x0 = FloatVector.fromArray(S, r1, i1 + 3 * c);
            x1 = FloatVector.fromArray(S, r1, i1 + 4 * c);
            a1 = x1.fma(w12, x0.fma(w11, x2.fma(w10, a1)));
            x0 = FloatVector.fromArray(S, r1, i1 + 5 * c);
            x2 = FloatVector.fromArray(S, r1, i1 + 6 * c);
            a2 = x2.fma(w12, x0.fma(w11, x1.fma(w10, a2)));
            x0 = FloatVector.fromArray(S, r1, i1 + 7 * c);
            x1 = FloatVector.fromArray(S, r1, i1 + 8 * c);
            a3 = x1.fma(w12, x0.fma(w11, x2.fma(w10, a3)));
            x0 = FloatVector.fromArray(S, r2, i2);
            x1 = FloatVector.fromArray(S, r2, i2 + c);
            x2 = FloatVector.fromArray(S, r2, i2 + 2 * c);
            a0 = x2.fma(w22, x1.fma(w21, x0.fma(w20, a0)));
            a0 = a0.blend(l, a0.compare(LE, l)).blend(u, a0.compare(GT, u));
            x0 = FloatVector.fromArray(S, r2, i2 + 3 * c);
            x1 = FloatVector.fromArray(S, r2, i2 + 4 * c);
            a1 = x1.fma(w22, x0.fma(w21, x2.fma(w20, a1)));
            a1 = a1.blend(l, a1.compare(LE, l)).blend(u, a1.compare(GT, u));
            x0 = FloatVector.fromArray(S, r2, i2 + 5 * c);
            x2 = FloatVector.fromArray(S, r2, i2 + 6 * c);
            a2 = x2.fma(w22, x0.fma(w21, x1.fma(w20, a2)));
            a2 = a2.blend(l, a2.compare(LE, l)).blend(u, a2.compare(GT, u));
            x0 = FloatVector.fromArray(S, r2, i2 + 7 * c);
            x1 = FloatVector.fromArray(S, r2, i2 + 8 * c);
            a3 = x1.fma(w22, x0.fma(w21, x2.fma(w20, a3)));
            a3 = a3.blend(l, a3.compare(LE, l)).blend(u, a3.compare(GT, u));
            int o = ob + ox * c;
            if (lanes == VL) {
                a0.intoArray(out, o);
                a1.intoArray(out, o + c);
                a2.intoArray(out, o + 2 * c);
                a3.intoArray(out, o + 3 * c);
            } else {
                a0.intoArray(tail, 0);
                a1.intoArray(tail, VL);
                a2.intoArray(tail, 2 * VL);
                a3.intoArray(tail, 3 * VL);
                for (int j = 0; j < lanes; j++) {
                    out[o + j] = tail[j];
                    out[o + c + j] = tail[VL + j];
                    out[o + 2 * c + j] = tail[2 * VL + j];
                    out[o + 3 * c + j] = tail[3 * VL + j];
                }
            }
        }
        // Leftovers and the right border: one more strip ending at the last column (it may recompute,
        // identically, pixels the loop above already wrote).
        if (ox < ow) {
            int x = ow - 4;
            edgeS2(r0, o0, r1, o1, r2, o2, zero, w, c, ch, lanes, 2 * x - padLeft, packed, cPad, bias, lo, hi,
                    out, ob + x * c, tail);
        }
    }

    /**
     * Four pixels, stride 1, whose input columns start at {@code col} and may cross the left or right
     * border: a column outside [0, w) reads the zero row (an array select, not a branch around vector
     * code). Loads its own taps so no vector crosses the call; runs at most twice per row.
     */
    private static void edgeS1(float[] r0, int o0, float[] r1, int o1, float[] r2, int o2, float[] zero,
                               int w, int c, int ch, int lanes, int col,
                               float[] packed, int cPad, float[] bias, float lo, float hi,
                               float[] out, int o, float[] tail) {
        FloatVector b = FloatVector.fromArray(S, bias, ch);
        FloatVector w00 = FloatVector.fromArray(S, packed, ch);
        FloatVector w01 = FloatVector.fromArray(S, packed, cPad + ch);
        FloatVector w02 = FloatVector.fromArray(S, packed, 2 * cPad + ch);
        FloatVector w10 = FloatVector.fromArray(S, packed, 3 * cPad + ch);
        FloatVector w11 = FloatVector.fromArray(S, packed, 4 * cPad + ch);
        FloatVector w12 = FloatVector.fromArray(S, packed, 5 * cPad + ch);
        FloatVector w20 = FloatVector.fromArray(S, packed, 6 * cPad + ch);
        FloatVector w21 = FloatVector.fromArray(S, packed, 7 * cPad + ch);
        FloatVector w22 = FloatVector.fromArray(S, packed, 8 * cPad + ch);
        boolean k0 = col >= 0 && col < w;
        boolean k1 = col + 1 >= 0 && col + 1 < w;
        boolean k2 = col + 2 >= 0 && col + 2 < w;
        boolean k3 = col + 3 >= 0 && col + 3 < w;
        boolean k4 = col + 4 >= 0 && col + 4 < w;
        boolean k5 = col + 5 >= 0 && col + 5 < w;
        int base = col * c;
        FloatVector x00 = FloatVector.fromArray(S, k0 ? r0 : zero, k0 ? o0 + base : ch);
        FloatVector x01 = FloatVector.fromArray(S, k1 ? r0 : zero, k1 ? o0 + base + c : ch);
        FloatVector x02 = FloatVector.fromArray(S, k2 ? r0 : zero, k2 ? o0 + base + 2 * c : ch);
        FloatVector x03 = FloatVector.fromArray(S, k3 ? r0 : zero, k3 ? o0 + base + 3 * c : ch);
        FloatVector x04 = FloatVector.fromArray(S, k4 ? r0 : zero, k4 ? o0 + base + 4 * c : ch);
        FloatVector x05 = FloatVector.fromArray(S, k5 ? r0 : zero, k5 ? o0 + base + 5 * c : ch);
        FloatVector x10 = FloatVector.fromArray(S, k0 ? r1 : zero, k0 ? o1 + base : ch);
        FloatVector x11 = FloatVector.fromArray(S, k1 ? r1 : zero, k1 ? o1 + base + c : ch);
        FloatVector x12 = FloatVector.fromArray(S, k2 ? r1 : zero, k2 ? o1 + base + 2 * c : ch);
        FloatVector x13 = FloatVector.fromArray(S, k3 ? r1 : zero, k3 ? o1 + base + 3 * c : ch);
        FloatVector x14 = FloatVector.fromArray(S, k4 ? r1 : zero, k4 ? o1 + base + 4 * c : ch);
        FloatVector x15 = FloatVector.fromArray(S, k5 ? r1 : zero, k5 ? o1 + base + 5 * c : ch);
        FloatVector x20 = FloatVector.fromArray(S, k0 ? r2 : zero, k0 ? o2 + base : ch);
        FloatVector x21 = FloatVector.fromArray(S, k1 ? r2 : zero, k1 ? o2 + base + c : ch);
        FloatVector x22 = FloatVector.fromArray(S, k2 ? r2 : zero, k2 ? o2 + base + 2 * c : ch);
        FloatVector x23 = FloatVector.fromArray(S, k3 ? r2 : zero, k3 ? o2 + base + 3 * c : ch);
        FloatVector x24 = FloatVector.fromArray(S, k4 ? r2 : zero, k4 ? o2 + base + 4 * c : ch);
        FloatVector x25 = FloatVector.fromArray(S, k5 ? r2 : zero, k5 ? o2 + base + 5 * c : ch);
        FloatVector a0 = b;
        a0 = x02.fma(w02, x01.fma(w01, x00.fma(w00, a0)));
        a0 = x12.fma(w12, x11.fma(w11, x10.fma(w10, a0)));
        a0 = x22.fma(w22, x21.fma(w21, x20.fma(w20, a0)));
        FloatVector a1 = b;
        a1 = x03.fma(w02, x02.fma(w01, x01.fma(w00, a1)));
        a1 = x13.fma(w12, x12.fma(w11, x11.fma(w10, a1)));
        a1 = x23.fma(w22, x22.fma(w21, x21.fma(w20, a1)));
        FloatVector a2 = b;
        a2 = x04.fma(w02, x03.fma(w01, x02.fma(w00, a2)));
        a2 = x14.fma(w12, x13.fma(w11, x12.fma(w10, a2)));
        a2 = x24.fma(w22, x23.fma(w21, x22.fma(w20, a2)));
        FloatVector a3 = b;
        a3 = x05.fma(w02, x04.fma(w01, x03.fma(w00, a3)));
        a3 = x15.fma(w12, x14.fma(w11, x13.fma(w10, a3)));
        a3 = x25.fma(w22, x24.fma(w21, x23.fma(w20, a3)));
        FloatVector l = FloatVector.broadcast(S, lo);
        FloatVector u = FloatVector.broadcast(S, hi);
        a0 = a0.blend(l, a0.compare(LE, l)).blend(u, a0.compare(GT, u));
        a1 = a1.blend(l, a1.compare(LE, l)).blend(u, a1.compare(GT, u));
        a2 = a2.blend(l, a2.compare(LE, l)).blend(u, a2.compare(GT, u));
        a3 = a3.blend(l, a3.compare(LE, l)).blend(u, a3.compare(GT, u));
        if (lanes == VL) {
            a0.intoArray(out, o);
            a1.intoArray(out, o + c);
            a2.intoArray(out, o + 2 * c);
            a3.intoArray(out, o + 3 * c);
        } else {
            a0.intoArray(tail, 0);
            a1.intoArray(tail, VL);
            a2.intoArray(tail, 2 * VL);
            a3.intoArray(tail, 3 * VL);
            for (int j = 0; j < lanes; j++) {
                out[o + j] = tail[j];
                out[o + c + j] = tail[VL + j];
                out[o + 2 * c + j] = tail[2 * VL + j];
                out[o + 3 * c + j] = tail[3 * VL + j];
            }
        }
    }

    /**
     * Four pixels, stride 2, whose input columns start at {@code col} and may cross the left or right
     * border: a column outside [0, w) reads the zero row (an array select, not a branch around vector
     * code). Loads its own taps so no vector crosses the call; runs at most twice per row.
     */
    private static void edgeS2(float[] r0, int o0, float[] r1, int o1, float[] r2, int o2, float[] zero,
                               int w, int c, int ch, int lanes, int col,
                               float[] packed, int cPad, float[] bias, float lo, float hi,
                               float[] out, int o, float[] tail) {
        FloatVector b = FloatVector.fromArray(S, bias, ch);
        FloatVector w00 = FloatVector.fromArray(S, packed, ch);
        FloatVector w01 = FloatVector.fromArray(S, packed, cPad + ch);
        FloatVector w02 = FloatVector.fromArray(S, packed, 2 * cPad + ch);
        FloatVector w10 = FloatVector.fromArray(S, packed, 3 * cPad + ch);
        FloatVector w11 = FloatVector.fromArray(S, packed, 4 * cPad + ch);
        FloatVector w12 = FloatVector.fromArray(S, packed, 5 * cPad + ch);
        FloatVector w20 = FloatVector.fromArray(S, packed, 6 * cPad + ch);
        FloatVector w21 = FloatVector.fromArray(S, packed, 7 * cPad + ch);
        FloatVector w22 = FloatVector.fromArray(S, packed, 8 * cPad + ch);
        boolean k0 = col >= 0 && col < w;
        boolean k1 = col + 1 >= 0 && col + 1 < w;
        boolean k2 = col + 2 >= 0 && col + 2 < w;
        boolean k3 = col + 3 >= 0 && col + 3 < w;
        boolean k4 = col + 4 >= 0 && col + 4 < w;
        boolean k5 = col + 5 >= 0 && col + 5 < w;
        boolean k6 = col + 6 >= 0 && col + 6 < w;
        boolean k7 = col + 7 >= 0 && col + 7 < w;
        boolean k8 = col + 8 >= 0 && col + 8 < w;
        int base = col * c;
        FloatVector x00 = FloatVector.fromArray(S, k0 ? r0 : zero, k0 ? o0 + base : ch);
        FloatVector x01 = FloatVector.fromArray(S, k1 ? r0 : zero, k1 ? o0 + base + c : ch);
        FloatVector x02 = FloatVector.fromArray(S, k2 ? r0 : zero, k2 ? o0 + base + 2 * c : ch);
        FloatVector x03 = FloatVector.fromArray(S, k3 ? r0 : zero, k3 ? o0 + base + 3 * c : ch);
        FloatVector x04 = FloatVector.fromArray(S, k4 ? r0 : zero, k4 ? o0 + base + 4 * c : ch);
        FloatVector x05 = FloatVector.fromArray(S, k5 ? r0 : zero, k5 ? o0 + base + 5 * c : ch);
        FloatVector x06 = FloatVector.fromArray(S, k6 ? r0 : zero, k6 ? o0 + base + 6 * c : ch);
        FloatVector x07 = FloatVector.fromArray(S, k7 ? r0 : zero, k7 ? o0 + base + 7 * c : ch);
        FloatVector x08 = FloatVector.fromArray(S, k8 ? r0 : zero, k8 ? o0 + base + 8 * c : ch);
        FloatVector x10 = FloatVector.fromArray(S, k0 ? r1 : zero, k0 ? o1 + base : ch);
        FloatVector x11 = FloatVector.fromArray(S, k1 ? r1 : zero, k1 ? o1 + base + c : ch);
        FloatVector x12 = FloatVector.fromArray(S, k2 ? r1 : zero, k2 ? o1 + base + 2 * c : ch);
        FloatVector x13 = FloatVector.fromArray(S, k3 ? r1 : zero, k3 ? o1 + base + 3 * c : ch);
        FloatVector x14 = FloatVector.fromArray(S, k4 ? r1 : zero, k4 ? o1 + base + 4 * c : ch);
        FloatVector x15 = FloatVector.fromArray(S, k5 ? r1 : zero, k5 ? o1 + base + 5 * c : ch);
        FloatVector x16 = FloatVector.fromArray(S, k6 ? r1 : zero, k6 ? o1 + base + 6 * c : ch);
        FloatVector x17 = FloatVector.fromArray(S, k7 ? r1 : zero, k7 ? o1 + base + 7 * c : ch);
        FloatVector x18 = FloatVector.fromArray(S, k8 ? r1 : zero, k8 ? o1 + base + 8 * c : ch);
        FloatVector x20 = FloatVector.fromArray(S, k0 ? r2 : zero, k0 ? o2 + base : ch);
        FloatVector x21 = FloatVector.fromArray(S, k1 ? r2 : zero, k1 ? o2 + base + c : ch);
        FloatVector x22 = FloatVector.fromArray(S, k2 ? r2 : zero, k2 ? o2 + base + 2 * c : ch);
        FloatVector x23 = FloatVector.fromArray(S, k3 ? r2 : zero, k3 ? o2 + base + 3 * c : ch);
        FloatVector x24 = FloatVector.fromArray(S, k4 ? r2 : zero, k4 ? o2 + base + 4 * c : ch);
        FloatVector x25 = FloatVector.fromArray(S, k5 ? r2 : zero, k5 ? o2 + base + 5 * c : ch);
        FloatVector x26 = FloatVector.fromArray(S, k6 ? r2 : zero, k6 ? o2 + base + 6 * c : ch);
        FloatVector x27 = FloatVector.fromArray(S, k7 ? r2 : zero, k7 ? o2 + base + 7 * c : ch);
        FloatVector x28 = FloatVector.fromArray(S, k8 ? r2 : zero, k8 ? o2 + base + 8 * c : ch);
        FloatVector a0 = b;
        a0 = x02.fma(w02, x01.fma(w01, x00.fma(w00, a0)));
        a0 = x12.fma(w12, x11.fma(w11, x10.fma(w10, a0)));
        a0 = x22.fma(w22, x21.fma(w21, x20.fma(w20, a0)));
        FloatVector a1 = b;
        a1 = x04.fma(w02, x03.fma(w01, x02.fma(w00, a1)));
        a1 = x14.fma(w12, x13.fma(w11, x12.fma(w10, a1)));
        a1 = x24.fma(w22, x23.fma(w21, x22.fma(w20, a1)));
        FloatVector a2 = b;
        a2 = x06.fma(w02, x05.fma(w01, x04.fma(w00, a2)));
        a2 = x16.fma(w12, x15.fma(w11, x14.fma(w10, a2)));
        a2 = x26.fma(w22, x25.fma(w21, x24.fma(w20, a2)));
        FloatVector a3 = b;
        a3 = x08.fma(w02, x07.fma(w01, x06.fma(w00, a3)));
        a3 = x18.fma(w12, x17.fma(w11, x16.fma(w10, a3)));
        a3 = x28.fma(w22, x27.fma(w21, x26.fma(w20, a3)));
        FloatVector l = FloatVector.broadcast(S, lo);
        FloatVector u = FloatVector.broadcast(S, hi);
        a0 = a0.blend(l, a0.compare(LE, l)).blend(u, a0.compare(GT, u));
        a1 = a1.blend(l, a1.compare(LE, l)).blend(u, a1.compare(GT, u));
        a2 = a2.blend(l, a2.compare(LE, l)).blend(u, a2.compare(GT, u));
        a3 = a3.blend(l, a3.compare(LE, l)).blend(u, a3.compare(GT, u));
        if (lanes == VL) {
            a0.intoArray(out, o);
            a1.intoArray(out, o + c);
            a2.intoArray(out, o + 2 * c);
            a3.intoArray(out, o + 3 * c);
        } else {
            a0.intoArray(tail, 0);
            a1.intoArray(tail, VL);
            a2.intoArray(tail, 2 * VL);
            a3.intoArray(tail, 3 * VL);
            for (int j = 0; j < lanes; j++) {
                out[o + j] = tail[j];
                out[o + c + j] = tail[VL + j];
                out[o + 2 * c + j] = tail[2 * VL + j];
                out[o + 3 * c + j] = tail[3 * VL + j];
            }
        }
    }

    /**
     * One pixel (rows narrower than a strip) whose window starts at input column {@code ix}; a column
     * outside [0, w) reads the zero row. Loads its own taps, so no vector crosses the call.
     */
    private static void pixel(float[] r0, int o0, float[] r1, int o1, float[] r2, int o2, float[] zero,
                              int w, int c, int ch, int lanes, int ix,
                              float[] packed, int cPad, float[] bias, float lo, float hi,
                              float[] out, int o, float[] tail) {
        boolean k0 = ix >= 0 && ix < w;
        boolean k1 = ix + 1 >= 0 && ix + 1 < w;
        boolean k2 = ix + 2 >= 0 && ix + 2 < w;
        int c0 = ix * c, c1 = c0 + c, c2 = c1 + c;
        FloatVector a = FloatVector.fromArray(S, bias, ch);
        a = FloatVector.fromArray(S, k0 ? r0 : zero, k0 ? o0 + c0 : ch).fma(FloatVector.fromArray(S, packed, ch), a);
        a = FloatVector.fromArray(S, k1 ? r0 : zero, k1 ? o0 + c1 : ch).fma(FloatVector.fromArray(S, packed, cPad + ch), a);
        a = FloatVector.fromArray(S, k2 ? r0 : zero, k2 ? o0 + c2 : ch).fma(FloatVector.fromArray(S, packed, 2 * cPad + ch), a);
        a = FloatVector.fromArray(S, k0 ? r1 : zero, k0 ? o1 + c0 : ch).fma(FloatVector.fromArray(S, packed, 3 * cPad + ch), a);
        a = FloatVector.fromArray(S, k1 ? r1 : zero, k1 ? o1 + c1 : ch).fma(FloatVector.fromArray(S, packed, 4 * cPad + ch), a);
        a = FloatVector.fromArray(S, k2 ? r1 : zero, k2 ? o1 + c2 : ch).fma(FloatVector.fromArray(S, packed, 5 * cPad + ch), a);
        a = FloatVector.fromArray(S, k0 ? r2 : zero, k0 ? o2 + c0 : ch).fma(FloatVector.fromArray(S, packed, 6 * cPad + ch), a);
        a = FloatVector.fromArray(S, k1 ? r2 : zero, k1 ? o2 + c1 : ch).fma(FloatVector.fromArray(S, packed, 7 * cPad + ch), a);
        a = FloatVector.fromArray(S, k2 ? r2 : zero, k2 ? o2 + c2 : ch).fma(FloatVector.fromArray(S, packed, 8 * cPad + ch), a);
        a = a.max(FloatVector.broadcast(S, lo)).min(FloatVector.broadcast(S, hi));
        if (lanes == VL) {
            a.intoArray(out, o);
        } else {
            a.intoArray(tail, 0);
            System.arraycopy(tail, 0, out, o, lanes);
        }
    }
}
