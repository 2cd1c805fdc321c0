package io.framewise.inference.kernels;

import static io.framewise.inference.kernels.KernelAssertions.SENTINEL;
import static io.framewise.inference.kernels.KernelAssertions.assertClose;
import static io.framewise.inference.kernels.KernelAssertions.filled;
import static io.framewise.inference.kernels.KernelAssertions.random;
import static io.framewise.inference.kernels.KernelAssertions.species;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.framewise.inference.kernels.reference.ReferenceDepthwiseConv;
import io.framewise.inference.kernels.reference.ReferenceDilatedDepthwiseConv;
import io.framewise.inference.kernels.reference.ReferencePaddedDepthwiseConv;
import io.framewise.inference.kernels.simd.DwConv3x3PaddedStrip4;
import io.framewise.inference.model.Padding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The border-free depthwise kernel against its plain-loop twin, bit for bit, on awkward shapes (C = 1,
 * 17, 33: below one vector and shifted-back tails; W = 1 and rows under a strip; stride 2 on odd and even
 * sizes; dilation 2 with padding 2), over a band of rows and the whole image; and both against the
 * implicit-padding references on the unpadded image, which is what the planner replaces.
 */
class PaddedDepthwiseKernelTest {

    private static final int[] CHANNELS = {1, 8, 17, 33, 96};
    private static final int[][] HW = {{1, 1}, {1, 7}, {7, 1}, {3, 5}, {5, 5}, {6, 6}, {7, 9}, {12, 13}, {14, 14}};
    private static final int[][] STRIDE_DILATION = {{1, 1}, {1, 2}, {2, 1}};

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void strip4MatchesReference(int bits) {
        PaddedDepthwiseConv v = DwConv3x3PaddedStrip4.of(species(bits));
        for (int c : CHANNELS) {
            for (int[] hw : HW) {
                for (int[] sd : STRIDE_DILATION) {
                    int oh = Padding.SAME.outputSize(hw[0], 3, sd[0]);
                    check(v, hw[0], hw[1], c, sd[0], sd[1], 0, oh);
                    check(v, hw[0], hw[1], c, sd[0], sd[1], 0, oh, GRID);
                    if (oh >= 3) {
                        check(v, hw[0], hw[1], c, sd[0], sd[1], 1, oh - 1);
                        check(v, hw[0], hw[1], c, sd[0], sd[1], 1, oh - 1, GRID);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void networkShapes(int bits) {
        PaddedDepthwiseConv v = DwConv3x3PaddedStrip4.of(species(bits));
        check(v, 7, 7, 960, 1, 1, 0, 7);
        check(v, 14, 14, 576, 1, 1, 5, 7); // one row pair
        check(v, 14, 14, 96, 1, 1, 4, 9);  // an odd band: the last pair shifted up
        check(v, 14, 14, 96, 1, 1, 13, 14); // one row
        check(v, 14, 14, 576, 1, 1, 0, 14, GRID);
        check(v, 33, 33, 960, 1, 2, 0, 33, GRID);
        check(v, 28, 28, 192, 2, 1, 0, 14, GRID);
        check(v, 28, 28, 192, 2, 1, 3, 11);
        check(v, 33, 33, 960, 1, 2, 0, 33);
        check(v, 33, 33, 960, 1, 2, 8, 16, GRID); // a dilated fused block's 8-row tile (DeepLab B14-B16)
        check(v, 33, 33, 96, 1, 2, 27, 33);       // the last tile's rows, reading the bottom padding
        check(v, 33, 33, 33, 1, 2, 29, 33, GRID); // a channel tail
        check(v, 9, 9, 48, 1, 2, 2, 5);
        check(v, 65, 65, 144, 2, 1, 0, 33);
        // the bounds the integer clamp takes and those it leaves to the plain loop
        check(v, 14, 14, 96, 1, 1, 0, 14, 0f, Float.NEGATIVE_INFINITY, 0.9f);
        check(v, 14, 14, 96, 2, 1, 0, 7, GRID, 0.1f, 0.5f);
        check(v, 14, 14, 96, 1, 1, 0, 14, 0f, 0f, 0f);
        check(v, 14, 14, 96, 1, 1, 0, 14, 0f, -0f, 0.9f);
        check(v, 14, 14, 96, 1, 2, 0, 14, 0f, -0.9f, -0.1f);
        check(v, 14, 14, 96, 1, 1, 0, 14, 0f, 0.5f, 0.2f);
    }

    @Test
    void rejectsWhatItDoesNotTile() {
        PaddedDepthwiseConv v = DwConv3x3PaddedStrip4.of(species(256));
        assertFalse(v.supports(2, 2));
        assertFalse(v.supports(1, 4));
        assertThrows(IllegalArgumentException.class, () -> v.run(new float[100], 0, 10, 1, 1, 4, 0, 0,
                new float[9], new float[1], new float[10], 0, 1, 0, 1, 0f, 6f, 1f, 0f));
    }

    /**
     * Output rows [oy0, oy1) of an h×w×c image stored with {@code dilation} zero rows and columns around it
     * (SAME padding), the rest of the array NaN: a read outside the padded image turns a result into NaN.
     */
    /** An activation grid (ReLU6 on uint8: 6/255), with a scale that is not its inverse as in the integer domain. */
    private static final float GRID = 6f / 255f;

    private static void check(PaddedDepthwiseConv v, int h, int w, int c, int stride, int dilation, int oy0, int oy1) {
        check(v, h, w, c, stride, dilation, oy0, oy1, 0f);
    }

    /**
     * With {@code grid > 0} the kernel rounds its stores ({@code rint(x · scale) · grid}); the twin and the
     * implicit references' outputs rounded the same way must match it.
     */
    private static void check(PaddedDepthwiseConv v, int h, int w, int c, int stride, int dilation, int oy0, int oy1,
                              float grid) {
        if ((c & 1) == 0 || grid > 0) {
            // lo = 0 (ReLU's) clamps on the bits in the vector code; a finite negative lo runs the plain loop
            check(v, h, w, c, stride, dilation, oy0, oy1, grid, 0f, 0.9f);
            check(v, h, w, c, stride, dilation, oy0, oy1, grid, -0.8f, 0.9f);
        } else {
            check(v, h, w, c, stride, dilation, oy0, oy1, grid, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        }
    }

    private static void check(PaddedDepthwiseConv v, int h, int w, int c, int stride, int dilation, int oy0, int oy1,
                              float grid, float lo, float hi) {
        int ekh = 2 * dilation + 1;
        int oh = Padding.SAME.outputSize(h, ekh, stride);
        int ow = Padding.SAME.outputSize(w, ekh, stride);
        int padTop = Padding.SAME.padBefore(h, ekh, stride);
        int padLeft = Padding.SAME.padBefore(w, ekh, stride);
        int p = dilation;
        long seed = ((h * 31L + w) * 31 + c) * 31 + stride * 7 + dilation + oy0 * 1000L;
        float[] image = random(seed, h * w * c);
        float[] weights = random(seed + 1, 9 * c);
        float[] bias = KernelSet.padded(random(seed + 2, c));
        float scale = grid > 0 ? 1.37f / grid : 1f;

        int pitch = (w + 2 * p) * c;
        int inOff = 5;
        float[] padded = filled(inOff + (h + 2 * p) * pitch + KernelSet.ARRAY_PAD, Float.NaN);
        for (int y = 0; y < h + 2 * p; y++) {
            java.util.Arrays.fill(padded, inOff + y * pitch, inOff + (y + 1) * pitch, 0f);
        }
        for (int y = 0; y < h; y++) {
            System.arraycopy(image, y * w * c, padded, inOff + (y + p) * pitch + p * c, w * c);
        }
        int rowOff = p - padTop, colOff = p - padLeft;
        String tag = "h=" + h + " w=" + w + " c=" + c + " s=" + stride + " d=" + dilation + " rows [" + oy0 + "," + oy1 + ")"
                + (grid > 0 ? " grid " + grid : "") + " bounds [" + lo + "," + hi + "]";

        int outOff = 3;
        int outLen = (oy1 - oy0) * ow * c;
        float[] actual = filled(outOff + outLen + 5, SENTINEL);
        v.run(padded, inOff, pitch, c, stride, dilation, rowOff, colOff, v.pack(weights, c), bias, actual, outOff, ow,
                oy0, oy1, lo, hi, scale, grid);
        ReferencePaddedDepthwiseConv twin = new ReferencePaddedDepthwiseConv();
        float[] expected = filled(actual.length, SENTINEL);
        twin.run(padded, inOff, pitch, c, stride, dilation, rowOff, colOff, twin.pack(weights, c), bias, expected, outOff,
                ow, oy0, oy1, lo, hi, scale, grid);
        for (int i = 0; i < actual.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(tag + " [" + i + "]: twin " + expected[i] + ", kernel " + actual[i]);
            }
        }

        // the implicit-padding references on the unpadded image: the same outputs
        float[] implicit = new float[oh * ow * c];
        if (dilation == 1) {
            ReferenceDepthwiseConv ref = new ReferenceDepthwiseConv();
            ref.run(image, 0, 0, h, w, c, 3, 3, stride, padTop, padLeft, ref.pack(weights, 3, 3, c), bias,
                    implicit, 0, 0, oh, ow, 0, oh, lo, hi);
        } else {
            ReferenceDilatedDepthwiseConv ref = new ReferenceDilatedDepthwiseConv();
            ref.run(image, 0, h, w, c, 3, 3, stride, dilation, padTop, padLeft, ref.pack(weights, 3, 3, c), bias,
                    implicit, 0, oh, ow, lo, hi);
        }
        if (grid > 0) {
            for (int i = 0; i < implicit.length; i++) {
                implicit[i] = (float) Math.rint(implicit[i] * scale) * grid + 0f;
            }
        }
        float[] want = filled(actual.length, SENTINEL);
        System.arraycopy(implicit, oy0 * ow * c, want, outOff, outLen);
        assertClose(want, actual, tag + " against the implicit padding");
    }
}
