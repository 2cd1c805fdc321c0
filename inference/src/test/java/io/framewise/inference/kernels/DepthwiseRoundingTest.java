package io.framewise.inference.kernels;

import static io.framewise.inference.kernels.KernelAssertions.species;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import io.framewise.inference.kernels.reference.ReferenceDepthwiseConv;
import io.framewise.inference.kernels.reference.ReferenceDilatedDepthwiseConv;
import io.framewise.inference.kernels.reference.ReferenceElementwise;
import io.framewise.inference.kernels.simd.DwConv3x3DilatedPhaseStrip4;
import io.framewise.inference.kernels.simd.DwConv3x3RowTiled;
import io.framewise.inference.kernels.simd.DwConvPixelV;
import io.framewise.inference.model.Padding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The depthwise kernels' rounding epilogue ({@code rint(clamp(x) * scale) * grid} in the store), bit for
 * bit against two things: the reference twin with the same rounding, and the same kernel's clamped output
 * rounded afterwards by a separate snap pass (what the plans did before). Three roundings: a uint8 grid
 * after ReLU6 (scale = 1/grid), the integer domain's requantization (integer accumulators, scale ≠ 1/grid,
 * grid 1), and scale 1/2 on integers, where every odd accumulator is a tie that must round to even.
 *
 * <p>Inputs are exact in float (integers, or integers times 2^-7), so every accumulation order gives the
 * same accumulator and the comparison with the reference can be exact. Shapes: C = 1, 17, 33 (vector
 * tails at every width), W = 1, rows narrower than a strip, stride 2, padding on every edge.
 */
class DepthwiseRoundingTest {

    private static final int[] CHANNELS = {1, 17, 33};
    private static final int[][] HW = {{1, 1}, {7, 1}, {1, 9}, {6, 6}, {9, 13}};

    /** {lo, hi, scale, grid, integer inputs (1) or multiples of 2^-7 (0)}. */
    private static final float[][] ROUNDINGS = {
        {0f, 6f, 255f / 6f, 6f / 255f, 0},
        {-20000f, 30000f, 0.00731f, 1f, 1},
        {-100000f, 100000f, 0.5f, 1f, 1},
    };

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void rowTiledRoundsLikeTheReference(int bits) {
        DepthwiseConv v = DwConv3x3RowTiled.of(species(bits));
        for (int c : CHANNELS) {
            for (int[] hw : HW) {
                for (int stride = 1; stride <= 2; stride++) {
                    for (Padding pad : Padding.values()) {
                        for (float[] r : ROUNDINGS) {
                            check(v, hw[0], hw[1], c, 3, stride, pad, r);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void pixelKernelRoundsLikeTheReference(int bits) {
        DepthwiseConv v = DwConvPixelV.of(species(bits));
        for (int c : CHANNELS) {
            for (int k : new int[] {3, 5}) {
                for (int stride = 1; stride <= 2; stride++) {
                    for (float[] r : ROUNDINGS) {
                        check(v, 7, 9, c, k, stride, Padding.SAME, r);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void dilatedRoundsLikeTheReference(int bits) {
        DilatedDepthwiseConv v = DwConv3x3DilatedPhaseStrip4.of(species(bits));
        DilatedDepthwiseConv ref = new ReferenceDilatedDepthwiseConv();
        int[][] shapes = {{9, 9, 1}, {13, 11, 17}, {7, 1, 33}, {17, 17, 33}};
        for (int[] s : shapes) {
            for (int d : new int[] {1, 2, 4}) {
                for (int stride = 1; stride <= 2; stride++) {
                    for (float[] r : ROUNDINGS) {
                        int h = s[0], w = s[1], c = s[2], ek = 2 * d + 1;
                        Padding pad = Padding.SAME;
                        int oh = pad.outputSize(h, ek, stride), ow = pad.outputSize(w, ek, stride);
                        int pt = pad.padBefore(h, ek, stride), pl = pad.padBefore(w, ek, stride);
                        Inputs x = new Inputs(h * 131L + w * 17L + c + d, h * w * c, c, 9, r[4] == 1);
                        float[] expected = new float[oh * ow * c];
                        float[] actual = new float[oh * ow * c];
                        float[] unrounded = new float[oh * ow * c];
                        ref.run(x.image, 0, h, w, c, 3, 3, stride, d, pt, pl, ref.pack(x.weights, 3, 3, c), x.bias,
                                expected, 0, oh, ow, r[0], r[1], r[2], r[3]);
                        float[] packed = v.pack(x.weights, 3, 3, c);
                        v.run(x.image, 0, h, w, c, 3, 3, stride, d, pt, pl, packed, x.bias, actual, 0, oh, ow,
                                r[0], r[1], r[2], r[3]);
                        v.run(x.image, 0, h, w, c, 3, 3, stride, d, pt, pl, packed, x.bias, unrounded, 0, oh, ow,
                                r[0], r[1]);
                        new ReferenceElementwise().snap(unrounded, 0, unrounded.length, r[2], r[3]);
                        String at = bits + " bits " + h + "x" + w + "x" + c + " d" + d + " s" + stride + " scale " + r[2];
                        assertBits(expected, actual, "reference, " + at);
                        assertBits(unrounded, actual, "kernel then snap, " + at);
                    }
                }
            }
        }
    }

    private static void check(DepthwiseConv v, int h, int w, int c, int k, int stride, Padding pad, float[] r) {
        int oh = pad.outputSize(h, k, stride), ow = pad.outputSize(w, k, stride);
        if (oh <= 0 || ow <= 0) {
            return;
        }
        int pt = pad.padBefore(h, k, stride), pl = pad.padBefore(w, k, stride);
        Inputs x = new Inputs(h * 131L + w * 17L + c + k + stride, h * w * c, c, k * k, r[4] == 1);
        DepthwiseConv ref = new ReferenceDepthwiseConv();
        float[] expected = new float[oh * ow * c];
        ref.run(x.image, 0, 0, h, w, c, k, k, stride, pt, pl, ref.pack(x.weights, k, k, c), x.bias,
                expected, 0, 0, oh, ow, 0, oh, r[0], r[1], r[2], r[3]);
        float[] packed = v.pack(x.weights, k, k, c);
        float[] actual = new float[oh * ow * c];
        v.run(x.image, 0, 0, h, w, c, k, k, stride, pt, pl, packed, x.bias, actual, 0, 0, oh, ow, 0, oh,
                r[0], r[1], r[2], r[3]);
        float[] unrounded = new float[oh * ow * c];
        v.run(x.image, 0, 0, h, w, c, k, k, stride, pt, pl, packed, x.bias, unrounded, 0, 0, oh, ow, 0, oh, r[0], r[1]);
        new ReferenceElementwise().snap(unrounded, 0, unrounded.length, r[2], r[3]);
        String at = v.getClass().getSimpleName() + " " + h + "x" + w + "x" + c + " k" + k + " s" + stride + " " + pad
                + " scale " + r[2];
        assertBits(expected, actual, "reference, " + at);
        assertBits(unrounded, actual, "kernel then snap, " + at);
        if (oh > 2) {
            // a band of rows alone rounds its rows as the whole run does
            float[] band = new float[oh * ow * c];
            v.run(x.image, 0, 0, h, w, c, k, k, stride, pt, pl, packed, x.bias, band, ow * c, 1, oh, ow, 1, oh - 1,
                    r[0], r[1], r[2], r[3]);
            for (int i = ow * c; i < (oh - 1) * ow * c; i++) {
                assertEquals(Float.floatToRawIntBits(actual[i]), Float.floatToRawIntBits(band[i]), "band, " + at + " at " + i);
            }
        }
    }

    private static void assertBits(float[] expected, float[] actual, String context) {
        boolean rounded = false;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    () -> context + ": " + expected.length + " outputs");
            rounded |= actual[i] != 0;
        }
        assertTrue(rounded || expected.length < 4, context + ": all outputs zero, the case tests nothing");
    }

    /** Image, weights and bias that are exact in float: integers (the integer domain) or multiples of 2^-7. */
    private static final class Inputs {
        final float[] image;
        final float[] weights;
        final float[] bias;

        Inputs(long seed, int n, int c, int taps, boolean integers) {
            SplittableRandom r = new SplittableRandom(seed);
            float unit = integers ? 1f : 1f / 128;
            image = ints(r, n, 128, unit);
            weights = ints(r, taps * c, 127, unit);
            bias = ints(r, c, integers ? 2000 : 128, unit);
        }

        private static float[] ints(SplittableRandom r, int n, int bound, float unit) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = r.nextInt(-bound, bound) * unit;
            }
            return a;
        }
    }
}
