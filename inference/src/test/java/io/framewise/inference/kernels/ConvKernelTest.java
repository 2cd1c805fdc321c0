package io.framewise.inference.kernels;

import static io.framewise.inference.kernels.KernelAssertions.SENTINEL;
import static io.framewise.inference.kernels.KernelAssertions.assertClose;
import static io.framewise.inference.kernels.KernelAssertions.filled;
import static io.framewise.inference.kernels.KernelAssertions.random;
import static io.framewise.inference.kernels.KernelAssertions.species;

import io.framewise.inference.kernels.reference.ReferenceConv2d;
import io.framewise.inference.kernels.simd.ConvStrip6x2V;
import io.framewise.inference.model.Padding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConvKernelTest {

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void strip6x2MatchesReference(int bits) {
        Conv2d v = ConvStrip6x2V.of(species(bits));
        int[][] hws = {{1, 1}, {1, 9}, {9, 1}, {8, 8}, {7, 13}, {16, 17}};
        int[][] kernels = {{3, 3}, {1, 1}, {2, 3}};
        int[] cins = {1, 3, 17};
        int[] couts = {1, 17, 32, 33};
        for (int[] hw : hws) {
            for (int[] k : kernels) {
                for (int cin : cins) {
                    for (int cout : couts) {
                        for (int stride = 1; stride <= 2; stride++) {
                            for (Padding pad : Padding.values()) {
                                check(v, hw[0], hw[1], cin, cout, k[0], k[1], stride, pad);
                            }
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void mobileNetStem(int bits) {
        check(ConvStrip6x2V.of(species(bits)), 224, 224, 3, 32, 3, 3, 2, Padding.SAME);
    }

    /**
     * Stems of MobileNet V1 0.25/0.5/0.75 (Cout 8/16/24: below, at and across one 512-bit vector) with
     * arrays padded as the planner does: the blend stores for Cout below VL must leave the slack alone.
     */
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void plannerPaddedStems(int bits) {
        Conv2d v = ConvStrip6x2V.of(species(bits));
        int[][] sizeCout = {{128, 8}, {160, 16}, {192, 24}, {224, 32}, {31, 5}};
        for (int[] sc : sizeCout) {
            check(v, sc[0], sc[0], 3, sc[1], 3, 3, 2, Padding.SAME, KernelSet.ARRAY_PAD);
        }
    }

    private static void check(Conv2d v, int h, int w, int cin, int cout, int kh, int kw, int stride, Padding pad) {
        check(v, h, w, cin, cout, kh, kw, stride, pad, 6);
    }

    private static void check(Conv2d v, int h, int w, int cin, int cout, int kh, int kw, int stride, Padding pad,
                              int slack) {
        int oh = pad.outputSize(h, kh, stride);
        int ow = pad.outputSize(w, kw, stride);
        if (oh <= 0 || ow <= 0) {
            return;
        }
        int padTop = pad.padBefore(h, kh, stride);
        int padLeft = pad.padBefore(w, kw, stride);
        long seed = ((h * 31L + w) * 31 + cin) * 31 + cout + kh * 1000 + kw * 100 + stride * 10_000;
        int inOff = 4;
        float[] in = random(seed, inOff + h * w * cin + slack);
        float[] weights = random(seed + 1, cout * kh * kw * cin);
        float[] bias = java.util.Arrays.copyOf(random(seed + 2, cout), cout + slack);
        float lo = (cout & 1) == 0 ? 0f : Float.NEGATIVE_INFINITY;
        float hi = (cout & 1) == 0 ? 6f : Float.POSITIVE_INFINITY;
        int outOff = 2;
        float[] expected = filled(outOff + oh * ow * cout + slack, SENTINEL);
        float[] actual = expected.clone();
        String tag = "h=" + h + " w=" + w + " cin=" + cin + " cout=" + cout + " k=" + kh + "x" + kw + " s=" + stride
                + " " + pad;
        ReferenceConv2d ref = new ReferenceConv2d();
        ref.run(in, inOff, h, w, cin, kh, kw, stride, padTop, padLeft, ref.pack(weights, cout, kh, kw, cin), bias, cout,
                expected, outOff, oh, ow, lo, hi, 1f, 0f);
        v.run(in, inOff, h, w, cin, kh, kw, stride, padTop, padLeft, v.pack(weights, cout, kh, kw, cin), bias, cout,
                actual, outOff, oh, ow, lo, hi, 1f, 0f);
        assertClose(expected, actual, tag);
        // rounding in the kernel's stores to a grid (ReLU6 on uint8), with a scale that is not the grid's
        // inverse (the integer domain's): the same bits as the twin's rounding of the same sums
        // ReLU6's bounds clamp on the accumulators' bits in the strips; a finite negative lo takes the
        // kernel's other path (exact sums, then a clamp-and-round pass)
        float grid = 6f / 255f, scale = 1.37f / grid;
        float[][] bounds = {{0f, 6f}, {-0.8f, 0.9f}};
        for (float[] b : bounds) {
            float[] roundedRef = filled(expected.length, SENTINEL);
            float[] rounded = filled(expected.length, SENTINEL);
            ref.run(in, inOff, h, w, cin, kh, kw, stride, padTop, padLeft, ref.pack(weights, cout, kh, kw, cin), bias,
                    cout, roundedRef, outOff, oh, ow, b[0], b[1], scale, grid);
            v.run(in, inOff, h, w, cin, kh, kw, stride, padTop, padLeft, v.pack(weights, cout, kh, kw, cin), bias, cout,
                    rounded, outOff, oh, ow, b[0], b[1], scale, grid);
            for (int i = 0; i < rounded.length; i++) {
                if (Float.floatToRawIntBits(roundedRef[i]) != Float.floatToRawIntBits(rounded[i])) {
                    throw new AssertionError(tag + " grid, bounds [" + b[0] + "," + b[1] + "] [" + i + "]: twin "
                            + roundedRef[i] + ", kernel " + rounded[i]);
                }
            }
        }
    }
}
