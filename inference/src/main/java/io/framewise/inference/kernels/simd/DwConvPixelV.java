package io.framewise.inference.kernels.simd;

import java.lang.invoke.MethodHandles;
import java.util.Arrays;

import io.framewise.inference.kernels.DepthwiseConv;
import jdk.incubator.vector.FloatVector;
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

    /** This thread's per-pixel accumulators {@code [CPad]}. */
    private static final ThreadLocal<float[]> ACC = new ThreadLocal<>();

    public DwConvPixelV(VectorSpecies<Float> species) {
        SpeciesSpecialization.check(S, species, DwConvPixelV.class);
    }

    public static DepthwiseConv of(VectorSpecies<Float> species) {
        return SpeciesSpecialization.instantiate(MethodHandles.lookup(), DepthwiseConv.class, species);
    }

    private static float[] scratch(int n) {
        float[] a = ACC.get();
        if (a == null || a.length < n) {
            a = new float[n];
            ACC.set(a);
        }
        return a;
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
        if (oy1 <= oy0 || ow <= 0 || c <= 0) {
            return;
        }
        int cPad = (c + VL - 1) / VL * VL;
        if (cPad != c) {
            // The channel tail is loaded as a full vector (lanes past c are read, computed, never stored),
            // which needs cPad - c floats of slack after the last input row and the bias. Planner arrays
            // have ARRAY_PAD of slack; other callers get padded copies (allocating, never in inference).
            int iyLast = Math.min(h - 1, (oy1 - 1) * stride - padTop + kh - 1);
            long need = inOff + (long) (iyLast - inRow0 + 1) * w * c + (cPad - c);
            if (in.length < need) {
                in = Arrays.copyOf(in, Math.toIntExact(need));
            }
            if (bias.length < cPad) {
                bias = Arrays.copyOf(bias, cPad);
            }
        }
        float[] acc = scratch(cPad);
        for (int oy = oy0; oy < oy1; oy++) {
            // Taps inside the image, resolved once per row/pixel so the tap loops carry no branches.
            int iy0 = oy * stride - padTop;
            int ky0 = Math.max(0, -iy0);
            int ky1 = Math.min(kh, h - iy0);
            for (int ox = 0; ox < ow; ox++) {
                int ix0 = ox * stride - padLeft;
                int kx0 = Math.max(0, -ix0);
                int kx1 = Math.min(kw, w - ix0);
                int o = outOff + ((oy - outRow0) * ow + ox) * c;
                // Accumulators live in `acc`, not in loop-carried vector variables: on JDK 17 a vector
                // merged by a loop phi is boxed on every iteration.
                for (int ch = 0; ch < c; ch += VL) {
                    FloatVector.fromArray(S, bias, ch).intoArray(acc, ch);
                }
                for (int ky = ky0; ky < ky1; ky++) {
                    for (int kx = kx0; kx < kx1; kx++) {
                        int x = inOff + ((iy0 + ky - inRow0) * w + ix0 + kx) * c;
                        int t = (ky * kw + kx) * cPad;
                        for (int ch = 0; ch < c; ch += VL) {
                            FloatVector.fromArray(S, in, x + ch)
                                    .fma(FloatVector.fromArray(S, packed, t + ch), FloatVector.fromArray(S, acc, ch))
                                    .intoArray(acc, ch);
                        }
                    }
                }
                // lo/hi are broadcast here rather than held across the pixel loops: held, C2 kept a
                // heap copy of them (160 B per call).
                int ch = 0;
                for (; ch + VL <= c; ch += VL) {
                    FloatVector.fromArray(S, acc, ch).max(lo).min(hi).intoArray(out, o + ch);
                }
                if (ch < c) {
                    // Masked stores box on JDK 17: clamp in place and copy the valid lanes as floats.
                    FloatVector.fromArray(S, acc, ch).max(lo).min(hi).intoArray(acc, ch);
                    System.arraycopy(acc, ch, out, o + ch, c - ch);
                }
            }
        }
    }
}
