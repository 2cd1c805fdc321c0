package io.framewise.inference.kernels.simd;

import java.lang.invoke.MethodHandles;

import io.framewise.inference.kernels.DepthwiseConv;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Depthwise KH×KW of any size and stride, one output pixel × one channel vector at a time with
 * bounds checks per tap. MobileNets only use 3×3 ({@link DwConv3x3RowTiled}); this covers the rest
 * (e.g. 5×5 in other models) correctly rather than fast.
 *
 * <p>Hot spot: the tap loop in {@link #run} (one input load + one weight load per FMA).
 */
public final class DwConvPixelV implements DepthwiseConv {

    private static final VectorSpecies<Float> S = SpeciesSpecialization.bound(MethodHandles.lookup());
    private static final int VL = S.length();

    public DwConvPixelV(VectorSpecies<Float> species) {
        SpeciesSpecialization.check(S, species, DwConvPixelV.class);
    }

    public static DepthwiseConv of(VectorSpecies<Float> species) {
        return SpeciesSpecialization.instantiate(MethodHandles.lookup(), DepthwiseConv.class, species);
    }

    @Override
    public float[] pack(float[] weights, int kh, int kw, int c) {
        return PanelPacking.depthwise(weights, kh, kw, c, VL);
    }

    @Override
    public void run(float[] in, int inOff, int inRow0, int h, int w, int c,
                    int kh, int kw, int stride, int padTop, int padLeft,
                    float[] packed, float[] bias,
                    float[] out, int outOff, int outRow0, int oh, int ow, int oy0, int oy1,
                    float lo, float hi) {
        int cPad = (c + VL - 1) / VL * VL;
        FloatVector l = FloatVector.broadcast(S, lo), u = FloatVector.broadcast(S, hi);
        for (int oy = oy0; oy < oy1; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int o = outOff + ((oy - outRow0) * ow + ox) * c;
                for (int ch = 0; ch < c; ch += VL) {
                    boolean full = ch + VL <= c;
                    VectorMask<Float> m = S.indexInRange(ch, c);
                    FloatVector acc = FloatVector.fromArray(S, TailAccess.fit(bias, ch, VL), TailAccess.fitOff(bias, ch, VL), m);
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
                            int i = inOff + ((iy - inRow0) * w + ix) * c + ch;
                            FloatVector x = full ? FloatVector.fromArray(S, in, i) : FloatVector.fromArray(S, TailAccess.fit(in, i, VL), TailAccess.fitOff(in, i, VL), m);
                            acc = x.fma(FloatVector.fromArray(S, packed, (ky * kw + kx) * cPad + ch), acc);
                        }
                    }
                    acc = acc.max(l).min(u);
                    if (full) {
                        acc.intoArray(out, o + ch);
                    } else {
                        storeMasked(acc, out, o + ch, m);
                    }
                }
            }
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
