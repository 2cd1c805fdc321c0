package io.framewise.inference.kernels;

import static io.framewise.inference.kernels.KernelAssertions.SENTINEL;
import static io.framewise.inference.kernels.KernelAssertions.assertClose;
import static io.framewise.inference.kernels.KernelAssertions.filled;
import static io.framewise.inference.kernels.KernelAssertions.random;
import static io.framewise.inference.kernels.KernelAssertions.species;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;

import io.framewise.inference.kernels.reference.ReferenceDepthwiseConv;
import io.framewise.inference.kernels.simd.DwConv3x3RowTiled;
import io.framewise.inference.kernels.simd.DwConvPixelV;
import io.framewise.inference.model.Padding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DepthwiseKernelTest {

    private static final int[] CHANNELS = {1, 17, 33, 96, 144};
    private static final int[][] HW = {{1, 1}, {1, 7}, {7, 1}, {5, 5}, {6, 6}, {7, 9}, {12, 13}};

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void rowTiled3x3MatchesReference(int bits) {
        DepthwiseConv v = DwConv3x3RowTiled.of(species(bits));
        for (int c : CHANNELS) {
            for (int[] hw : HW) {
                for (int stride = 1; stride <= 2; stride++) {
                    for (Padding pad : Padding.values()) {
                        checkBothWindows(v, hw[0], hw[1], c, 3, 3, stride, pad);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void pixelKernelMatchesReferenceForOtherSizes(int bits) {
        DepthwiseConv v = DwConvPixelV.of(species(bits));
        int[][] kernels = {{3, 3}, {5, 5}, {1, 1}, {2, 3}};
        for (int c : CHANNELS) {
            for (int[] k : kernels) {
                for (int stride = 1; stride <= 2; stride++) {
                    for (Padding pad : Padding.values()) {
                        checkBothWindows(v, 7, 9, c, k[0], k[1], stride, pad);
                        checkBothWindows(v, 1, 6, c, k[0], k[1], stride, pad);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void mobileNetShapes(int bits) {
        DepthwiseConv v = DwConv3x3RowTiled.of(species(bits));
        check(v, 28, 28, 192, 3, 3, 2, Padding.SAME, 3, 9);
        check(v, 14, 14, 576, 3, 3, 1, Padding.SAME, 0, 14);
        check(v, 7, 7, 960, 3, 3, 1, Padding.SAME, 5, 7);
    }

    @Test
    void rowTiledRejectsOtherFilters() {
        DepthwiseConv v = DwConv3x3RowTiled.of(species(256));
        assertThrows(IllegalArgumentException.class, () -> v.pack(new float[25], 5, 5, 1));
    }

    private static void checkBothWindows(DepthwiseConv v, int h, int w, int c, int kh, int kw, int stride, Padding pad) {
        int oh = pad.outputSize(h, kh, stride);
        if (oh <= 0 || pad.outputSize(w, kw, stride) <= 0) {
            return;
        }
        check(v, h, w, c, kh, kw, stride, pad, 0, oh);
        if (oh >= 3) {
            check(v, h, w, c, kh, kw, stride, pad, 1, oh - 1);
        } else if (oh == 2) {
            check(v, h, w, c, kh, kw, stride, pad, 1, 2);
        }
    }

    /**
     * Runs output rows [oy0, oy1) from an input window holding exactly the rows they need, framed by
     * NaN rows: reading outside the window turns the result into NaN and fails the comparison. Runs
     * twice: with arrays cut to size (the kernels' copying fallback for a channel tail) and with
     * {@link KernelSet#ARRAY_PAD} of slack as the planner allocates them (the tail read in place).
     */
    private static void check(DepthwiseConv v, int h, int w, int c, int kh, int kw, int stride, Padding pad,
                              int oy0, int oy1) {
        check(v, h, w, c, kh, kw, stride, pad, oy0, oy1, false);
        check(v, h, w, c, kh, kw, stride, pad, oy0, oy1, true);
    }

    private static void check(DepthwiseConv v, int h, int w, int c, int kh, int kw, int stride, Padding pad,
                              int oy0, int oy1, boolean padded) {
        int oh = pad.outputSize(h, kh, stride);
        int ow = pad.outputSize(w, kw, stride);
        int padTop = pad.padBefore(h, kh, stride);
        int padLeft = pad.padBefore(w, kw, stride);
        long seed = ((h * 31L + w) * 31 + c) * 31 + kh * 7 + kw + stride * 1000 + oy0 * 100_000L;
        float[] image = random(seed, h * w * c);
        float[] weights = random(seed + 1, kh * kw * c);
        float[] bias = random(seed + 2, c);
        float lo = (c & 1) == 0 ? -0.8f : Float.NEGATIVE_INFINITY;
        float hi = (c & 1) == 0 ? 0.9f : Float.POSITIVE_INFINITY;

        ReferenceDepthwiseConv ref = new ReferenceDepthwiseConv();
        float[] full = new float[oh * ow * c];
        ref.run(image, 0, 0, h, w, c, kh, kw, stride, padTop, padLeft, ref.pack(weights, kh, kw, c), bias,
                full, 0, 0, oh, ow, 0, oh, lo, hi);

        int inRow0 = Math.max(0, oy0 * stride - padTop);
        int inRow1 = Math.min(h, (oy1 - 1) * stride - padTop + kh);
        int rowLen = w * c;
        int inOff = 2 + rowLen; // one NaN row (plus 2) before the window
        int slack = padded ? KernelSet.ARRAY_PAD : 0;
        float[] window = filled(inOff + (inRow1 - inRow0 + 1) * rowLen + slack, Float.NaN);
        System.arraycopy(image, inRow0 * rowLen, window, inOff, (inRow1 - inRow0) * rowLen);

        int outOff = 3;
        int outLen = (oy1 - oy0) * ow * c;
        float[] actual = filled(outOff + outLen + 5, SENTINEL);
        v.run(window, inOff, inRow0, h, w, c, kh, kw, stride, padTop, padLeft, v.pack(weights, kh, kw, c),
                padded ? KernelSet.padded(bias) : bias,
                actual, outOff, oy0, oh, ow, oy0, oy1, lo, hi);

        float[] expected = filled(actual.length, SENTINEL);
        System.arraycopy(full, oy0 * ow * c, expected, outOff, outLen);
        assertClose(expected, actual, "h=" + h + " w=" + w + " c=" + c + " k=" + kh + "x" + kw + " s=" + stride
                + " " + pad + (padded ? " padded" : "") + " rows [" + oy0 + "," + oy1 + ") window " + Arrays.toString(new int[]{inRow0, inRow1}));
    }
}
