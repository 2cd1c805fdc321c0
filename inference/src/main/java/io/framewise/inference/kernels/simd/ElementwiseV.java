package io.framewise.inference.kernels.simd;

import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LE;

import java.lang.invoke.MethodHandles;

import io.framewise.inference.kernels.Elementwise;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Residual add, snapping and softmax vectorized over the contiguous axis with the Vector API; the
 * average pools as plain channel-innermost loops that C2 vectorizes itself (see there why). Same
 * summation order as the reference, so means match it exactly.
 *
 * <p>Hot spots: {@link #snap} (every activation of a quantized model, ~6.5M values per MobileNetV2
 * image) and {@link #add} (the residual of every inverted block: up to 56×56×24 per call); the
 * pools and softmax run once per image on small tensors.
 */
public final class ElementwiseV implements Elementwise {

    private static final VectorSpecies<Float> S = SpeciesSpecialization.bound(MethodHandles.lookup());
    private static final int VL = S.length();
    private static final VectorSpecies<Integer> IS = VectorSpecies.of(int.class, S.vectorShape());

    public ElementwiseV(VectorSpecies<Float> species) {
        SpeciesSpecialization.check(S, species, ElementwiseV.class);
    }

    public static Elementwise of(VectorSpecies<Float> species) {
        return SpeciesSpecialization.instantiate(MethodHandles.lookup(), Elementwise.class, species);
    }

    @Override
    public void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int len, float lo, float hi) {
        FloatVector l = FloatVector.broadcast(S, lo), u = FloatVector.broadcast(S, hi);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += VL) {
            FloatVector v = FloatVector.fromArray(S, a, aOff + i).add(FloatVector.fromArray(S, b, bOff + i));
            v.blend(l, v.compare(LE, l)).blend(u, v.compare(GT, u)).intoArray(out, outOff + i);
        }
        for (; i < len; i++) {
            out[outOff + i] = Math.min(Math.max(a[aOff + i] + b[bOff + i], lo), hi);
        }
    }

    /**
     * Plain loops with the channel axis innermost, summing into {@code out} itself: C2 vectorizes the
     * channel loop on its own, and no vector stays live across the pixel loops. Written with the Vector
     * API (a vector sum carried through the window loops), DeepLab's 65×65×320 image pooling is one
     * call long enough for on-stack replacement, whose entry state boxed the vectors: 7 KB allocated per
     * image in a forward pass that must allocate nothing. Same summation order as the reference.
     */
    @Override
    public void globalAveragePool(float[] in, int inOff, int pixels, int c, float[] out, int outOff, float lo, float hi) {
        java.util.Arrays.fill(out, outOff, outOff + c, 0f);
        for (int p = 0; p < pixels; p++) {
            int i = inOff + p * c;
            for (int ch = 0; ch < c; ch++) {
                out[outOff + ch] += in[i + ch];
            }
        }
        for (int ch = 0; ch < c; ch++) {
            out[outOff + ch] = Math.min(Math.max(out[outOff + ch] / pixels, lo), hi);
        }
    }

    /** As {@link #globalAveragePool}: per output pixel, its window summed into {@code out} channel-innermost. */
    @Override
    public void averagePool(float[] in, int inOff, int h, int w, int c, int fh, int fw, int stride,
                            int padTop, int padLeft, float[] out, int outOff, int oh, int ow, float lo, float hi) {
        for (int oy = 0; oy < oh; oy++) {
            int y0 = Math.max(0, oy * stride - padTop);
            int y1 = Math.min(h, oy * stride - padTop + fh);
            for (int ox = 0; ox < ow; ox++) {
                int x0 = Math.max(0, ox * stride - padLeft);
                int x1 = Math.min(w, ox * stride - padLeft + fw);
                int count = Math.max(0, y1 - y0) * Math.max(0, x1 - x0);
                int o = outOff + (oy * ow + ox) * c;
                java.util.Arrays.fill(out, o, o + c, 0f);
                for (int iy = y0; iy < y1; iy++) {
                    for (int ix = x0; ix < x1; ix++) {
                        int i = inOff + (iy * w + ix) * c;
                        for (int ch = 0; ch < c; ch++) {
                            out[o + ch] += in[i + ch];
                        }
                    }
                }
                for (int ch = 0; ch < c; ch++) {
                    float mean = count == 0 ? 0f : out[o + ch] / count;
                    out[o + ch] = Math.min(Math.max(mean, lo), hi);
                }
            }
        }
    }

    @Override
    public void softmax(float[] in, int inOff, int n, float beta, float[] out, int outOff) {
        FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += VL) {
            vmax = vmax.max(FloatVector.fromArray(S, in, inOff + i));
        }
        float max = vmax.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            max = Math.max(max, in[inOff + i]);
        }
        // exp stays scalar (Math.exp) so results match the reference bit for bit; it is 1001 calls per image.
        float sum = 0f;
        for (i = 0; i < n; i++) {
            float e = (float) Math.exp((in[inOff + i] - max) * beta);
            out[outOff + i] = e;
            sum += e;
        }
        FloatVector inv = FloatVector.broadcast(S, 1f / sum);
        for (i = 0; i < bound; i += VL) {
            FloatVector.fromArray(S, out, outOff + i).mul(inv).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] *= 1f / sum;
        }
    }

    /**
     * Rounds with {@link Elementwise#SNAP_MAGIC}. Larger |x| than {@link Elementwise#SNAP_LIMIT} (never
     * the case for a clamped quantized tensor) are already integral or half-integral in float and go
     * through Math.rint in the scalar loop.
     */
    @Override
    public void snap(float[] a, int off, int len, float scale, float grid) {
        FloatVector vi = FloatVector.broadcast(S, scale);
        FloatVector vg = FloatVector.broadcast(S, grid);
        FloatVector magic = FloatVector.broadcast(S, Elementwise.SNAP_MAGIC);
        FloatVector limit = FloatVector.broadcast(S, Elementwise.SNAP_LIMIT);
        int i = 0;
        int bound = S.loopBound(len);
        if (len >= VL) {
            // The tail as one vector overlapping the last full one, loaded before the loop rounds those:
            // the rounding need not be idempotent (the integer domain's requantization is not), and the
            // scalar loop below stays for tiny tensors only: a scalar tail first reached after C2 compiled
            // this (the 1001 logits) deoptimized it.
            FloatVector tail = FloatVector.fromArray(S, a, off + len - VL).mul(vi);
            for (; i < bound; i += VL) {
                FloatVector x = FloatVector.fromArray(S, a, off + i).mul(vi);
                if (x.abs().compare(VectorOperators.GE, limit).anyTrue()) {
                    for (int j = 0; j < VL; j++) {
                        a[off + i + j] = (float) Math.rint(a[off + i + j] * scale) * grid + 0f;
                    }
                    continue;
                }
                x.add(magic).sub(magic).mul(vg).intoArray(a, off + i);
            }
            if (i < len && !tail.abs().compare(VectorOperators.GE, limit).anyTrue()) {
                tail.add(magic).sub(magic).mul(vg).intoArray(a, off + len - VL);
                return;
            }
        }
        for (; i < len; i++) {
            a[off + i] = (float) Math.rint(a[off + i] * scale) * grid + 0f;
        }
    }

    /**
     * Hot spot: none (ten tensors per DeepLab image, the largest 129×129×24); 32-bit lanes as XNNPACK's
     * scalar kernel. Floats and ints change places through the bits of {@code x + 1.5·2^23} (exact for
     * |x| < 2^22: the inputs are 8-bit, the outputs within 2^17), not through {@code convert(F2I)}: JDK 17's
     * C2 has no vector float-to-int cast and boxed every vector (24.7 MB per DeepLab block).
     */
    @Override
    public void addFixedPoint(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int len,
                              int aMultiplier, int bMultiplier, int shift, float lo, float hi) {
        IntVector am = IntVector.broadcast(IS, aMultiplier), bm = IntVector.broadcast(IS, bMultiplier);
        IntVector rounding = IntVector.broadcast(IS, 1 << (shift - 1));
        FloatVector magic = FloatVector.broadcast(S, Elementwise.SNAP_MAGIC);
        IntVector magicBits = IntVector.broadcast(IS, Float.floatToRawIntBits(Elementwise.SNAP_MAGIC));
        FloatVector l = FloatVector.broadcast(S, lo), u = FloatVector.broadcast(S, hi);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += VL) {
            IntVector x = FloatVector.fromArray(S, a, aOff + i).add(magic).reinterpretAsInts().sub(magicBits);
            IntVector y = FloatVector.fromArray(S, b, bOff + i).add(magic).reinterpretAsInts().sub(magicBits);
            IntVector acc = x.mul(am).add(y.mul(bm)).add(rounding).lanewise(VectorOperators.ASHR, shift);
            FloatVector v = ((FloatVector) acc.add(magicBits).reinterpretAsFloats()).sub(magic);
            v.blend(l, v.compare(LE, l)).blend(u, v.compare(GT, u)).intoArray(out, outOff + i);
        }
        int r = 1 << (shift - 1);
        for (; i < len; i++) {
            int acc = (int) a[aOff + i] * aMultiplier + (int) b[bOff + i] * bMultiplier + r;
            out[outOff + i] = Math.min(Math.max((float) (acc >> shift), lo), hi);
        }
    }
}
