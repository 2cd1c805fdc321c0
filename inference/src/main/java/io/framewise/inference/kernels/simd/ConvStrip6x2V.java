package io.framewise.inference.kernels.simd;

import java.lang.invoke.MethodHandles;

import io.framewise.inference.kernels.Conv2d;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Regular convolution (the MobileNet stem: 3×3, stride 2, 3 → 32) vectorized over Cout: a register
 * tile of 4 adjacent output pixels × 2 vectors of output channels (8 FMA chains).
 *
 * <p>Weights are packed {@code [KH][KW][Cin][CoutPadded]} so every tap (ky, kx, ci) is a contiguous
 * row of output channels. Interior pixels (window fully inside the image) run the tile; pixels whose
 * window touches padding, and the last pixels of a row, run a bounds-checked single-pixel path.
 *
 * <p>Hot spot: the tap loop of {@link #strip4x2}: 2 weight loads + 4 broadcasts per 8 FMAs.
 */
public final class ConvStrip4x2V implements Conv2d {

    private static final VectorSpecies<Float> S = SpeciesSpecialization.bound(MethodHandles.lookup());
    private static final int VL = S.length();

    public ConvStrip4x2V(VectorSpecies<Float> species) {
        SpeciesSpecialization.check(S, species, ConvStrip4x2V.class);
    }

    public static Conv2d of(VectorSpecies<Float> species) {
        return SpeciesSpecialization.instantiate(MethodHandles.lookup(), Conv2d.class, species);
    }

    @Override
    public float[] pack(float[] weights, int cout, int kh, int kw, int cin) {
        return PanelPacking.convTapsByCout(weights, cout, kh, kw, cin, VL);
    }

    @Override
    public void run(float[] in, int inOff, int h, int w, int cin,
                    int kh, int kw, int stride, int padTop, int padLeft,
                    float[] packed, float[] bias, int cout,
                    float[] out, int outOff, int oh, int ow, float lo, float hi) {
        int coutPad = (cout + VL - 1) / VL * VL;
        int oxLo = Math.min(ow, (padLeft + stride - 1) / stride);
        int oxHi = w - kw + padLeft < 0 ? oxLo : Math.max(oxLo, Math.min(ow, (w - kw + padLeft) / stride + 1));
        FloatVector l = FloatVector.broadcast(S, lo), u = FloatVector.broadcast(S, hi);
        for (int oy = 0; oy < oh; oy++) {
            int iy0 = oy * stride - padTop;
            boolean rowInside = iy0 >= 0 && iy0 + kh <= h;
            int ob = outOff + oy * ow * cout;
            int ox = 0;
            if (rowInside) {
                for (; ox < oxLo; ox++) {
                    pixel(in, inOff, h, w, cin, kh, kw, stride, padTop, padLeft, packed, coutPad, bias, cout,
                            oy, ox, l, u, out, ob + ox * cout);
                }
                for (; ox + 4 <= oxHi; ox += 4) {
                    int a = inOff + (iy0 * w + ox * stride - padLeft) * cin;
                    int co = 0;
                    for (; co < cout; co += 2 * VL) {
                        strip4x2(in, a, w, cin, kh, kw, stride, packed, coutPad, bias, co, cout,
                                l, u, out, ob + ox * cout);
                    }
                }
            }
            for (; ox < ow; ox++) {
                pixel(in, inOff, h, w, cin, kh, kw, stride, padTop, padLeft, packed, coutPad, bias, cout,
                        oy, ox, l, u, out, ob + ox * cout);
            }
        }
    }

    /** 4 output pixels × channels [co, co + 2 VL); the second vector may be partly or wholly past Cout. */
    private static void strip4x2(float[] in, int a, int w, int cin, int kh, int kw, int stride,
                                 float[] packed, int coutPad, float[] bias, int co, int cout,
                                 FloatVector l, FloatVector u, float[] out, int o) {
        int co1 = co + VL;
        boolean second = co1 < cout;
        int wo1 = second ? co1 : co; // past Cout: recompute the first vector instead of reading beyond the pad
        VectorMask<Float> m0 = S.indexInRange(co, cout);
        VectorMask<Float> m1 = S.indexInRange(co1, cout);
        FloatVector b0 = FloatVector.fromArray(S, TailAccess.fit(bias, co, VL), TailAccess.fitOff(bias, co, VL), m0);
        FloatVector b1 = FloatVector.fromArray(S, TailAccess.fit(bias, co1, VL), TailAccess.fitOff(bias, co1, VL), m1);
        FloatVector c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1, c30 = b0, c31 = b1;
        int px = stride * cin;
        int t = 0;
        for (int ky = 0; ky < kh; ky++) {
            for (int kx = 0; kx < kw; kx++) {
                int i = a + (ky * w + kx) * cin;
                for (int ci = 0; ci < cin; ci++, t++) {
                    FloatVector v0 = FloatVector.fromArray(S, packed, t * coutPad + co);
                    FloatVector v1 = FloatVector.fromArray(S, packed, t * coutPad + wo1);
                    FloatVector x = FloatVector.broadcast(S, in[i + ci]);
                    c00 = x.fma(v0, c00);
                    c01 = x.fma(v1, c01);
                    x = FloatVector.broadcast(S, in[i + px + ci]);
                    c10 = x.fma(v0, c10);
                    c11 = x.fma(v1, c11);
                    x = FloatVector.broadcast(S, in[i + 2 * px + ci]);
                    c20 = x.fma(v0, c20);
                    c21 = x.fma(v1, c21);
                    x = FloatVector.broadcast(S, in[i + 3 * px + ci]);
                    c30 = x.fma(v0, c30);
                    c31 = x.fma(v1, c31);
                }
            }
        }
        if (co1 + VL <= cout) {
            c00.max(l).min(u).intoArray(out, o + co);
            c10.max(l).min(u).intoArray(out, o + cout + co);
            c20.max(l).min(u).intoArray(out, o + 2 * cout + co);
            c30.max(l).min(u).intoArray(out, o + 3 * cout + co);
            c01.max(l).min(u).intoArray(out, o + co1);
            c11.max(l).min(u).intoArray(out, o + cout + co1);
            c21.max(l).min(u).intoArray(out, o + 2 * cout + co1);
            c31.max(l).min(u).intoArray(out, o + 3 * cout + co1);
            return;
        }
        storeMasked(c00.max(l).min(u), out, o + co, m0);
        storeMasked(c10.max(l).min(u), out, o + cout + co, m0);
        storeMasked(c20.max(l).min(u), out, o + 2 * cout + co, m0);
        storeMasked(c30.max(l).min(u), out, o + 3 * cout + co, m0);
        if (second) {
            storeMasked(c01.max(l).min(u), out, o + co1, m1);
            storeMasked(c11.max(l).min(u), out, o + cout + co1, m1);
            storeMasked(c21.max(l).min(u), out, o + 2 * cout + co1, m1);
            storeMasked(c31.max(l).min(u), out, o + 3 * cout + co1, m1);
        }
    }

    private static void pixel(float[] in, int inOff, int h, int w, int cin, int kh, int kw, int stride,
                              int padTop, int padLeft, float[] packed, int coutPad, float[] bias, int cout,
                              int oy, int ox, FloatVector l, FloatVector u, float[] out, int o) {
        for (int co = 0; co < cout; co += VL) {
            VectorMask<Float> m = S.indexInRange(co, cout);
            FloatVector acc = FloatVector.fromArray(S, TailAccess.fit(bias, co, VL), TailAccess.fitOff(bias, co, VL), m);
            for (int ky = 0; ky < kh; ky++) {
                int iy = oy * stride + ky - padTop;
                if (iy < 0 || iy >= h) {
                    continue;
                }
                for (int kx = 0; kx < kw; kx++) {
                    int ix = ox * stride + kx - padLeft;
                    if (ix < 0 || ix >= w) {
                        continue;
                    }
                    int i = inOff + (iy * w + ix) * cin;
                    int t = (ky * kw + kx) * cin;
                    for (int ci = 0; ci < cin; ci++) {
                        acc = FloatVector.broadcast(S, in[i + ci])
                                .fma(FloatVector.fromArray(S, packed, (t + ci) * coutPad + co), acc);
                    }
                }
            }
            storeMasked(acc.max(l).min(u), out, o + co, m);
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
