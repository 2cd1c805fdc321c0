package io.framewise.inference.kernels.simd;

import java.lang.invoke.MethodHandles;

import io.framewise.inference.kernels.Conv2d;
import io.framewise.inference.kernels.Elementwise;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Regular convolution (the MobileNet stem: 3×3, stride 2, 3 → 8..32) vectorized over Cout: a register
 * tile of 6 adjacent output pixels × 2 vectors of output channels (12 FMA chains); an odd last vector
 * (all of Cout for 8 or 16 channels at 512 bits) runs 12 pixels × 1 vector ({@link #wideStrip}).
 *
 * <p>Weights are packed {@code [KH][KW][Cin][CoutPadded]} so every tap (ky, kx, ci) is a contiguous
 * row of output channels; for one kernel row the (kx, ci) taps are also contiguous in the NHWC input,
 * so the tap loop is two flat loops. Interior pixels (window fully inside the image) run the strip;
 * pixels whose window touches padding run a bounds-checked single-pixel path that skips the padding
 * taps like the reference does.
 *
 * <p>Allocation-free by construction (JDK 17 boxes any vector C2 cannot keep in a register): no vector
 * crosses a method boundary, and every store is a full unmasked store (JDK 17 does not intrinsify
 * masked stores). Tails overlap instead of masking: the last strip of a row starts 6 pixels before the
 * interior's end and the last channel vector at {@code cout - VL}, recomputing a few outputs with the
 * same operations, hence the same values. Only Cout below one vector needs a blend store, which reads
 * VL floats of {@code out} (in bounds with the planner's {@code ARRAY_PAD}; an unpadded caller's last
 * pixels go through {@link TailAccess}, which allocates).
 *
 * <p>Hot spot: the tap loop of {@link #strip}: 2 weight loads + 6 broadcasts per 12 FMAs.
 */
public final class ConvStrip6x2V implements Conv2d {

    private static final VectorSpecies<Float> S = SpeciesSpecialization.bound(MethodHandles.lookup());
    private static final VectorSpecies<Integer> SI = VectorSpecies.of(int.class, S.vectorShape());
    private static final int VL = S.length();
    private static final int STRIP = 6;
    /** Pixels of {@link #wideStrip}. */
    private static final int WIDE = 12;
    /** Lane indices 0..VL-1, compared against the Cout to form the blend mask when Cout is below VL. */
    private static final float[] IOTA = iota(VL);

    public ConvStrip6x2V(VectorSpecies<Float> species) {
        SpeciesSpecialization.check(S, species, ConvStrip6x2V.class);
    }

    public static Conv2d of(VectorSpecies<Float> species) {
        return SpeciesSpecialization.instantiate(MethodHandles.lookup(), Conv2d.class, species);
    }

    private static float[] iota(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    @Override
    public float[] pack(float[] weights, int cout, int kh, int kw, int cin) {
        return PanelPacking.convTapsByCout(weights, cout, kh, kw, cin, VL);
    }

    @Override
    public void run(float[] in, int inOff, int h, int w, int cin,
                    int kh, int kw, int stride, int padTop, int padLeft,
                    float[] packed, float[] bias, int cout,
                    float[] out, int outOff, int oh, int ow, float lo, float hi, float scale, float grid) {
        if (!IntClamp.exact(lo, hi)) {
            // bounds the strips' integer clamp cannot take: the exact sums, then the clamp and rounding
            run(in, inOff, h, w, cin, kh, kw, stride, padTop, padLeft, packed, bias, cout, out, outOff, oh, ow,
                    Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 1f, 0f);
            clampAndRound(out, outOff, oh * ow * cout, lo, hi, scale, grid);
            return;
        }
        int coutPad = (cout + VL - 1) / VL * VL;
        // the rounding as x·inv + add - sub, then ·g; without a grid the exact no-op x·1 + (-0) - (+0), ·1
        float inv = grid > 0 ? scale : 1f;
        float add = grid > 0 ? Elementwise.SNAP_MAGIC : -0f;
        float sub = grid > 0 ? Elementwise.SNAP_MAGIC : 0f;
        float g = grid > 0 ? grid : 1f;
        int vectors = coutPad / VL;
        int oxLo = Math.min(ow, (padLeft + stride - 1) / stride);
        int oxHi = w - kw + padLeft < 0 ? oxLo : Math.max(oxLo, Math.min(ow, (w - kw + padLeft) / stride + 1));
        boolean strips = oxHi - oxLo >= STRIP;
        for (int oy = 0; oy < oh; oy++) {
            int iy0 = oy * stride - padTop;
            int ob = outOff + oy * ow * cout;
            if (!strips || iy0 < 0 || iy0 + kh > h) {
                for (int ox = 0; ox < ow; ox++) {
                    edge(in, inOff, h, w, cin, kh, kw, stride, padTop, padLeft, packed, coutPad, bias, cout,
                            oy, ox, out, ob + ox * cout, lo, hi, inv, add, sub, g);
                }
                continue;
            }
            for (int ox = 0; ox < oxLo; ox++) {
                edge(in, inOff, h, w, cin, kh, kw, stride, padTop, padLeft, packed, coutPad, bias, cout,
                        oy, ox, out, ob + ox * cout, lo, hi, inv, add, sub, g);
            }
            for (int x = oxLo; x < oxHi; x += STRIP) {
                int ox = Math.min(x, oxHi - STRIP); // the last strip overlaps its neighbour
                int a = inOff + (iy0 * w + ox * stride - padLeft) * cin;
                for (int v = 0; v + 2 <= vectors; v += 2) {
                    int co0 = Math.min(v * VL, cout - VL);
                    int co1 = Math.min((v + 1) * VL, cout - VL);
                    strip(in, a, w, cin, kh, kw, stride, packed, coutPad, bias, co0, co1, cout,
                            out, ob + ox * cout, lo, hi, inv, add, sub, g);
                }
            }
            if ((vectors & 1) != 0) {
                // The odd last vector (all of Cout for V1 0.25/0.5 at 512 bits): 12 pixels × 1 vector
                // keeps 12 chains without computing the vector twice.
                int co = Math.min((vectors - 1) * VL, Math.max(0, cout - VL));
                int step = oxHi - oxLo >= WIDE ? WIDE : STRIP;
                for (int x = oxLo; x < oxHi; x += step) {
                    int ox = Math.min(x, oxHi - step);
                    int a = inOff + (iy0 * w + ox * stride - padLeft) * cin;
                    if (step == WIDE) {
                        wideStrip(in, a, w, cin, kh, kw, stride, packed, coutPad, bias, co, cout,
                                out, ob + ox * cout, lo, hi, inv, add, sub, g);
                    } else {
                        strip(in, a, w, cin, kh, kw, stride, packed, coutPad, bias, co, co, cout,
                                out, ob + ox * cout, lo, hi, inv, add, sub, g);
                    }
                }
            }
            for (int ox = oxHi; ox < ow; ox++) {
                edge(in, inOff, h, w, cin, kh, kw, stride, padTop, padLeft, packed, coutPad, bias, cout,
                        oy, ox, out, ob + ox * cout, lo, hi, inv, add, sub, g);
            }
        }
    }

    /** The strips' epilogue as a pass, in its order (lo, then hi, then the rounding when there is a grid). */
    private static void clampAndRound(float[] out, int off, int n, float lo, float hi, float scale, float grid) {
        for (int i = off; i < off + n; i++) {
            float v = out[i];
            v = v <= lo ? lo : v;
            v = v > hi ? hi : v;
            out[i] = grid > 0 ? (v * scale + Elementwise.SNAP_MAGIC - Elementwise.SNAP_MAGIC) * grid : v;
        }
    }

    /**
     * 6 output pixels × channels {@code [co0, co0 + VL)} and {@code [co1, co1 + VL)} (equal when one
     * vector is left). Both lie inside Cout unless Cout is below VL (then both are 0, blend stores).
     */
    private static void strip(float[] in, int a, int w, int cin, int kh, int kw, int stride,
                              float[] packed, int coutPad, float[] bias, int co0, int co1, int cout,
                              float[] out, int o, float lo, float hi,
                              float inv, float add, float sub, float g) {
        float[] b = TailAccess.fit(bias, co0, VL);
        FloatVector b0 = FloatVector.fromArray(S, b, TailAccess.fitOff(bias, co0, VL));
        FloatVector b1 = FloatVector.fromArray(S, b, TailAccess.fitOff(bias, co1, VL));
        FloatVector c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1;
        FloatVector c30 = b0, c31 = b1, c40 = b0, c41 = b1, c50 = b0, c51 = b1;
        int px = stride * cin;
        int row = kw * cin; // (kx, ci) taps of one kernel row: contiguous in the input and in the packing
        int rowSkip = (w - kw) * cin;
        int taps = kh * row;
        // One flat loop over taps (a nested ky loop made C2 17 box the accumulators).
        for (int t = 0, i = a, j = 0; t < taps; t++, i++) {
            if (j == row) {
                j = 0;
                i += rowSkip;
            }
            j++;
            int wt = t * coutPad;
            FloatVector v0 = FloatVector.fromArray(S, packed, wt + co0);
            FloatVector v1 = FloatVector.fromArray(S, packed, wt + co1);
            FloatVector x = FloatVector.broadcast(S, in[i]);
            c00 = x.fma(v0, c00);
            c01 = x.fma(v1, c01);
            x = FloatVector.broadcast(S, in[i + px]);
            c10 = x.fma(v0, c10);
            c11 = x.fma(v1, c11);
            x = FloatVector.broadcast(S, in[i + 2 * px]);
            c20 = x.fma(v0, c20);
            c21 = x.fma(v1, c21);
            x = FloatVector.broadcast(S, in[i + 3 * px]);
            c30 = x.fma(v0, c30);
            c31 = x.fma(v1, c31);
            x = FloatVector.broadcast(S, in[i + 4 * px]);
            c40 = x.fma(v0, c40);
            c41 = x.fma(v1, c41);
            x = FloatVector.broadcast(S, in[i + 5 * px]);
            c50 = x.fma(v0, c50);
            c51 = x.fma(v1, c51);
        }
        IntVector l = IntVector.broadcast(SI, IntClamp.low(lo)), u = IntVector.broadcast(SI, IntClamp.high(hi));
        FloatVector vi = FloatVector.broadcast(S, inv), va = FloatVector.broadcast(S, add);
        FloatVector vs = FloatVector.broadcast(S, sub), vg = FloatVector.broadcast(S, g);
        c00 = c00.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
        c10 = c10.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
        c20 = c20.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
        c30 = c30.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
        c40 = c40.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
        c50 = c50.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
        int o1 = o + cout, o2 = o1 + cout, o3 = o2 + cout, o4 = o3 + cout, o5 = o4 + cout;
        if (cout >= VL) {
            // co1 first: when it equals co0 (one vector left) the second set is the same values.
            c01.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg).intoArray(out, o + co1);
            c11.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg).intoArray(out, o1 + co1);
            c21.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg).intoArray(out, o2 + co1);
            c31.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg).intoArray(out, o3 + co1);
            c41.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg).intoArray(out, o4 + co1);
            c51.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg).intoArray(out, o5 + co1);
            c00.intoArray(out, o + co0);
            c10.intoArray(out, o1 + co0);
            c20.intoArray(out, o2 + co0);
            c30.intoArray(out, o3 + co0);
            c40.intoArray(out, o4 + co0);
            c50.intoArray(out, o5 + co0);
        } else if (o5 + VL <= out.length) {
            VectorMask<Float> m = FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.LT, (float) cout);
            FloatVector.fromArray(S, out, o).blend(c00, m).intoArray(out, o);
            FloatVector.fromArray(S, out, o1).blend(c10, m).intoArray(out, o1);
            FloatVector.fromArray(S, out, o2).blend(c20, m).intoArray(out, o2);
            FloatVector.fromArray(S, out, o3).blend(c30, m).intoArray(out, o3);
            FloatVector.fromArray(S, out, o4).blend(c40, m).intoArray(out, o4);
            FloatVector.fromArray(S, out, o5).blend(c50, m).intoArray(out, o5);
        } else {
            TailAccess.store(c00.toArray(), out, o, cout);
            TailAccess.store(c10.toArray(), out, o1, cout);
            TailAccess.store(c20.toArray(), out, o2, cout);
            TailAccess.store(c30.toArray(), out, o3, cout);
            TailAccess.store(c40.toArray(), out, o4, cout);
            TailAccess.store(c50.toArray(), out, o5, cout);
        }
    }

    /** 12 output pixels × channels {@code [co, co + VL)} (inside Cout unless Cout is below VL: blend stores). */
    private static void wideStrip(float[] in, int a, int w, int cin, int kh, int kw, int stride,
                                  float[] packed, int coutPad, float[] bias, int co, int cout,
                                  float[] out, int o, float lo, float hi,
                              float inv, float add, float sub, float g) {
        FloatVector b = FloatVector.fromArray(S, TailAccess.fit(bias, co, VL), TailAccess.fitOff(bias, co, VL));
        FloatVector c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b;
        FloatVector c6 = b, c7 = b, c8 = b, c9 = b, c10 = b, c11 = b;
        int px = stride * cin;
        int row = kw * cin;
        int rowSkip = (w - kw) * cin;
        int taps = kh * row;
        for (int t = 0, i = a, j = 0; t < taps; t++, i++) {
            if (j == row) {
                j = 0;
                i += rowSkip;
            }
            j++;
            FloatVector v = FloatVector.fromArray(S, packed, t * coutPad + co);
            c0 = FloatVector.broadcast(S, in[i]).fma(v, c0);
            c1 = FloatVector.broadcast(S, in[i + px]).fma(v, c1);
            c2 = FloatVector.broadcast(S, in[i + 2 * px]).fma(v, c2);
            c3 = FloatVector.broadcast(S, in[i + 3 * px]).fma(v, c3);
            c4 = FloatVector.broadcast(S, in[i + 4 * px]).fma(v, c4);
            c5 = FloatVector.broadcast(S, in[i + 5 * px]).fma(v, c5);
            c6 = FloatVector.broadcast(S, in[i + 6 * px]).fma(v, c6);
            c7 = FloatVector.broadcast(S, in[i + 7 * px]).fma(v, c7);
            c8 = FloatVector.broadcast(S, in[i + 8 * px]).fma(v, c8);
            c9 = FloatVector.broadcast(S, in[i + 9 * px]).fma(v, c9);
            c10 = FloatVector.broadcast(S, in[i + 10 * px]).fma(v, c10);
            c11 = FloatVector.broadcast(S, in[i + 11 * px]).fma(v, c11);
        }
        IntVector l = IntVector.broadcast(SI, IntClamp.low(lo)), u = IntVector.broadcast(SI, IntClamp.high(hi));
        FloatVector vi = FloatVector.broadcast(S, inv), va = FloatVector.broadcast(S, add);
        FloatVector vs = FloatVector.broadcast(S, sub), vg = FloatVector.broadcast(S, g);
        c0 = c0.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
        c1 = c1.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
        c2 = c2.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
        c3 = c3.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
        c4 = c4.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
        c5 = c5.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
        c6 = c6.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
        c7 = c7.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
        c8 = c8.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
        c9 = c9.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
        c10 = c10.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
        c11 = c11.reinterpretAsInts().max(l).min(u).reinterpretAsFloats().mul(vi).add(va).sub(vs).mul(vg);
        if (cout >= VL) {
            c0.intoArray(out, o + co);
            c1.intoArray(out, o + cout + co);
            c2.intoArray(out, o + 2 * cout + co);
            c3.intoArray(out, o + 3 * cout + co);
            c4.intoArray(out, o + 4 * cout + co);
            c5.intoArray(out, o + 5 * cout + co);
            c6.intoArray(out, o + 6 * cout + co);
            c7.intoArray(out, o + 7 * cout + co);
            c8.intoArray(out, o + 8 * cout + co);
            c9.intoArray(out, o + 9 * cout + co);
            c10.intoArray(out, o + 10 * cout + co);
            c11.intoArray(out, o + 11 * cout + co);
        } else if (o + 11 * cout + VL <= out.length) {
            VectorMask<Float> m = FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.LT, (float) cout);
            FloatVector.fromArray(S, out, o).blend(c0, m).intoArray(out, o);
            FloatVector.fromArray(S, out, o + cout).blend(c1, m).intoArray(out, o + cout);
            FloatVector.fromArray(S, out, o + 2 * cout).blend(c2, m).intoArray(out, o + 2 * cout);
            FloatVector.fromArray(S, out, o + 3 * cout).blend(c3, m).intoArray(out, o + 3 * cout);
            FloatVector.fromArray(S, out, o + 4 * cout).blend(c4, m).intoArray(out, o + 4 * cout);
            FloatVector.fromArray(S, out, o + 5 * cout).blend(c5, m).intoArray(out, o + 5 * cout);
            FloatVector.fromArray(S, out, o + 6 * cout).blend(c6, m).intoArray(out, o + 6 * cout);
            FloatVector.fromArray(S, out, o + 7 * cout).blend(c7, m).intoArray(out, o + 7 * cout);
            FloatVector.fromArray(S, out, o + 8 * cout).blend(c8, m).intoArray(out, o + 8 * cout);
            FloatVector.fromArray(S, out, o + 9 * cout).blend(c9, m).intoArray(out, o + 9 * cout);
            FloatVector.fromArray(S, out, o + 10 * cout).blend(c10, m).intoArray(out, o + 10 * cout);
            FloatVector.fromArray(S, out, o + 11 * cout).blend(c11, m).intoArray(out, o + 11 * cout);
        } else {
            TailAccess.store(c0.toArray(), out, o, cout);
            TailAccess.store(c1.toArray(), out, o + cout, cout);
            TailAccess.store(c2.toArray(), out, o + 2 * cout, cout);
            TailAccess.store(c3.toArray(), out, o + 3 * cout, cout);
            TailAccess.store(c4.toArray(), out, o + 4 * cout, cout);
            TailAccess.store(c5.toArray(), out, o + 5 * cout, cout);
            TailAccess.store(c6.toArray(), out, o + 6 * cout, cout);
            TailAccess.store(c7.toArray(), out, o + 7 * cout, cout);
            TailAccess.store(c8.toArray(), out, o + 8 * cout, cout);
            TailAccess.store(c9.toArray(), out, o + 9 * cout, cout);
            TailAccess.store(c10.toArray(), out, o + 10 * cout, cout);
            TailAccess.store(c11.toArray(), out, o + 11 * cout, cout);
        }
    }

    /** One pixel whose window may touch padding: every channel vector (the last one overlapping). */
    private static void edge(float[] in, int inOff, int h, int w, int cin, int kh, int kw, int stride,
                             int padTop, int padLeft, float[] packed, int coutPad, float[] bias, int cout,
                             int oy, int ox, float[] out, int o, float lo, float hi,
                              float inv, float add, float sub, float g) {
        for (int c = 0; c < cout; c += VL) {
            pixel(in, inOff, h, w, cin, kh, kw, stride, padTop, padLeft, packed, coutPad, bias,
                    Math.min(c, Math.max(0, cout - VL)), cout, oy, ox, out, o, lo, hi, inv, add, sub, g);
        }
    }

    /**
     * One output pixel, channels {@code [co, co + VL)}; taps on padding contribute a real zero
     * ({@code fma(0, w, acc) == acc}), which keeps the accumulator a single loop-carried value: a
     * conditional FMA, or an enclosing channel loop, made C2 17 box it.
     */
    private static void pixel(float[] in, int inOff, int h, int w, int cin, int kh, int kw, int stride,
                              int padTop, int padLeft, float[] packed, int coutPad, float[] bias, int co, int cout,
                              int oy, int ox, float[] out, int o, float lo, float hi,
                              float inv, float add, float sub, float g) {
        FloatVector acc = FloatVector.fromArray(S, TailAccess.fit(bias, co, VL), TailAccess.fitOff(bias, co, VL));
        int taps = kh * kw * cin;
        int iy = oy * stride - padTop, ix0 = ox * stride - padLeft, ix = ix0;
        for (int t = 0, kx = 0, ci = 0; t < taps; t++) {
            boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
            float x = inside ? in[inOff + (iy * w + ix) * cin + ci] : 0f;
            acc = FloatVector.broadcast(S, x).fma(FloatVector.fromArray(S, packed, t * coutPad + co), acc);
            if (++ci == cin) {
                ci = 0;
                ix++;
                if (++kx == kw) {
                    kx = 0;
                    ix = ix0;
                    iy++;
                }
            }
        }
        acc = acc.max(FloatVector.broadcast(S, lo)).min(FloatVector.broadcast(S, hi)).mul(FloatVector.broadcast(S, inv))
                .add(FloatVector.broadcast(S, add)).sub(FloatVector.broadcast(S, sub)).mul(FloatVector.broadcast(S, g));
        if (cout >= VL) {
            acc.intoArray(out, o + co);
        } else if (o + VL <= out.length) {
            VectorMask<Float> m = FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.LT, (float) cout);
            FloatVector.fromArray(S, out, o).blend(acc, m).intoArray(out, o);
        } else {
            TailAccess.store(acc.toArray(), out, o, cout);
        }
    }
}
