package io.framewise.inference.kernels.simd;

import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LE;

import java.lang.invoke.MethodHandles;
import java.util.Arrays;

import io.framewise.inference.kernels.DilatedDepthwiseConv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Atrous depthwise 3×3 (dilation d ≥ 1, stride 1 or 2), vectorized over channels and tiled as
 * (block of output rows) × (one channel vector) × (output row) × (phase p of d) × (strips of 4 output
 * columns of that phase).
 *
 * <p>Why phases: with dilation d, output columns ox, ox + d, ox + 2d, ox + 3d read input columns
 * {@code base + m·d} for m = 0..5 (stride 1) or 0..8 (stride 2), exactly the pattern four adjacent
 * outputs of an undilated convolution read at spacing 1. Walking the outputs of one phase (ox ≡ p mod d)
 * in strips of 4 therefore keeps the undilated kernel's load count: 6 (stride 1) or 9 (stride 2) loads
 * per input row for 12 FMAs. Four adjacent outputs instead would need 4 + 2d distinct columns (8 loads
 * at d = 2, 12 at d = 4).
 *
 * <p>Each phase keeps the 9 taps and the bias in registers and walks its strips in one method
 * ({@link #phaseS1} / {@link #phaseS2}); strips whose window leaves the image (the first and last of
 * a phase, rows within 2d of the top and bottom) go through {@link #edgeS1} / {@link #edgeS2}, which
 * read a shared all-zero vector for outside taps. Until session 15 every strip was a call (C2 does not
 * inline a 1.3 KB method, so the taps were reloaded per 4 outputs) and edge outputs went pixel by
 * pixel: on DeepLab's 33×33×960 map at dilation 2 that ran at 12-14 GFLOP/s, now 20-21, against
 * 35-37 for the undilated row-tiled kernel on the same map (standalone, measured with a rounding
 * epilogue in the strips that was later taken out; docs/benchmarks.md). Only a phase of fewer than 4
 * outputs still goes through {@link #pixel}. Every output runs the same FMA chain in the same order as
 * the reference twin (bias, then ky-major, kx-minor). Channel tail, packed weights and the JDK 17 rules
 * (no vector crosses a call, no masked stores) as in {@link DwConv3x3RowTiled}.
 */
public final class DwConv3x3DilatedPhaseStrip4 implements DilatedDepthwiseConv {

    private static final VectorSpecies<Float> S = SpeciesSpecialization.bound(MethodHandles.lookup());
    private static final int VL = S.length();
    /** Read-only zeros standing in for taps outside the image; replaced (never written) when more are needed. */
    private static volatile float[] zeroRow = new float[0];
    private static final int BLOCK_BYTES = 256 * 1024;
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
                    float[] out, int outOff, int oh, int ow, float lo, float hi) {
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
        // Cache blocking as in DwConv3x3RowTiled: a block of output rows whose input rows fit in a quarter
        // of L2, walked channel vector by channel vector, so the 2d + 1 input rows of one vector stay in
        // L1 from one output row to the next. DeepLab's 33×33×960 rows (127 KB) make one-row blocks; the
        // standalone figures did not separate this from noise on the shapes measured (docs/benchmarks.md).
        int span = (2 * dilation + stride) / stride; // output rows whose windows one input row spans, roughly
        int block = (int) Math.max(1, BLOCK_BYTES / Math.max(1L, (long) rowLen * Float.BYTES) / stride - span);
        for (int yb = 0; yb < oh; yb += block) {
            int ye = Math.min(oh, yb + block);
            for (int ch = 0; ch < c; ch += VL) {
                int lanes = Math.min(VL, c - ch);
                for (int oy = yb; oy < ye; oy++) {
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
                    for (int p = 0; p < Math.min(dilation, ow); p++) {
                        phase(r0, o0, r1, o1, r2, o2, zero, w, c, ch, lanes, stride, dilation, padLeft, p, ow,
                                packed, cPad, bias, lo, hi, out, ob, tail);
                    }
                }
            }
        }
    }

    /** The outputs ox = p, p + d, p + 2d, ... of one row and channel vector; a phase of fewer than 4 pixel by pixel. */
    private static void phase(float[] r0, int o0, float[] r1, int o1, float[] r2, int o2, float[] zero,
                              int w, int c, int ch, int lanes, int stride, int d, int padLeft, int p, int ow,
                              float[] packed, int cPad, float[] bias, float lo, float hi,
                              float[] out, int ob, float[] tail) {
        if ((ow - 1 - p) / d + 1 < 4) {
            for (int ox = p; ox < ow; ox += d) {
                pixel(r0, o0, r1, o1, r2, o2, zero, w, c, ch, lanes, ox * stride - padLeft, d,
                        packed, cPad, bias, lo, hi, out, ob + ox * c + ch, tail);
            }
        } else if (stride == 1) {
            phaseS1(r0, o0, r1, o1, r2, o2, zero, w, c, ch, lanes, d, padLeft, p, ow, packed, cPad, bias, lo, hi,
                    out, ob, tail);
        } else {
            phaseS2(r0, o0, r1, o1, r2, o2, zero, w, c, ch, lanes, d, padLeft, p, ow, packed, cPad, bias, lo, hi,
                    out, ob, tail);
        }
    }

    /**
     * The outputs ox = p, p + d, ..., of one row and channel vector (at least 4), stride 1: strips of
     * 4 with the taps and bias in registers for the whole phase (a strip per call, reloading them, ran
     * at half this speed: C2 does not inline a 1.3 KB strip method). A strip whose window crosses the frame
     * goes through {@link #edgeS1}, which reads zeros for outside taps: same FMA chain. The last strip is shifted back to end at the last output (recomputing, identically, outputs
     * the strip before it stored).
     */
    private static void phaseS1(float[] r0, int o0, float[] r1, int o1, float[] r2, int o2, float[] zero,
                                int w, int c, int ch, int lanes, int d, int padLeft, int p, int ow,
                                float[] packed, int cPad, float[] bias, float lo, float hi,
                                float[] out, int ob, float[] tail) {
        int lastStart = p + ((ow - 1 - p) / d - 3) * d;
        boolean rowsInside = o0 >= 0 && o1 >= 0 && o2 >= 0;
        int dc = d * c;
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
        for (int ox = p; ox < ow; ) {
            int start = Math.min(ox, lastStart);
            int base = start - padLeft;
            int o = ob + start * c + ch;
            ox = start + 4 * d;
            if (!rowsInside || base < 0 || base + 5 * d >= w) {
                edgeS1(r0, o0, r1, o1, r2, o2, zero, w, c, ch, lanes, base, d, packed, cPad, bias, lo, hi,
                        out, o, tail);
                continue;
            }
            int i0 = o0 + base * c + ch, i1 = o1 + base * c + ch, i2 = o2 + base * c + ch;
            FloatVector x0 = FloatVector.fromArray(S, r0, i0);
            FloatVector x1 = FloatVector.fromArray(S, r0, i0 + dc);
            FloatVector x2 = FloatVector.fromArray(S, r0, i0 + 2 * dc);
            FloatVector x3 = FloatVector.fromArray(S, r0, i0 + 3 * dc);
            FloatVector x4 = FloatVector.fromArray(S, r0, i0 + 4 * dc);
            FloatVector x5 = FloatVector.fromArray(S, r0, i0 + 5 * dc);
            FloatVector a0 = x2.fma(w02, x1.fma(w01, x0.fma(w00, b)));
            FloatVector a1 = x3.fma(w02, x2.fma(w01, x1.fma(w00, b)));
            FloatVector a2 = x4.fma(w02, x3.fma(w01, x2.fma(w00, b)));
            FloatVector a3 = x5.fma(w02, x4.fma(w01, x3.fma(w00, b)));
            x0 = FloatVector.fromArray(S, r1, i1);
            x1 = FloatVector.fromArray(S, r1, i1 + dc);
            x2 = FloatVector.fromArray(S, r1, i1 + 2 * dc);
            x3 = FloatVector.fromArray(S, r1, i1 + 3 * dc);
            x4 = FloatVector.fromArray(S, r1, i1 + 4 * dc);
            x5 = FloatVector.fromArray(S, r1, i1 + 5 * dc);
            a0 = x2.fma(w12, x1.fma(w11, x0.fma(w10, a0)));
            a1 = x3.fma(w12, x2.fma(w11, x1.fma(w10, a1)));
            a2 = x4.fma(w12, x3.fma(w11, x2.fma(w10, a2)));
            a3 = x5.fma(w12, x4.fma(w11, x3.fma(w10, a3)));
            x0 = FloatVector.fromArray(S, r2, i2);
            x1 = FloatVector.fromArray(S, r2, i2 + dc);
            x2 = FloatVector.fromArray(S, r2, i2 + 2 * dc);
            x3 = FloatVector.fromArray(S, r2, i2 + 3 * dc);
            x4 = FloatVector.fromArray(S, r2, i2 + 4 * dc);
            x5 = FloatVector.fromArray(S, r2, i2 + 5 * dc);
            a0 = x2.fma(w22, x1.fma(w21, x0.fma(w20, a0)));
            a1 = x3.fma(w22, x2.fma(w21, x1.fma(w20, a1)));
            a2 = x4.fma(w22, x3.fma(w21, x2.fma(w20, a2)));
            a3 = x5.fma(w22, x4.fma(w21, x3.fma(w20, a3)));
            a0 = a0.blend(l, a0.compare(LE, l)).blend(u, a0.compare(GT, u));
            a1 = a1.blend(l, a1.compare(LE, l)).blend(u, a1.compare(GT, u));
            a2 = a2.blend(l, a2.compare(LE, l)).blend(u, a2.compare(GT, u));
            a3 = a3.blend(l, a3.compare(LE, l)).blend(u, a3.compare(GT, u));
            if (lanes == VL) {
                a0.intoArray(out, o);
                a1.intoArray(out, o + dc);
                a2.intoArray(out, o + 2 * dc);
                a3.intoArray(out, o + 3 * dc);
            } else {
                a0.intoArray(tail, 0);
                a1.intoArray(tail, VL);
                a2.intoArray(tail, 2 * VL);
                a3.intoArray(tail, 3 * VL);
                for (int j = 0; j < 4; j++) {
                    System.arraycopy(tail, j * VL, out, o + j * dc, lanes);
                }
            }
        }
    }

    /**
     * The outputs ox = p, p + d, ..., of one row and channel vector (at least 4), stride 2: strips of
     * 4 with the taps and bias in registers for the whole phase (a strip per call, reloading them, ran
     * at half this speed: C2 does not inline a 1.3 KB strip method). A strip whose window crosses the frame
     * goes through {@link #edgeS2}, which reads zeros for outside taps: same FMA chain. The last strip is shifted back to end at the last output (recomputing, identically, outputs
     * the strip before it stored).
     */
    private static void phaseS2(float[] r0, int o0, float[] r1, int o1, float[] r2, int o2, float[] zero,
                                int w, int c, int ch, int lanes, int d, int padLeft, int p, int ow,
                                float[] packed, int cPad, float[] bias, float lo, float hi,
                                float[] out, int ob, float[] tail) {
        int lastStart = p + ((ow - 1 - p) / d - 3) * d;
        boolean rowsInside = o0 >= 0 && o1 >= 0 && o2 >= 0;
        int dc = d * c;
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
        for (int ox = p; ox < ow; ) {
            int start = Math.min(ox, lastStart);
            int base = start * 2 - padLeft;
            int o = ob + start * c + ch;
            ox = start + 4 * d;
            if (!rowsInside || base < 0 || base + 8 * d >= w) {
                edgeS2(r0, o0, r1, o1, r2, o2, zero, w, c, ch, lanes, base, d, packed, cPad, bias, lo, hi,
                        out, o, tail);
                continue;
            }
            int i0 = o0 + base * c + ch, i1 = o1 + base * c + ch, i2 = o2 + base * c + ch;
            FloatVector x0 = FloatVector.fromArray(S, r0, i0);
            FloatVector x1 = FloatVector.fromArray(S, r0, i0 + dc);
            FloatVector x2 = FloatVector.fromArray(S, r0, i0 + 2 * dc);
            FloatVector x3 = FloatVector.fromArray(S, r0, i0 + 3 * dc);
            FloatVector x4 = FloatVector.fromArray(S, r0, i0 + 4 * dc);
            FloatVector x5 = FloatVector.fromArray(S, r0, i0 + 5 * dc);
            FloatVector x6 = FloatVector.fromArray(S, r0, i0 + 6 * dc);
            FloatVector x7 = FloatVector.fromArray(S, r0, i0 + 7 * dc);
            FloatVector x8 = FloatVector.fromArray(S, r0, i0 + 8 * dc);
            FloatVector a0 = x2.fma(w02, x1.fma(w01, x0.fma(w00, b)));
            FloatVector a1 = x4.fma(w02, x3.fma(w01, x2.fma(w00, b)));
            FloatVector a2 = x6.fma(w02, x5.fma(w01, x4.fma(w00, b)));
            FloatVector a3 = x8.fma(w02, x7.fma(w01, x6.fma(w00, b)));
            x0 = FloatVector.fromArray(S, r1, i1);
            x1 = FloatVector.fromArray(S, r1, i1 + dc);
            x2 = FloatVector.fromArray(S, r1, i1 + 2 * dc);
            x3 = FloatVector.fromArray(S, r1, i1 + 3 * dc);
            x4 = FloatVector.fromArray(S, r1, i1 + 4 * dc);
            x5 = FloatVector.fromArray(S, r1, i1 + 5 * dc);
            x6 = FloatVector.fromArray(S, r1, i1 + 6 * dc);
            x7 = FloatVector.fromArray(S, r1, i1 + 7 * dc);
            x8 = FloatVector.fromArray(S, r1, i1 + 8 * dc);
            a0 = x2.fma(w12, x1.fma(w11, x0.fma(w10, a0)));
            a1 = x4.fma(w12, x3.fma(w11, x2.fma(w10, a1)));
            a2 = x6.fma(w12, x5.fma(w11, x4.fma(w10, a2)));
            a3 = x8.fma(w12, x7.fma(w11, x6.fma(w10, a3)));
            x0 = FloatVector.fromArray(S, r2, i2);
            x1 = FloatVector.fromArray(S, r2, i2 + dc);
            x2 = FloatVector.fromArray(S, r2, i2 + 2 * dc);
            x3 = FloatVector.fromArray(S, r2, i2 + 3 * dc);
            x4 = FloatVector.fromArray(S, r2, i2 + 4 * dc);
            x5 = FloatVector.fromArray(S, r2, i2 + 5 * dc);
            x6 = FloatVector.fromArray(S, r2, i2 + 6 * dc);
            x7 = FloatVector.fromArray(S, r2, i2 + 7 * dc);
            x8 = FloatVector.fromArray(S, r2, i2 + 8 * dc);
            a0 = x2.fma(w22, x1.fma(w21, x0.fma(w20, a0)));
            a1 = x4.fma(w22, x3.fma(w21, x2.fma(w20, a1)));
            a2 = x6.fma(w22, x5.fma(w21, x4.fma(w20, a2)));
            a3 = x8.fma(w22, x7.fma(w21, x6.fma(w20, a3)));
            a0 = a0.blend(l, a0.compare(LE, l)).blend(u, a0.compare(GT, u));
            a1 = a1.blend(l, a1.compare(LE, l)).blend(u, a1.compare(GT, u));
            a2 = a2.blend(l, a2.compare(LE, l)).blend(u, a2.compare(GT, u));
            a3 = a3.blend(l, a3.compare(LE, l)).blend(u, a3.compare(GT, u));
            if (lanes == VL) {
                a0.intoArray(out, o);
                a1.intoArray(out, o + dc);
                a2.intoArray(out, o + 2 * dc);
                a3.intoArray(out, o + 3 * dc);
            } else {
                a0.intoArray(tail, 0);
                a1.intoArray(tail, VL);
                a2.intoArray(tail, 2 * VL);
                a3.intoArray(tail, 3 * VL);
                for (int j = 0; j < 4; j++) {
                    System.arraycopy(tail, j * VL, out, o + j * dc, lanes);
                }
            }
        }
    }

    /**
     * Four outputs d apart, stride 1, whose window crosses the frame: a tap outside it (column outside
     * [0, w), or a row marked -1) reads the zero vector (an array select, not a branch around vector code),
     * so every output runs the interior strips' FMA chain. Loads its own taps: no vector crosses the call.
     */
    private static void edgeS1(float[] r0, int o0, float[] r1, int o1, float[] r2, int o2, float[] zero,
                               int w, int c, int ch, int lanes, int base, int d,
                               float[] packed, int cPad, float[] bias, float lo, float hi,
                               float[] out, int o, float[] tail) {
        int dc = d * c;
        boolean k0 = base + 0 * d >= 0 && base + 0 * d < w;
        boolean k1 = base + 1 * d >= 0 && base + 1 * d < w;
        boolean k2 = base + 2 * d >= 0 && base + 2 * d < w;
        boolean k3 = base + 3 * d >= 0 && base + 3 * d < w;
        boolean k4 = base + 4 * d >= 0 && base + 4 * d < w;
        boolean k5 = base + 5 * d >= 0 && base + 5 * d < w;
        int at = base * c + ch;
        FloatVector b = FloatVector.fromArray(S, bias, ch);
        FloatVector w00 = FloatVector.fromArray(S, packed, 0 * cPad + ch);
        FloatVector w01 = FloatVector.fromArray(S, packed, 1 * cPad + ch);
        FloatVector w02 = FloatVector.fromArray(S, packed, 2 * cPad + ch);
        FloatVector w10 = FloatVector.fromArray(S, packed, 3 * cPad + ch);
        FloatVector w11 = FloatVector.fromArray(S, packed, 4 * cPad + ch);
        FloatVector w12 = FloatVector.fromArray(S, packed, 5 * cPad + ch);
        FloatVector w20 = FloatVector.fromArray(S, packed, 6 * cPad + ch);
        FloatVector w21 = FloatVector.fromArray(S, packed, 7 * cPad + ch);
        FloatVector w22 = FloatVector.fromArray(S, packed, 8 * cPad + ch);
        boolean y0 = o0 >= 0;
        boolean y1 = o1 >= 0;
        boolean y2 = o2 >= 0;
        FloatVector x00 = FloatVector.fromArray(S, y0 && k0 ? r0 : zero, y0 && k0 ? o0 + at + 0 * dc : ch);
        FloatVector x01 = FloatVector.fromArray(S, y0 && k1 ? r0 : zero, y0 && k1 ? o0 + at + 1 * dc : ch);
        FloatVector x02 = FloatVector.fromArray(S, y0 && k2 ? r0 : zero, y0 && k2 ? o0 + at + 2 * dc : ch);
        FloatVector x03 = FloatVector.fromArray(S, y0 && k3 ? r0 : zero, y0 && k3 ? o0 + at + 3 * dc : ch);
        FloatVector x04 = FloatVector.fromArray(S, y0 && k4 ? r0 : zero, y0 && k4 ? o0 + at + 4 * dc : ch);
        FloatVector x05 = FloatVector.fromArray(S, y0 && k5 ? r0 : zero, y0 && k5 ? o0 + at + 5 * dc : ch);
        FloatVector x10 = FloatVector.fromArray(S, y1 && k0 ? r1 : zero, y1 && k0 ? o1 + at + 0 * dc : ch);
        FloatVector x11 = FloatVector.fromArray(S, y1 && k1 ? r1 : zero, y1 && k1 ? o1 + at + 1 * dc : ch);
        FloatVector x12 = FloatVector.fromArray(S, y1 && k2 ? r1 : zero, y1 && k2 ? o1 + at + 2 * dc : ch);
        FloatVector x13 = FloatVector.fromArray(S, y1 && k3 ? r1 : zero, y1 && k3 ? o1 + at + 3 * dc : ch);
        FloatVector x14 = FloatVector.fromArray(S, y1 && k4 ? r1 : zero, y1 && k4 ? o1 + at + 4 * dc : ch);
        FloatVector x15 = FloatVector.fromArray(S, y1 && k5 ? r1 : zero, y1 && k5 ? o1 + at + 5 * dc : ch);
        FloatVector x20 = FloatVector.fromArray(S, y2 && k0 ? r2 : zero, y2 && k0 ? o2 + at + 0 * dc : ch);
        FloatVector x21 = FloatVector.fromArray(S, y2 && k1 ? r2 : zero, y2 && k1 ? o2 + at + 1 * dc : ch);
        FloatVector x22 = FloatVector.fromArray(S, y2 && k2 ? r2 : zero, y2 && k2 ? o2 + at + 2 * dc : ch);
        FloatVector x23 = FloatVector.fromArray(S, y2 && k3 ? r2 : zero, y2 && k3 ? o2 + at + 3 * dc : ch);
        FloatVector x24 = FloatVector.fromArray(S, y2 && k4 ? r2 : zero, y2 && k4 ? o2 + at + 4 * dc : ch);
        FloatVector x25 = FloatVector.fromArray(S, y2 && k5 ? r2 : zero, y2 && k5 ? o2 + at + 5 * dc : ch);
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
            a1.intoArray(out, o + dc);
            a2.intoArray(out, o + 2 * dc);
            a3.intoArray(out, o + 3 * dc);
        } else {
            a0.intoArray(tail, 0);
            a1.intoArray(tail, VL);
            a2.intoArray(tail, 2 * VL);
            a3.intoArray(tail, 3 * VL);
            for (int j = 0; j < 4; j++) {
                System.arraycopy(tail, j * VL, out, o + j * dc, lanes);
            }
        }
    }

    /**
     * Four outputs d apart, stride 2, whose window crosses the frame: a tap outside it (column outside
     * [0, w), or a row marked -1) reads the zero vector (an array select, not a branch around vector code),
     * so every output runs the interior strips' FMA chain. Loads its own taps: no vector crosses the call.
     */
    private static void edgeS2(float[] r0, int o0, float[] r1, int o1, float[] r2, int o2, float[] zero,
                               int w, int c, int ch, int lanes, int base, int d,
                               float[] packed, int cPad, float[] bias, float lo, float hi,
                               float[] out, int o, float[] tail) {
        int dc = d * c;
        boolean k0 = base + 0 * d >= 0 && base + 0 * d < w;
        boolean k1 = base + 1 * d >= 0 && base + 1 * d < w;
        boolean k2 = base + 2 * d >= 0 && base + 2 * d < w;
        boolean k3 = base + 3 * d >= 0 && base + 3 * d < w;
        boolean k4 = base + 4 * d >= 0 && base + 4 * d < w;
        boolean k5 = base + 5 * d >= 0 && base + 5 * d < w;
        boolean k6 = base + 6 * d >= 0 && base + 6 * d < w;
        boolean k7 = base + 7 * d >= 0 && base + 7 * d < w;
        boolean k8 = base + 8 * d >= 0 && base + 8 * d < w;
        int at = base * c + ch;
        FloatVector b = FloatVector.fromArray(S, bias, ch);
        FloatVector w00 = FloatVector.fromArray(S, packed, 0 * cPad + ch);
        FloatVector w01 = FloatVector.fromArray(S, packed, 1 * cPad + ch);
        FloatVector w02 = FloatVector.fromArray(S, packed, 2 * cPad + ch);
        FloatVector w10 = FloatVector.fromArray(S, packed, 3 * cPad + ch);
        FloatVector w11 = FloatVector.fromArray(S, packed, 4 * cPad + ch);
        FloatVector w12 = FloatVector.fromArray(S, packed, 5 * cPad + ch);
        FloatVector w20 = FloatVector.fromArray(S, packed, 6 * cPad + ch);
        FloatVector w21 = FloatVector.fromArray(S, packed, 7 * cPad + ch);
        FloatVector w22 = FloatVector.fromArray(S, packed, 8 * cPad + ch);
        boolean y0 = o0 >= 0;
        boolean y1 = o1 >= 0;
        boolean y2 = o2 >= 0;
        FloatVector x00 = FloatVector.fromArray(S, y0 && k0 ? r0 : zero, y0 && k0 ? o0 + at + 0 * dc : ch);
        FloatVector x01 = FloatVector.fromArray(S, y0 && k1 ? r0 : zero, y0 && k1 ? o0 + at + 1 * dc : ch);
        FloatVector x02 = FloatVector.fromArray(S, y0 && k2 ? r0 : zero, y0 && k2 ? o0 + at + 2 * dc : ch);
        FloatVector x03 = FloatVector.fromArray(S, y0 && k3 ? r0 : zero, y0 && k3 ? o0 + at + 3 * dc : ch);
        FloatVector x04 = FloatVector.fromArray(S, y0 && k4 ? r0 : zero, y0 && k4 ? o0 + at + 4 * dc : ch);
        FloatVector x05 = FloatVector.fromArray(S, y0 && k5 ? r0 : zero, y0 && k5 ? o0 + at + 5 * dc : ch);
        FloatVector x06 = FloatVector.fromArray(S, y0 && k6 ? r0 : zero, y0 && k6 ? o0 + at + 6 * dc : ch);
        FloatVector x07 = FloatVector.fromArray(S, y0 && k7 ? r0 : zero, y0 && k7 ? o0 + at + 7 * dc : ch);
        FloatVector x08 = FloatVector.fromArray(S, y0 && k8 ? r0 : zero, y0 && k8 ? o0 + at + 8 * dc : ch);
        FloatVector x10 = FloatVector.fromArray(S, y1 && k0 ? r1 : zero, y1 && k0 ? o1 + at + 0 * dc : ch);
        FloatVector x11 = FloatVector.fromArray(S, y1 && k1 ? r1 : zero, y1 && k1 ? o1 + at + 1 * dc : ch);
        FloatVector x12 = FloatVector.fromArray(S, y1 && k2 ? r1 : zero, y1 && k2 ? o1 + at + 2 * dc : ch);
        FloatVector x13 = FloatVector.fromArray(S, y1 && k3 ? r1 : zero, y1 && k3 ? o1 + at + 3 * dc : ch);
        FloatVector x14 = FloatVector.fromArray(S, y1 && k4 ? r1 : zero, y1 && k4 ? o1 + at + 4 * dc : ch);
        FloatVector x15 = FloatVector.fromArray(S, y1 && k5 ? r1 : zero, y1 && k5 ? o1 + at + 5 * dc : ch);
        FloatVector x16 = FloatVector.fromArray(S, y1 && k6 ? r1 : zero, y1 && k6 ? o1 + at + 6 * dc : ch);
        FloatVector x17 = FloatVector.fromArray(S, y1 && k7 ? r1 : zero, y1 && k7 ? o1 + at + 7 * dc : ch);
        FloatVector x18 = FloatVector.fromArray(S, y1 && k8 ? r1 : zero, y1 && k8 ? o1 + at + 8 * dc : ch);
        FloatVector x20 = FloatVector.fromArray(S, y2 && k0 ? r2 : zero, y2 && k0 ? o2 + at + 0 * dc : ch);
        FloatVector x21 = FloatVector.fromArray(S, y2 && k1 ? r2 : zero, y2 && k1 ? o2 + at + 1 * dc : ch);
        FloatVector x22 = FloatVector.fromArray(S, y2 && k2 ? r2 : zero, y2 && k2 ? o2 + at + 2 * dc : ch);
        FloatVector x23 = FloatVector.fromArray(S, y2 && k3 ? r2 : zero, y2 && k3 ? o2 + at + 3 * dc : ch);
        FloatVector x24 = FloatVector.fromArray(S, y2 && k4 ? r2 : zero, y2 && k4 ? o2 + at + 4 * dc : ch);
        FloatVector x25 = FloatVector.fromArray(S, y2 && k5 ? r2 : zero, y2 && k5 ? o2 + at + 5 * dc : ch);
        FloatVector x26 = FloatVector.fromArray(S, y2 && k6 ? r2 : zero, y2 && k6 ? o2 + at + 6 * dc : ch);
        FloatVector x27 = FloatVector.fromArray(S, y2 && k7 ? r2 : zero, y2 && k7 ? o2 + at + 7 * dc : ch);
        FloatVector x28 = FloatVector.fromArray(S, y2 && k8 ? r2 : zero, y2 && k8 ? o2 + at + 8 * dc : ch);
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
            a1.intoArray(out, o + dc);
            a2.intoArray(out, o + 2 * dc);
            a3.intoArray(out, o + 3 * dc);
        } else {
            a0.intoArray(tail, 0);
            a1.intoArray(tail, VL);
            a2.intoArray(tail, 2 * VL);
            a3.intoArray(tail, 3 * VL);
            for (int j = 0; j < 4; j++) {
                System.arraycopy(tail, j * VL, out, o + j * dc, lanes);
            }
        }
    }

    /** One output at a frame edge: taps outside the image (column ix + kx·d, or a row marked -1) read zeros. */
    private static void pixel(float[] r0, int o0, float[] r1, int o1, float[] r2, int o2, float[] zero,
                              int w, int c, int ch, int lanes, int ix, int d,
                              float[] packed, int cPad, float[] bias, float lo, float hi,
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
        a = a.max(FloatVector.broadcast(S, lo)).min(FloatVector.broadcast(S, hi));
        if (lanes == VL) {
            a.intoArray(out, o);
        } else {
            a.intoArray(tail, 0);
            System.arraycopy(tail, 0, out, o, lanes);
        }
    }
}
