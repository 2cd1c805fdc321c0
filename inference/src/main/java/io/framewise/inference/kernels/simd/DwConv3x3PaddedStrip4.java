package io.framewise.inference.kernels.simd;

import java.lang.invoke.MethodHandles;

import io.framewise.inference.kernels.Elementwise;
import io.framewise.inference.kernels.PaddedDepthwiseConv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Depthwise 3×3 on an explicitly zero-padded input ({@link PaddedDepthwiseConv}), tiled as (one channel
 * vector) × (all requested output rows) × (strips of 4 output columns): stride 1 with dilation 1 or 2,
 * stride 2 with dilation 1.
 *
 * <p>Why it is faster than {@link DwConv3x3RowTiled} on the same arithmetic: no border strips (the
 * padding is in memory, so every strip is the interior code: no per-tap select of a zero row, no
 * per-load range check on a second array), and the 9 taps, bias and bounds are loaded once per channel
 * vector and plane instead of once per row and border strip. A driver on the network's shapes (same
 * JVM, both kernels on line-aligned arrays, GFLOP/s): 7×7×960 26 → 63, 14×14×576 33 → 61, 28×28×192
 * 50 → 71, 56×56×144 57 → 85, 33×33×960 dilation 2 against {@link DwConv3x3DilatedPhaseStrip4}
 * 24 → 52 (docs/benchmarks.md, session 19).
 *
 * <p>Hot spot: the strip bodies of {@link #planeS1Rows2}, {@link #planeS1D2} and {@link #planeS2}: for 4
 * adjacent output pixels each input row contributes 6, 8 or 9 loads to 12 FMAs. Shaped like
 * {@code DwConv3x3RowTiled}'s (see there): no vector crosses a call, loop-invariant taps, straight-line
 * strips, so C2 boxes nothing.
 *
 * <p>Channels: whole vectors; when C is not a multiple of the lane count the last vector is shifted
 * back to end at C and recomputes its overlap with the same operations (same values, full stores);
 * below one vector of channels a plain loop does the work. Rows narrower than a strip go pixel by pixel.
 */
public final class DwConv3x3PaddedStrip4 implements PaddedDepthwiseConv {

    private static final VectorSpecies<Float> S = SpeciesSpecialization.bound(MethodHandles.lookup());
    private static final VectorSpecies<Integer> SI = VectorSpecies.of(int.class, S.vectorShape());
    private static final int VL = S.length();

    public DwConv3x3PaddedStrip4(VectorSpecies<Float> species) {
        SpeciesSpecialization.check(S, species, DwConv3x3PaddedStrip4.class);
    }

    public static PaddedDepthwiseConv of(VectorSpecies<Float> species) {
        return SpeciesSpecialization.instantiate(MethodHandles.lookup(), PaddedDepthwiseConv.class, species);
    }

    @Override
    public float[] pack(float[] weights, int c) {
        return PanelPacking.depthwise(weights, 3, 3, c, VL);
    }

    @Override
    public boolean supports(int stride, int dilation) {
        return (stride == 1 && (dilation == 1 || dilation == 2)) || (stride == 2 && dilation == 1);
    }

    @Override
    public void run(float[] in, int inOff, int pitch, int c, int stride, int dilation, int rowOff, int colOff,
                    float[] packed, float[] bias, float[] out, int outOff, int ow, int oy0, int oy1, float lo, float hi,
                    float scale, float grid) {
        if (!supports(stride, dilation)) {
            throw new IllegalArgumentException("stride " + stride + " dilation " + dilation + ": not supported");
        }
        if (oy1 <= oy0 || ow <= 0 || c <= 0) {
            return;
        }
        int cPad = (c + VL - 1) / VL * VL;
        // the rounding as x·inv + add - sub, then ·g; without a grid the exact no-op x·1 + (-0) - (+0), ·1
        float inv = grid > 0 ? scale : 1f;
        float add = grid > 0 ? Elementwise.SNAP_MAGIC : -0f;
        float sub = grid > 0 ? Elementwise.SNAP_MAGIC : 0f;
        float g = grid > 0 ? grid : 1f;
        if (c < VL || !IntClamp.exact(lo, hi)) {
            narrow(in, inOff, pitch, c, stride, dilation, rowOff, colOff, packed, cPad, bias, out, outOff, ow, oy0, oy1, lo, hi,
                    inv, add, sub, g);
            return;
        }
        int il = IntClamp.low(lo), iu = IntClamp.high(hi); // the clamp on the accumulators' bits
        for (int v = 0; v < c; v += VL) {
            int ch = Math.min(v, c - VL); // the last vector shifted back to end at C
            int ib = inOff + (oy0 * stride + rowOff) * pitch + colOff * c + ch;
            int ob = outOff + ch;
            int rows = oy1 - oy0;
            if (ow < 4) {
                for (int oy = 0; oy < rows; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        pixel(in, ib + oy * stride * pitch + ox * stride * c, pitch * dilation, c * dilation, ch,
                                packed, cPad, bias, il, iu, inv, add, sub, g, out, ob + (oy * ow + ox) * c);
                    }
                }
            } else if (stride == 2) {
                planeS2(in, ib, pitch, c, ch, rows, ow, packed, cPad, bias, il, iu, inv, add, sub, g, out, ob);
            } else if (dilation == 2) {
                planeS1D2(in, ib, pitch, c, ch, rows, ow, packed, cPad, bias, il, iu, inv, add, sub, g, out, ob);
            } else if (rows >= 2) {
                planeS1Rows2(in, ib, pitch, c, ch, rows, ow, packed, cPad, bias, il, iu, inv, add, sub, g, out, ob);
            } else {
                planeS1(in, ib, pitch, c, ch, rows, ow, packed, cPad, bias, il, iu, inv, add, sub, g, out, ob);
            }
        }
    }

    /** Stride 1, dilation 1, a band of one row: pixel j of a strip reads columns j, j+1, j+2; {@code ib} points at the first output row's window (row 0, column 0, channel {@code ch}). */
    private static void planeS1(float[] in, int ib, int pitch, int c, int ch, int rows, int ow,
                                float[] packed, int cPad, float[] bias, int lo, int hi,
                                float inv, float add, float sub, float g, float[] out, int ob) {
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
        IntVector l = IntVector.broadcast(SI, lo);
        IntVector u = IntVector.broadcast(SI, hi);
        FloatVector vi = FloatVector.broadcast(S, inv), va = FloatVector.broadcast(S, add);
        FloatVector vs = FloatVector.broadcast(S, sub), vg = FloatVector.broadcast(S, g);
        int colStep = c;
        for (int oy = 0; oy < rows; oy++) {
            int rb = ib + oy * pitch;
            int orow = ob + oy * ow * c;
            for (int s = 0; s < ow; s += 4) {
                int ox = Math.min(s, ow - 4); // the last strip ends at the last column, recomputing identically
                int i0 = rb + ox * colStep, i1 = i0 + pitch, i2 = i1 + pitch;
                FloatVector x0 = FloatVector.fromArray(S, in, i0);
                FloatVector x1 = FloatVector.fromArray(S, in, i0 + c);
                FloatVector x2 = FloatVector.fromArray(S, in, i0 + 2 * c);
                FloatVector x3 = FloatVector.fromArray(S, in, i0 + 3 * c);
                FloatVector x4 = FloatVector.fromArray(S, in, i0 + 4 * c);
                FloatVector x5 = FloatVector.fromArray(S, in, i0 + 5 * c);
                FloatVector a0 = x2.fma(w02, x1.fma(w01, x0.fma(w00, b)));
                FloatVector a1 = x3.fma(w02, x2.fma(w01, x1.fma(w00, b)));
                FloatVector a2 = x4.fma(w02, x3.fma(w01, x2.fma(w00, b)));
                FloatVector a3 = x5.fma(w02, x4.fma(w01, x3.fma(w00, b)));
                x0 = FloatVector.fromArray(S, in, i1);
                x1 = FloatVector.fromArray(S, in, i1 + c);
                x2 = FloatVector.fromArray(S, in, i1 + 2 * c);
                x3 = FloatVector.fromArray(S, in, i1 + 3 * c);
                x4 = FloatVector.fromArray(S, in, i1 + 4 * c);
                x5 = FloatVector.fromArray(S, in, i1 + 5 * c);
                a0 = x2.fma(w12, x1.fma(w11, x0.fma(w10, a0)));
                a1 = x3.fma(w12, x2.fma(w11, x1.fma(w10, a1)));
                a2 = x4.fma(w12, x3.fma(w11, x2.fma(w10, a2)));
                a3 = x5.fma(w12, x4.fma(w11, x3.fma(w10, a3)));
                x0 = FloatVector.fromArray(S, in, i2);
                x1 = FloatVector.fromArray(S, in, i2 + c);
                x2 = FloatVector.fromArray(S, in, i2 + 2 * c);
                x3 = FloatVector.fromArray(S, in, i2 + 3 * c);
                x4 = FloatVector.fromArray(S, in, i2 + 4 * c);
                x5 = FloatVector.fromArray(S, in, i2 + 5 * c);
                a0 = x2.fma(w22, x1.fma(w21, x0.fma(w20, a0)));
                a0 = a0.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
                a1 = x3.fma(w22, x2.fma(w21, x1.fma(w20, a1)));
                a1 = a1.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
                a2 = x4.fma(w22, x3.fma(w21, x2.fma(w20, a2)));
                a2 = a2.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
                a3 = x5.fma(w22, x4.fma(w21, x3.fma(w20, a3)));
                a3 = a3.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
                int o = orow + ox * c;
                a0.intoArray(out, o);
                a1.intoArray(out, o + c);
                a2.intoArray(out, o + 2 * c);
                a3.intoArray(out, o + 3 * c);
            }
        }
    }

    /**
     * Stride 1, dilation 1, two output rows per pass (rows ≥ 2): the four input rows of a pair are loaded
     * once for both (24 loads for 8 outputs where one row at a time took 36) and the two rows' 8
     * accumulators are independent chains, so the FMA pipes are not left waiting on one 9-deep chain
     * (driver, same JVM: 14×14×576 48 → 56 GFLOP/s, 28×28×192 58 → 64, 56×56×144 59 → 67). Each
     * output still takes its taps in row-major order (row ky of output oy + 1 is input row ky + 1 of
     * the pair), hence the same bits. An odd last row pair is shifted up one row and recomputes a row.
     */
    private static void planeS1Rows2(float[] in, int ib, int pitch, int c, int ch, int rows, int ow,
                                     float[] packed, int cPad, float[] bias, int lo, int hi,
                                float inv, float add, float sub, float g, float[] out, int ob) {
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
        IntVector l = IntVector.broadcast(SI, lo);
        IntVector u = IntVector.broadcast(SI, hi);
        FloatVector vi = FloatVector.broadcast(S, inv), va = FloatVector.broadcast(S, add);
        FloatVector vs = FloatVector.broadcast(S, sub), vg = FloatVector.broadcast(S, g);
        int oc = ow * c;
        for (int y = 0; y < rows; y += 2) {
            int oy = Math.min(y, rows - 2);
            int rb = ib + oy * pitch;
            int orow = ob + oy * oc;
            for (int s = 0; s < ow; s += 4) {
                int ox = Math.min(s, ow - 4);
                int i0 = rb + ox * c, i1 = i0 + pitch, i2 = i1 + pitch, i3 = i2 + pitch;
                FloatVector x0 = FloatVector.fromArray(S, in, i0);
                FloatVector x1 = FloatVector.fromArray(S, in, i0 + c);
                FloatVector x2 = FloatVector.fromArray(S, in, i0 + 2 * c);
                FloatVector x3 = FloatVector.fromArray(S, in, i0 + 3 * c);
                FloatVector x4 = FloatVector.fromArray(S, in, i0 + 4 * c);
                FloatVector x5 = FloatVector.fromArray(S, in, i0 + 5 * c);
                FloatVector a0 = x2.fma(w02, x1.fma(w01, x0.fma(w00, b)));
                FloatVector a1 = x3.fma(w02, x2.fma(w01, x1.fma(w00, b)));
                FloatVector a2 = x4.fma(w02, x3.fma(w01, x2.fma(w00, b)));
                FloatVector a3 = x5.fma(w02, x4.fma(w01, x3.fma(w00, b)));
                x0 = FloatVector.fromArray(S, in, i1);
                x1 = FloatVector.fromArray(S, in, i1 + c);
                x2 = FloatVector.fromArray(S, in, i1 + 2 * c);
                x3 = FloatVector.fromArray(S, in, i1 + 3 * c);
                x4 = FloatVector.fromArray(S, in, i1 + 4 * c);
                x5 = FloatVector.fromArray(S, in, i1 + 5 * c);
                a0 = x2.fma(w12, x1.fma(w11, x0.fma(w10, a0)));
                a1 = x3.fma(w12, x2.fma(w11, x1.fma(w10, a1)));
                a2 = x4.fma(w12, x3.fma(w11, x2.fma(w10, a2)));
                a3 = x5.fma(w12, x4.fma(w11, x3.fma(w10, a3)));
                FloatVector d0 = x2.fma(w02, x1.fma(w01, x0.fma(w00, b)));
                FloatVector d1 = x3.fma(w02, x2.fma(w01, x1.fma(w00, b)));
                FloatVector d2 = x4.fma(w02, x3.fma(w01, x2.fma(w00, b)));
                FloatVector d3 = x5.fma(w02, x4.fma(w01, x3.fma(w00, b)));
                x0 = FloatVector.fromArray(S, in, i2);
                x1 = FloatVector.fromArray(S, in, i2 + c);
                x2 = FloatVector.fromArray(S, in, i2 + 2 * c);
                x3 = FloatVector.fromArray(S, in, i2 + 3 * c);
                x4 = FloatVector.fromArray(S, in, i2 + 4 * c);
                x5 = FloatVector.fromArray(S, in, i2 + 5 * c);
                a0 = x2.fma(w22, x1.fma(w21, x0.fma(w20, a0)));
                a1 = x3.fma(w22, x2.fma(w21, x1.fma(w20, a1)));
                a2 = x4.fma(w22, x3.fma(w21, x2.fma(w20, a2)));
                a3 = x5.fma(w22, x4.fma(w21, x3.fma(w20, a3)));
                d0 = x2.fma(w12, x1.fma(w11, x0.fma(w10, d0)));
                d1 = x3.fma(w12, x2.fma(w11, x1.fma(w10, d1)));
                d2 = x4.fma(w12, x3.fma(w11, x2.fma(w10, d2)));
                d3 = x5.fma(w12, x4.fma(w11, x3.fma(w10, d3)));
                int o = orow + ox * c;
                a0.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg).intoArray(out, o);
                a1.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg).intoArray(out, o + c);
                a2.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg).intoArray(out, o + 2 * c);
                a3.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg).intoArray(out, o + 3 * c);
                x0 = FloatVector.fromArray(S, in, i3);
                x1 = FloatVector.fromArray(S, in, i3 + c);
                x2 = FloatVector.fromArray(S, in, i3 + 2 * c);
                x3 = FloatVector.fromArray(S, in, i3 + 3 * c);
                x4 = FloatVector.fromArray(S, in, i3 + 4 * c);
                x5 = FloatVector.fromArray(S, in, i3 + 5 * c);
                d0 = x2.fma(w22, x1.fma(w21, x0.fma(w20, d0)));
                d1 = x3.fma(w22, x2.fma(w21, x1.fma(w20, d1)));
                d2 = x4.fma(w22, x3.fma(w21, x2.fma(w20, d2)));
                d3 = x5.fma(w22, x4.fma(w21, x3.fma(w20, d3)));
                o += oc;
                d0.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg).intoArray(out, o);
                d1.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg).intoArray(out, o + c);
                d2.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg).intoArray(out, o + 2 * c);
                d3.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg).intoArray(out, o + 3 * c);
            }
        }
    }

    /** Stride 1, dilation 2: pixel j reads columns j, j+2, j+4 of rows 0, 2, 4; {@code ib} points at the first output row's window (row 0, column 0, channel {@code ch}). */
    private static void planeS1D2(float[] in, int ib, int pitch, int c, int ch, int rows, int ow,
                                float[] packed, int cPad, float[] bias, int lo, int hi,
                                float inv, float add, float sub, float g, float[] out, int ob) {
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
        IntVector l = IntVector.broadcast(SI, lo);
        IntVector u = IntVector.broadcast(SI, hi);
        FloatVector vi = FloatVector.broadcast(S, inv), va = FloatVector.broadcast(S, add);
        FloatVector vs = FloatVector.broadcast(S, sub), vg = FloatVector.broadcast(S, g);
        int colStep = c;
        for (int oy = 0; oy < rows; oy++) {
            int rb = ib + oy * pitch;
            int orow = ob + oy * ow * c;
            for (int s = 0; s < ow; s += 4) {
                int ox = Math.min(s, ow - 4); // the last strip ends at the last column, recomputing identically
                int i0 = rb + ox * colStep, i1 = i0 + 2 * pitch, i2 = i1 + 2 * pitch;
                FloatVector x0 = FloatVector.fromArray(S, in, i0);
                FloatVector x1 = FloatVector.fromArray(S, in, i0 + c);
                FloatVector x2 = FloatVector.fromArray(S, in, i0 + 2 * c);
                FloatVector x3 = FloatVector.fromArray(S, in, i0 + 3 * c);
                FloatVector x4 = FloatVector.fromArray(S, in, i0 + 4 * c);
                FloatVector x5 = FloatVector.fromArray(S, in, i0 + 5 * c);
                FloatVector x6 = FloatVector.fromArray(S, in, i0 + 6 * c);
                FloatVector x7 = FloatVector.fromArray(S, in, i0 + 7 * c);
                FloatVector a0 = x4.fma(w02, x2.fma(w01, x0.fma(w00, b)));
                FloatVector a1 = x5.fma(w02, x3.fma(w01, x1.fma(w00, b)));
                FloatVector a2 = x6.fma(w02, x4.fma(w01, x2.fma(w00, b)));
                FloatVector a3 = x7.fma(w02, x5.fma(w01, x3.fma(w00, b)));
                x0 = FloatVector.fromArray(S, in, i1);
                x1 = FloatVector.fromArray(S, in, i1 + c);
                x2 = FloatVector.fromArray(S, in, i1 + 2 * c);
                x3 = FloatVector.fromArray(S, in, i1 + 3 * c);
                x4 = FloatVector.fromArray(S, in, i1 + 4 * c);
                x5 = FloatVector.fromArray(S, in, i1 + 5 * c);
                x6 = FloatVector.fromArray(S, in, i1 + 6 * c);
                x7 = FloatVector.fromArray(S, in, i1 + 7 * c);
                a0 = x4.fma(w12, x2.fma(w11, x0.fma(w10, a0)));
                a1 = x5.fma(w12, x3.fma(w11, x1.fma(w10, a1)));
                a2 = x6.fma(w12, x4.fma(w11, x2.fma(w10, a2)));
                a3 = x7.fma(w12, x5.fma(w11, x3.fma(w10, a3)));
                x0 = FloatVector.fromArray(S, in, i2);
                x1 = FloatVector.fromArray(S, in, i2 + c);
                x2 = FloatVector.fromArray(S, in, i2 + 2 * c);
                x3 = FloatVector.fromArray(S, in, i2 + 3 * c);
                x4 = FloatVector.fromArray(S, in, i2 + 4 * c);
                x5 = FloatVector.fromArray(S, in, i2 + 5 * c);
                x6 = FloatVector.fromArray(S, in, i2 + 6 * c);
                x7 = FloatVector.fromArray(S, in, i2 + 7 * c);
                a0 = x4.fma(w22, x2.fma(w21, x0.fma(w20, a0)));
                a0 = a0.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
                a1 = x5.fma(w22, x3.fma(w21, x1.fma(w20, a1)));
                a1 = a1.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
                a2 = x6.fma(w22, x4.fma(w21, x2.fma(w20, a2)));
                a2 = a2.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
                a3 = x7.fma(w22, x5.fma(w21, x3.fma(w20, a3)));
                a3 = a3.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
                int o = orow + ox * c;
                a0.intoArray(out, o);
                a1.intoArray(out, o + c);
                a2.intoArray(out, o + 2 * c);
                a3.intoArray(out, o + 3 * c);
            }
        }
    }

    /** Stride 2: pixel j reads columns 2j, 2j+1, 2j+2 of rows 2oy .. 2oy+2; {@code ib} points at the first output row's window (row 0, column 0, channel {@code ch}). */
    private static void planeS2(float[] in, int ib, int pitch, int c, int ch, int rows, int ow,
                                float[] packed, int cPad, float[] bias, int lo, int hi,
                                float inv, float add, float sub, float g, float[] out, int ob) {
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
        IntVector l = IntVector.broadcast(SI, lo);
        IntVector u = IntVector.broadcast(SI, hi);
        FloatVector vi = FloatVector.broadcast(S, inv), va = FloatVector.broadcast(S, add);
        FloatVector vs = FloatVector.broadcast(S, sub), vg = FloatVector.broadcast(S, g);
        int colStep = 2 * c;
        for (int oy = 0; oy < rows; oy++) {
            int rb = ib + oy * 2 * pitch;
            int orow = ob + oy * ow * c;
            for (int s = 0; s < ow; s += 4) {
                int ox = Math.min(s, ow - 4); // the last strip ends at the last column, recomputing identically
                int i0 = rb + ox * colStep, i1 = i0 + pitch, i2 = i1 + pitch;
                FloatVector x0 = FloatVector.fromArray(S, in, i0);
                FloatVector x1 = FloatVector.fromArray(S, in, i0 + c);
                FloatVector x2 = FloatVector.fromArray(S, in, i0 + 2 * c);
                FloatVector x3 = FloatVector.fromArray(S, in, i0 + 3 * c);
                FloatVector x4 = FloatVector.fromArray(S, in, i0 + 4 * c);
                FloatVector x5 = FloatVector.fromArray(S, in, i0 + 5 * c);
                FloatVector x6 = FloatVector.fromArray(S, in, i0 + 6 * c);
                FloatVector x7 = FloatVector.fromArray(S, in, i0 + 7 * c);
                FloatVector x8 = FloatVector.fromArray(S, in, i0 + 8 * c);
                FloatVector a0 = x2.fma(w02, x1.fma(w01, x0.fma(w00, b)));
                FloatVector a1 = x4.fma(w02, x3.fma(w01, x2.fma(w00, b)));
                FloatVector a2 = x6.fma(w02, x5.fma(w01, x4.fma(w00, b)));
                FloatVector a3 = x8.fma(w02, x7.fma(w01, x6.fma(w00, b)));
                x0 = FloatVector.fromArray(S, in, i1);
                x1 = FloatVector.fromArray(S, in, i1 + c);
                x2 = FloatVector.fromArray(S, in, i1 + 2 * c);
                x3 = FloatVector.fromArray(S, in, i1 + 3 * c);
                x4 = FloatVector.fromArray(S, in, i1 + 4 * c);
                x5 = FloatVector.fromArray(S, in, i1 + 5 * c);
                x6 = FloatVector.fromArray(S, in, i1 + 6 * c);
                x7 = FloatVector.fromArray(S, in, i1 + 7 * c);
                x8 = FloatVector.fromArray(S, in, i1 + 8 * c);
                a0 = x2.fma(w12, x1.fma(w11, x0.fma(w10, a0)));
                a1 = x4.fma(w12, x3.fma(w11, x2.fma(w10, a1)));
                a2 = x6.fma(w12, x5.fma(w11, x4.fma(w10, a2)));
                a3 = x8.fma(w12, x7.fma(w11, x6.fma(w10, a3)));
                x0 = FloatVector.fromArray(S, in, i2);
                x1 = FloatVector.fromArray(S, in, i2 + c);
                x2 = FloatVector.fromArray(S, in, i2 + 2 * c);
                x3 = FloatVector.fromArray(S, in, i2 + 3 * c);
                x4 = FloatVector.fromArray(S, in, i2 + 4 * c);
                x5 = FloatVector.fromArray(S, in, i2 + 5 * c);
                x6 = FloatVector.fromArray(S, in, i2 + 6 * c);
                x7 = FloatVector.fromArray(S, in, i2 + 7 * c);
                x8 = FloatVector.fromArray(S, in, i2 + 8 * c);
                a0 = x2.fma(w22, x1.fma(w21, x0.fma(w20, a0)));
                a0 = a0.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
                a1 = x4.fma(w22, x3.fma(w21, x2.fma(w20, a1)));
                a1 = a1.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
                a2 = x6.fma(w22, x5.fma(w21, x4.fma(w20, a2)));
                a2 = a2.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
                a3 = x8.fma(w22, x7.fma(w21, x6.fma(w20, a3)));
                a3 = a3.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
                int o = orow + ox * c;
                a0.intoArray(out, o);
                a1.intoArray(out, o + c);
                a2.intoArray(out, o + 2 * c);
                a3.intoArray(out, o + 3 * c);
            }
        }
    }

    /**
     * One output pixel (rows narrower than a strip): {@code at} is its window's top-left input, {@code dr}
     * and {@code dc} the floats between taps down and across. Loads its own taps: no vector crosses the call.
     */
    private static void pixel(float[] in, int at, int dr, int dc, int ch, float[] packed, int cPad, float[] bias,
                              int lo, int hi, float inv, float add, float sub, float g, float[] out, int o) {
        FloatVector a = FloatVector.fromArray(S, bias, ch);
        for (int ky = 0; ky < 3; ky++) {
            int r = at + ky * dr;
            a = FloatVector.fromArray(S, in, r).fma(FloatVector.fromArray(S, packed, 3 * ky * cPad + ch), a);
            a = FloatVector.fromArray(S, in, r + dc).fma(FloatVector.fromArray(S, packed, (3 * ky + 1) * cPad + ch), a);
            a = FloatVector.fromArray(S, in, r + 2 * dc).fma(FloatVector.fromArray(S, packed, (3 * ky + 2) * cPad + ch), a);
        }
        IntVector l = IntVector.broadcast(SI, lo);
        IntVector u = IntVector.broadcast(SI, hi);
        FloatVector vi = FloatVector.broadcast(S, inv), va = FloatVector.broadcast(S, add);
        FloatVector vs = FloatVector.broadcast(S, sub), vg = FloatVector.broadcast(S, g);
        a.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg).intoArray(out, o);
    }

    /** Fewer channels than one vector, or bounds {@link IntClamp#exact} rejects: plain loops, the same FMA chain per output. */
    private static void narrow(float[] in, int inOff, int pitch, int c, int stride, int dilation, int rowOff, int colOff,
                               float[] packed, int cPad, float[] bias, float[] out, int outOff, int ow, int oy0, int oy1,
                               float lo, float hi, float inv, float add, float sub, float g) {
        for (int oy = oy0; oy < oy1; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                for (int ch = 0; ch < c; ch++) {
                    float acc = bias[ch];
                    for (int ky = 0; ky < 3; ky++) {
                        int r = inOff + (oy * stride + rowOff + ky * dilation) * pitch + ch;
                        for (int kx = 0; kx < 3; kx++) {
                            acc = Math.fma(in[r + (ox * stride + colOff + kx * dilation) * c], packed[(3 * ky + kx) * cPad + ch], acc);
                        }
                    }
                    acc = acc <= lo ? lo : acc; // the blends' order: lo, then hi
                    acc = acc > hi ? hi : acc;
                    out[outOff + ((oy - oy0) * ow + ox) * c + ch] = (acc * inv + add - sub) * g;
                }
            }
        }
    }
}
