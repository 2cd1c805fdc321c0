package io.framewise.inference.kernels;

import static io.framewise.inference.kernels.KernelAssertions.assertClose;
import static io.framewise.inference.kernels.KernelAssertions.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.framewise.inference.kernels.reference.ReferenceDilatedDepthwiseConv;
import io.framewise.inference.kernels.reference.ReferenceResize;
import io.framewise.inference.kernels.simd.DwConv3x3DilatedPhaseStrip4;
import io.framewise.inference.kernels.simd.ResizeRowPlanarV;
import io.framewise.inference.model.Padding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The segmentation kernels against their plain-loop twins on awkward shapes: channels 1, 17, 33 (tails
 * at every width), width 1, stride 2, dilation 2 and 4 with most taps at the frame edges; resizes from
 * 1×1 and with each coordinate rule; ARG_MAX ties.
 */
class SegmentationKernelTest {

    @ParameterizedTest
    @ValueSource(ints = {128, 256, 512})
    void dilatedDepthwiseMatchesReference(int bits) {
        DilatedDepthwiseConv v = DwConv3x3DilatedPhaseStrip4.of(KernelAssertions.species(bits));
        DilatedDepthwiseConv r = new ReferenceDilatedDepthwiseConv();
        int[][] shapes = {{9, 9, 1}, {13, 11, 17}, {33, 33, 33}, {7, 1, 17}, {1, 12, 16}, {5, 5, 48}};
        for (int[] s : shapes) {
            for (int d : new int[] {1, 2, 4}) {
                for (int stride : new int[] {1, 2}) {
                    for (Padding pad : Padding.values()) {
                        int h = s[0], w = s[1], c = s[2];
                        int ek = 2 * d + 1;
                        if (pad == Padding.VALID && (h < ek || w < ek)) {
                            continue;
                        }
                        int oh = pad.outputSize(h, ek, stride);
                        int ow = pad.outputSize(w, ek, stride);
                        float[] in = random(h * 31L + w * 7L + c, h * w * c);
                        float[] wts = random(c + 5L, 9 * c);
                        float[] bias = random(c + 9L, c);
                        int pt = pad.padBefore(h, ek, stride);
                        int pl = pad.padBefore(w, ek, stride);
                        float[] expected = new float[oh * ow * c];
                        float[] actual = new float[oh * ow * c];
                        r.run(in, 0, h, w, c, 3, 3, stride, d, pt, pl, r.pack(wts, 3, 3, c), bias, expected, 0, oh, ow,
                                -1.5f, 2.5f);
                        v.run(in, 0, h, w, c, 3, 3, stride, d, pt, pl, v.pack(wts, 3, 3, c), bias, actual, 0, oh, ow,
                                -1.5f, 2.5f);
                        assertClose(expected, actual, bits + " bits " + h + "x" + w + "x" + c + " d" + d + " s" + stride
                                + " " + pad);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 256, 512})
    void resizeMatchesReference(int bits) {
        Resize v = ResizeRowPlanarV.of(KernelAssertions.species(bits));
        Resize r = new ReferenceResize();
        int[][] shapes = {{1, 1, 1, 33, 33}, {1, 1, 256, 33, 33}, {33, 33, 21, 33, 33}, {4, 5, 17, 9, 13},
            {3, 1, 33, 7, 1}, {6, 6, 16, 3, 2}};
        // zero point 36: every score is >= 0 in q units (the keyed argmax); -3: some are not (the masked one)
        for (int zeroPoint : new int[] {36, -3})
        for (int[] s : shapes) {
            for (int mode = 0; mode < 3; mode++) {
                boolean align = mode == 1;
                boolean half = mode == 2;
                float[] in = random(s[0] * 13L + s[2], s[0] * s[1] * s[2]);
                float[] expected = new float[s[3] * s[4] * s[2]];
                float[] actual = new float[expected.length + KernelSet.ARRAY_PAD];
                r.bilinear(in, 0, s[0], s[1], s[2], expected, 0, s[3], s[4], align, half);
                v.bilinear(KernelSet.padded(in), 0, s[0], s[1], s[2], actual, 0, s[3], s[4], align, half);
                assertClose(expected, java.util.Arrays.copyOf(actual, expected.length),
                        bits + " bits " + java.util.Arrays.toString(s) + " mode " + mode + " zero point " + zeroPoint);
            }
        }
    }

    /** Interpolation from 1×1 is the value itself everywhere, under every coordinate rule. */
    @Test
    void resizeFromOnePixelIsConstant() {
        float[] in = {0.25f, -3f, 7f};
        for (int mode = 0; mode < 3; mode++) {
            float[] out = new float[5 * 4 * 3];
            new ReferenceResize().bilinear(in, 0, 1, 1, 3, out, 0, 5, 4, mode == 1, mode == 2);
            for (int p = 0; p < 20; p++) {
                assertArrayEquals(in, java.util.Arrays.copyOfRange(out, 3 * p, 3 * p + 3), "mode " + mode);
            }
        }
    }

    /** DeepLab's head on a quantization grid: 33→513 with aligned corners; both kernels give the same class map. */
    @ParameterizedTest
    @ValueSource(ints = {128, 256, 512})
    void fusedResizeArgMaxMatchesReference(int bits) {
        Resize v = ResizeRowPlanarV.of(KernelAssertions.species(bits));
        Resize r = new ReferenceResize();
        int[][] shapes = {{33, 33, 21, 513, 513}, {5, 4, 3, 17, 33}, {1, 1, 21, 20, 20}, {4, 4, 1, 16, 16}};
        float grid = 0.20149837f;
        // zero point 36: every score is >= 0 in q units (the keyed argmax); -3: some are not (the masked one)
        for (int zeroPoint : new int[] {36, -3})
        for (int[] s : shapes) {
            for (int mode = 0; mode < 3; mode++) {
                float[] in = random(s[2] * 3L + s[0], s[0] * s[1] * s[2]);
                for (int i = 0; i < in.length; i++) { // on the grid, few levels: many ties
                    in[i] = Math.round(in[i] * 4) * grid;
                }
                float[] expected = new float[s[3] * s[4]];
                float[] actual = new float[s[3] * s[4] + KernelSet.ARRAY_PAD];
                float[] rows = new float[Resize.argMaxScratchFloats(s[2], s[1], s[4])];
                r.bilinearArgMax(in, 0, s[0], s[1], s[2], grid, zeroPoint, expected, 0, s[3], s[4], mode == 1, mode == 2, rows);
                v.bilinearArgMax(KernelSet.padded(in), 0, s[0], s[1], s[2], grid, zeroPoint, actual, 0, s[3], s[4],
                        mode == 1, mode == 2, rows);
                assertArrayEquals(expected, java.util.Arrays.copyOf(actual, expected.length),
                        bits + " bits " + java.util.Arrays.toString(s) + " mode " + mode + " zero point " + zeroPoint);
            }
        }
    }

    /** TFLite's tie rule: the first of equal maxima. */
    @Test
    void argMaxKeepsTheFirstOfEqualMaxima() {
        float[] in = {1, 3, 3, 0, /* */ 2, 2, 2, 2, /* */ -1, -5, -1, -0.5f};
        float[] out = new float[3];
        new ReferenceResize().argMax(in, 0, 3, 4, out, 0);
        assertArrayEquals(new float[] {1, 0, 3}, out);
        // fused, from 1x1: every pixel sees the same tied scores and keeps the first
        float[] tied = {0.5f, 0.5f, 0.25f};
        float[] map = new float[20 * 20 + KernelSet.ARRAY_PAD];
        ResizeRowPlanarV.of(KernelAssertions.species(512)).bilinearArgMax(KernelSet.padded(tied), 0, 1, 1, 3, 0.25f, 0,
                map, 0, 20, 20, true, false, new float[Resize.argMaxScratchFloats(3, 1, 20)]);
        for (int p = 0; p < 400; p++) {
            assertEquals(0f, map[p]);
        }
    }
}
