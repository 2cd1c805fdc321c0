package io.framewise.inference.kernels.simd;

import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LE;

import java.lang.invoke.MethodHandles;
import java.util.Arrays;

import io.framewise.inference.kernels.DilatedDepthwiseConv;
import io.framewise.inference.kernels.Elementwise;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Atrous depthwise 3×3 (dilation d ≥ 1, stride 1 or 2), vectorized over channels and tiled as
 * (output row) × (one channel vector) × (phase p of d) × (strips of 4 output columns of that phase).
 *
 * <p>Why phases: with dilation d, output columns ox, ox + d, ox + 2d, ox + 3d read input columns
 * {@code base + m·d} for m = 0..5 (stride 1) or 0..8 (stride 2), exactly the pattern four adjacent
 * outputs of an undilated convolution read at spacing 1. Walking the outputs of one phase (ox ≡ p mod d)
 * in strips of 4 therefore keeps the undilated kernel's load count: 6 (stride 1) or 9 (stride 2) loads
 * per input row for 12 FMAs. Four adjacent outputs instead would need 4 + 2d distinct columns (8 loads
 * at d = 2, 12 at d = 4).
 *
 * <p>Columns whose window leaves the image (about 2d per row and phase remainders) go through
 * {@link #pixel}, which reads a shared all-zero vector for outside taps, so every output runs the same
 * FMA chain in the same order as the reference twin (bias, then ky-major, kx-minor). Rows outside the
 * image read the zero vector too. Channel tail, packed weights and the JDK 17 rules (no vector crosses
 * a call, no masked stores) as in {@link DwConv3x3RowTiled}.
 */
public final class DwConv3x3DilatedPhaseStrip4 implements DilatedDepthwiseConv {

    private static final VectorSpecies<Float> S = SpeciesSpecialization.bound(MethodHandles.lookup());
    private static final int VL = S.length();
    private static final VectorSpecies<Integer> IS = VectorSpecies.of(int.class, S.vectorShape());
    /** Read-only zeros standing in for taps outside the image; replaced (never written) when more are needed. */
    private static volatile float[] zeroRow = new float[0];
    /** Per-thread staging for tail vectors, {@code [4][VL]}. */
    private static final ThreadLocal<float[]> TAIL = new ThreadLocal<>();

    public DwConv3x3DilatedPhaseStrip4(VectorSpecies<Float> species) {
        SpeciesSpecialization.check(S, species, DwConv3x3DilatedPhaseStrip4.class);
    }

    public static DilatedDepthwiseConv of(VectorSpecies<Float> species) {
        return SpeciesSpecialization.instantiate(MethodHandles.lookup(), DilatedDepthwiseConv.class, species);
    }

    @Override
    public float[] pack(float[] weights, int kh, int kw, int c) {
        if (kh != 3 || kw != 3) {
            throw new IllegalArgumentException("3x3 only, got " + kh + "x" + kw);
        }
        return PanelPacking.depthwise(weights, kh, kw, c, VL);
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
    public void run(float[] in, int inOff, int h, int w, int c, int kh, int kw, int stride, int dilation,
                    int padTop, int padLeft, float[] packed, float[] bias,
                    float[] out, int outOff, int oh, int ow, float lo, float hi, float scale, float grid) {
        if (kh != 3 || kw != 3 || (stride != 1 && stride != 2) || dilation < 1) {
            throw new IllegalArgumentException("3x3, stride 1/2, dilation >= 1 only; got " + kh + "x" + kw
                    + " stride " + stride + " dilation " + dilation);
        }
        if (oh <= 0 || ow <= 0 || c <= 0) {
            return;
        }
        int cPad = (c + VL - 1) / VL * VL;
        if (cPad != c) {
            // the tail vector reads up to VL - 1 floats past the last pixel: callers without slack (tests) get a copy
            long need = inOff + (long) h * w * c + VL;
            if (in.length < need) {
                in = Arrays.copyOf(in, Math.toIntExact(need));
            }
            if (bias.length < cPad) {
                bias = Arrays.copyOf(bias, cPad);
            }
        }
        float[] zero = zeros(cPad + VL);
        float[] tail = tailScratch();
        int rowLen = w * c;
        for (int oy = 0; oy < oh; oy++) {
            int iy = oy * stride - padTop;
            boolean v0 = iy >= 0 && iy < h;
            boolean v1 = iy + dilation >= 0 && iy + dilation < h;
            boolean v2 = iy + 2 * dilation >= 0 && iy + 2 * dilation < h;
            float[] r0 = v0 ? in : zero;
            float[] r1 = v1 ? in : zero;
            float[] r2 = v2 ? in : zero;
            int o0 = v0 ? inOff + iy * rowLen : -1;
            int o1 = v1 ? inOff + (iy + dilation) * rowLen : -1;
            int o2 = v2 ? inOff + (iy + 2 * dilation) * rowLen : -1;
            int ob = outOff + oy * ow * c;
            for (int ch = 0; ch < c; ch += VL) {
                int lanes = Math.min(VL, c - ch);
                for (int p = 0; p < Math.min(dilation, ow); p++) {
                    phase(r0, o0, r1, o1, r2, o2, zero, w, c, ch, lanes, stride, dilation, padLeft, p, ow,
                            packed, cPad, bias, lo, hi, scale, grid, out, ob, tail);
                }
            }
        }
    }

    /** The outputs ox = p, p + d, p + 2d, ... of one row and channel vector: strips where the window is inside. */
    private static void phase(float[] r0, int o0, float[] r1, int o1, float[] r2, int o2, float[] zero,
                              int w, int c, int ch, int lanes, int stride, int d, int padLeft, int p, int ow,
                              float[] packed, int cPad, float[] bias, float lo, float hi, float scale, float grid,
                              float[] out, int ob, float[] tail) {
        int ox = p;
        while (ox < ow) {
            int last = ox + 3 * d;
            boolean strip = last < ow && ox * stride - padLeft >= 0 && last * stride - padLeft + 2 * d < w
                    && o0 >= 0 && o1 >= 0 && o2 >= 0;
            if (strip) {
                int base = ox * stride - padLeft;
                if (stride == 1) {
                    stripS1(r0, o0 + base * c + ch, r1, o1 + base * c + ch, r2, o2 + base * c + ch, d * c,
                            ch, lanes, packed, cPad, bias, lo, hi, scale, grid, out, ob + ox * c + ch, d * c, tail);
                } else {
                    stripS2(r0, o0 + base * c + ch, r1, o1 + base * c + ch, r2, o2 + base * c + ch, d * c,
                            ch, lanes, packed, cPad, bias, lo, hi, scale, grid, out, ob + ox * c + ch, d * c, tail);
                }
                ox += 4 * d;
            } else {
                pixel(r0, o0, r1, o1, r2, o2, zero, w, c, ch, lanes, ox * stride - padLeft, d,
                        packed, cPad, bias, lo, hi, scale, grid, out, ob + ox * c + ch, tail);
                ox += d;
            }
        }
    }

    /**
     * Four outputs spaced {@code step} floats apart, stride 1: each input row contributes columns
     * i, i + dc, ..., i + 5·dc (dc = dilation · C), loaded once.
     */
    private static void stripS1(float[] r0, int i0, float[] r1, int i1, float[] r2, int i2, int dc,
                                int ch, int lanes, float[] packed, int cPad, float[] bias, float lo, float hi, float scale, float grid,
                                float[] out, int o, int step, float[] tail) {
        FloatVector b = FloatVector.fromArray(S, bias, ch);
        FloatVector w0 = FloatVector.fromArray(S, packed, ch);
        FloatVector w1 = FloatVector.fromArray(S, packed, cPad + ch);
        FloatVector w2 = FloatVector.fromArray(S, packed, 2 * cPad + ch);
        FloatVector x0 = FloatVector.fromArray(S, r0, i0);
        FloatVector x1 = FloatVector.fromArray(S, r0, i0 + dc);
        FloatVector x2 = FloatVector.fromArray(S, r0, i0 + 2 * dc);
        FloatVector x3 = FloatVector.fromArray(S, r0, i0 + 3 * dc);
        FloatVector x4 = FloatVector.fromArray(S, r0, i0 + 4 * dc);
        FloatVector x5 = FloatVector.fromArray(S, r0, i0 + 5 * dc);
        FloatVector a0 = x2.fma(w2, x1.fma(w1, x0.fma(w0, b)));
        FloatVector a1 = x3.fma(w2, x2.fma(w1, x1.fma(w0, b)));
        FloatVector a2 = x4.fma(w2, x3.fma(w1, x2.fma(w0, b)));
        FloatVector a3 = x5.fma(w2, x4.fma(w1, x3.fma(w0, b)));
        w0 = FloatVector.fromArray(S, packed, 3 * cPad + ch);
        w1 = FloatVector.fromArray(S, packed, 4 * cPad + ch);
        w2 = FloatVector.fromArray(S, packed, 5 * cPad + ch);
        x0 = FloatVector.fromArray(S, r1, i1);
        x1 = FloatVector.fromArray(S, r1, i1 + dc);
        x2 = FloatVector.fromArray(S, r1, i1 + 2 * dc);
        x3 = FloatVector.fromArray(S, r1, i1 + 3 * dc);
        x4 = FloatVector.fromArray(S, r1, i1 + 4 * dc);
        x5 = FloatVector.fromArray(S, r1, i1 + 5 * dc);
        a0 = x2.fma(w2, x1.fma(w1, x0.fma(w0, a0)));
        a1 = x3.fma(w2, x2.fma(w1, x1.fma(w0, a1)));
        a2 = x4.fma(w2, x3.fma(w1, x2.fma(w0, a2)));
        a3 = x5.fma(w2, x4.fma(w1, x3.fma(w0, a3)));
        w0 = FloatVector.fromArray(S, packed, 6 * cPad + ch);
        w1 = FloatVector.fromArray(S, packed, 7 * cPad + ch);
        w2 = FloatVector.fromArray(S, packed, 8 * cPad + ch);
        x0 = FloatVector.fromArray(S, r2, i2);
        x1 = FloatVector.fromArray(S, r2, i2 + dc);
        x2 = FloatVector.fromArray(S, r2, i2 + 2 * dc);
        x3 = FloatVector.fromArray(S, r2, i2 + 3 * dc);
        x4 = FloatVector.fromArray(S, r2, i2 + 4 * dc);
        x5 = FloatVector.fromArray(S, r2, i2 + 5 * dc);
        a0 = x2.fma(w2, x1.fma(w1, x0.fma(w0, a0)));
        a1 = x3.fma(w2, x2.fma(w1, x1.fma(w0, a1)));
        a2 = x4.fma(w2, x3.fma(w1, x2.fma(w0, a2)));
        a3 = x5.fma(w2, x4.fma(w1, x3.fma(w0, a3)));
        if (grid > 0) {
            FloatVector vs = FloatVector.broadcast(S, scale);
            FloatVector vm = FloatVector.broadcast(S, Elementwise.SNAP_MAGIC);
            FloatVector vg = FloatVector.broadcast(S, grid);
            IntVector tl = IntVector.broadcast(IS, Float.floatToRawIntBits(lo * scale + Elementwise.SNAP_MAGIC));
            IntVector tu = IntVector.broadcast(IS, Float.floatToRawIntBits(hi * scale + Elementwise.SNAP_MAGIC));
            a0 = ((FloatVector) a0.mul(vs).add(vm).reinterpretAsInts().max(tl).min(tu).reinterpretAsFloats()).sub(vm).mul(vg);
            a1 = ((FloatVector) a1.mul(vs).add(vm).reinterpretAsInts().max(tl).min(tu).reinterpretAsFloats()).sub(vm).mul(vg);
            a2 = ((FloatVector) a2.mul(vs).add(vm).reinterpretAsInts().max(tl).min(tu).reinterpretAsFloats()).sub(vm).mul(vg);
            a3 = ((FloatVector) a3.mul(vs).add(vm).reinterpretAsInts().max(tl).min(tu).reinterpretAsFloats()).sub(vm).mul(vg);
        } else {
            FloatVector l = FloatVector.broadcast(S, lo);
            FloatVector u = FloatVector.broadcast(S, hi);
            a0 = a0.blend(l, a0.compare(LE, l)).blend(u, a0.compare(GT, u));
            a1 = a1.blend(l, a1.compare(LE, l)).blend(u, a1.compare(GT, u));
            a2 = a2.blend(l, a2.compare(LE, l)).blend(u, a2.compare(GT, u));
            a3 = a3.blend(l, a3.compare(LE, l)).blend(u, a3.compare(GT, u));
        }
        if (lanes == VL) {
            a0.intoArray(out, o);
            a1.intoArray(out, o + step);
            a2.intoArray(out, o + 2 * step);
            a3.intoArray(out, o + 3 * step);
        } else {
            a0.intoArray(tail, 0);
            a1.intoArray(tail, VL);
            a2.intoArray(tail, 2 * VL);
            a3.intoArray(tail, 3 * VL);
            for (int j = 0; j < 4; j++) {
                System.arraycopy(tail, j * VL, out, o + j * step, lanes);
            }
        }
    }

    /** Like {@link #stripS1} at stride 2: output j reads columns 2j, 2j + 1, 2j + 2 (in units of dc), 9 loads per row. */
    private static void stripS2(float[] r0, int i0, float[] r1, int i1, float[] r2, int i2, int dc,
                                int ch, int lanes, float[] packed, int cPad, float[] bias, float lo, float hi, float scale, float grid,
                                float[] out, int o, int step, float[] tail) {
        FloatVector b = FloatVector.fromArray(S, bias, ch);
        // rows unrolled: no vector is carried through a loop phi (JDK 17 boxes those)
        FloatVector w0 = FloatVector.fromArray(S, packed, ch);
        FloatVector w1 = FloatVector.fromArray(S, packed, 1 * cPad + ch);
        FloatVector w2 = FloatVector.fromArray(S, packed, 2 * cPad + ch);
        FloatVector x0 = FloatVector.fromArray(S, r0, i0);
        FloatVector x1 = FloatVector.fromArray(S, r0, i0 + dc);
        FloatVector x2 = FloatVector.fromArray(S, r0, i0 + 2 * dc);
        FloatVector x3 = FloatVector.fromArray(S, r0, i0 + 3 * dc);
        FloatVector x4 = FloatVector.fromArray(S, r0, i0 + 4 * dc);
        FloatVector x5 = FloatVector.fromArray(S, r0, i0 + 5 * dc);
        FloatVector x6 = FloatVector.fromArray(S, r0, i0 + 6 * dc);
        FloatVector x7 = FloatVector.fromArray(S, r0, i0 + 7 * dc);
        FloatVector x8 = FloatVector.fromArray(S, r0, i0 + 8 * dc);
        FloatVector a0 = x2.fma(w2, x1.fma(w1, x0.fma(w0, b)));
        FloatVector a1 = x4.fma(w2, x3.fma(w1, x2.fma(w0, b)));
        FloatVector a2 = x6.fma(w2, x5.fma(w1, x4.fma(w0, b)));
        FloatVector a3 = x8.fma(w2, x7.fma(w1, x6.fma(w0, b)));
        w0 = FloatVector.fromArray(S, packed, 3 * cPad + ch);
        w1 = FloatVector.fromArray(S, packed, 4 * cPad + ch);
        w2 = FloatVector.fromArray(S, packed, 5 * cPad + ch);
        x0 = FloatVector.fromArray(S, r1, i1);
        x1 = FloatVector.fromArray(S, r1, i1 + dc);
        x2 = FloatVector.fromArray(S, r1, i1 + 2 * dc);
        x3 = FloatVector.fromArray(S, r1, i1 + 3 * dc);
        x4 = FloatVector.fromArray(S, r1, i1 + 4 * dc);
        x5 = FloatVector.fromArray(S, r1, i1 + 5 * dc);
        x6 = FloatVector.fromArray(S, r1, i1 + 6 * dc);
        x7 = FloatVector.fromArray(S, r1, i1 + 7 * dc);
        x8 = FloatVector.fromArray(S, r1, i1 + 8 * dc);
        a0 = x2.fma(w2, x1.fma(w1, x0.fma(w0, a0)));
        a1 = x4.fma(w2, x3.fma(w1, x2.fma(w0, a1)));
        a2 = x6.fma(w2, x5.fma(w1, x4.fma(w0, a2)));
        a3 = x8.fma(w2, x7.fma(w1, x6.fma(w0, a3)));
        w0 = FloatVector.fromArray(S, packed, 6 * cPad + ch);
        w1 = FloatVector.fromArray(S, packed, 7 * cPad + ch);
        w2 = FloatVector.fromArray(S, packed, 8 * cPad + ch);
        x0 = FloatVector.fromArray(S, r2, i2);
        x1 = FloatVector.fromArray(S, r2, i2 + dc);
        x2 = FloatVector.fromArray(S, r2, i2 + 2 * dc);
        x3 = FloatVector.fromArray(S, r2, i2 + 3 * dc);
        x4 = FloatVector.fromArray(S, r2, i2 + 4 * dc);
        x5 = FloatVector.fromArray(S, r2, i2 + 5 * dc);
        x6 = FloatVector.fromArray(S, r2, i2 + 6 * dc);
        x7 = FloatVector.fromArray(S, r2, i2 + 7 * dc);
        x8 = FloatVector.fromArray(S, r2, i2 + 8 * dc);
        a0 = x2.fma(w2, x1.fma(w1, x0.fma(w0, a0)));
        a1 = x4.fma(w2, x3.fma(w1, x2.fma(w0, a1)));
        a2 = x6.fma(w2, x5.fma(w1, x4.fma(w0, a2)));
        a3 = x8.fma(w2, x7.fma(w1, x6.fma(w0, a3)));
        if (grid > 0) {
            FloatVector vs = FloatVector.broadcast(S, scale);
            FloatVector vm = FloatVector.broadcast(S, Elementwise.SNAP_MAGIC);
            FloatVector vg = FloatVector.broadcast(S, grid);
            IntVector tl = IntVector.broadcast(IS, Float.floatToRawIntBits(lo * scale + Elementwise.SNAP_MAGIC));
            IntVector tu = IntVector.broadcast(IS, Float.floatToRawIntBits(hi * scale + Elementwise.SNAP_MAGIC));
            a0 = ((FloatVector) a0.mul(vs).add(vm).reinterpretAsInts().max(tl).min(tu).reinterpretAsFloats()).sub(vm).mul(vg);
            a1 = ((FloatVector) a1.mul(vs).add(vm).reinterpretAsInts().max(tl).min(tu).reinterpretAsFloats()).sub(vm).mul(vg);
            a2 = ((FloatVector) a2.mul(vs).add(vm).reinterpretAsInts().max(tl).min(tu).reinterpretAsFloats()).sub(vm).mul(vg);
            a3 = ((FloatVector) a3.mul(vs).add(vm).reinterpretAsInts().max(tl).min(tu).reinterpretAsFloats()).sub(vm).mul(vg);
        } else {
            FloatVector l = FloatVector.broadcast(S, lo);
            FloatVector u = FloatVector.broadcast(S, hi);
            a0 = a0.blend(l, a0.compare(LE, l)).blend(u, a0.compare(GT, u));
            a1 = a1.blend(l, a1.compare(LE, l)).blend(u, a1.compare(GT, u));
            a2 = a2.blend(l, a2.compare(LE, l)).blend(u, a2.compare(GT, u));
            a3 = a3.blend(l, a3.compare(LE, l)).blend(u, a3.compare(GT, u));
        }
        if (lanes == VL) {
            a0.intoArray(out, o);
            a1.intoArray(out, o + step);
            a2.intoArray(out, o + 2 * step);
            a3.intoArray(out, o + 3 * step);
        } else {
            a0.intoArray(tail, 0);
            a1.intoArray(tail, VL);
            a2.intoArray(tail, 2 * VL);
            a3.intoArray(tail, 3 * VL);
            for (int j = 0; j < 4; j++) {
                System.arraycopy(tail, j * VL, out, o + j * step, lanes);
            }
        }
    }

    /** One output at a frame edge: taps outside the image (column ix + kx·d, or a row marked -1) read zeros. */
    private static void pixel(float[] r0, int o0, float[] r1, int o1, float[] r2, int o2, float[] zero,
                              int w, int c, int ch, int lanes, int ix, int d,
                              float[] packed, int cPad, float[] bias, float lo, float hi, float scale, float grid,
                              float[] out, int o, float[] tail) {
        boolean k0 = ix >= 0 && ix < w;
        boolean k1 = ix + d >= 0 && ix + d < w;
        boolean k2 = ix + 2 * d >= 0 && ix + 2 * d < w;
        boolean y0 = o0 >= 0;
        boolean y1 = o1 >= 0;
        boolean y2 = o2 >= 0;
        int c0 = ix * c + ch;
        int c1 = c0 + d * c;
        int c2 = c1 + d * c;
        FloatVector a = FloatVector.fromArray(S, bias, ch);
        a = FloatVector.fromArray(S, y0 && k0 ? r0 : zero, y0 && k0 ? o0 + c0 : ch).fma(FloatVector.fromArray(S, packed, ch), a);
        a = FloatVector.fromArray(S, y0 && k1 ? r0 : zero, y0 && k1 ? o0 + c1 : ch).fma(FloatVector.fromArray(S, packed, cPad + ch), a);
        a = FloatVector.fromArray(S, y0 && k2 ? r0 : zero, y0 && k2 ? o0 + c2 : ch).fma(FloatVector.fromArray(S, packed, 2 * cPad + ch), a);
        a = FloatVector.fromArray(S, y1 && k0 ? r1 : zero, y1 && k0 ? o1 + c0 : ch).fma(FloatVector.fromArray(S, packed, 3 * cPad + ch), a);
        a = FloatVector.fromArray(S, y1 && k1 ? r1 : zero, y1 && k1 ? o1 + c1 : ch).fma(FloatVector.fromArray(S, packed, 4 * cPad + ch), a);
        a = FloatVector.fromArray(S, y1 && k2 ? r1 : zero, y1 && k2 ? o1 + c2 : ch).fma(FloatVector.fromArray(S, packed, 5 * cPad + ch), a);
        a = FloatVector.fromArray(S, y2 && k0 ? r2 : zero, y2 && k0 ? o2 + c0 : ch).fma(FloatVector.fromArray(S, packed, 6 * cPad + ch), a);
        a = FloatVector.fromArray(S, y2 && k1 ? r2 : zero, y2 && k1 ? o2 + c1 : ch).fma(FloatVector.fromArray(S, packed, 7 * cPad + ch), a);
        a = FloatVector.fromArray(S, y2 && k2 ? r2 : zero, y2 && k2 ? o2 + c2 : ch).fma(FloatVector.fromArray(S, packed, 8 * cPad + ch), a);
        if (grid > 0) {
            float magic = Elementwise.SNAP_MAGIC;
            IntVector t = a.mul(scale).add(magic).reinterpretAsInts();
            a = ((FloatVector) t.max(Float.floatToRawIntBits(lo * scale + magic))
                    .min(Float.floatToRawIntBits(hi * scale + magic)).reinterpretAsFloats()).sub(magic).mul(grid);
        } else {
            a = a.max(FloatVector.broadcast(S, lo)).min(FloatVector.broadcast(S, hi));
        }
        if (lanes == VL) {
            a.intoArray(out, o);
        } else {
            a.intoArray(tail, 0);
            System.arraycopy(tail, 0, out, o, lanes);
        }
    }
}
