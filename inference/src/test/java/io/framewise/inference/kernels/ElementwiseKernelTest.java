package io.framewise.inference.kernels;

import static io.framewise.inference.kernels.KernelAssertions.SENTINEL;
import static io.framewise.inference.kernels.KernelAssertions.assertClose;
import static io.framewise.inference.kernels.KernelAssertions.filled;
import static io.framewise.inference.kernels.KernelAssertions.random;
import static io.framewise.inference.kernels.KernelAssertions.species;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.framewise.inference.kernels.reference.ReferenceElementwise;
import io.framewise.inference.kernels.simd.ElementwiseV;
import io.framewise.inference.model.Padding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ElementwiseKernelTest {

    private final Elementwise ref = new ReferenceElementwise();

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void addMatchesReferenceIncludingAliasing(int bits) {
        Elementwise v = ElementwiseV.of(species(bits));
        for (int len : new int[]{1, 5, 17, 33, 1001, 56 * 56 * 24}) {
            float[] a = random(len, len + 3);
            float[] b = random(len + 1, len + 5);
            float[] expected = filled(len + 4, SENTINEL);
            float[] actual = expected.clone();
            ref.add(a, 3, b, 5, expected, 1, len, -0.5f, 0.5f);
            v.add(a, 3, b, 5, actual, 1, len, -0.5f, 0.5f);
            assertClose(expected, actual, "add len=" + len);
            float[] aliased = a.clone();
            v.add(aliased, 3, b, 5, aliased, 3, len, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
            float[] want = a.clone();
            ref.add(want, 3, b, 5, want, 3, len, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
            assertClose(want, aliased, "aliased add len=" + len);
        }
    }

    /**
     * XNNPACK's qu8 ADD on integers (q - zero point): the vector twin equals the reference and a plain
     * long computation, with the multipliers of DeepLab's adds and of a QUANTIZE (b multiplier 0, shift 8),
     * aliased output included.
     */
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void fixedPointAddMatchesReference(int bits) {
        Elementwise v = ElementwiseV.of(species(bits));
        int[][] params = {{1093126, 1427419, 21}, {1048576, 744830, 20}, {108, 0, 8}, {2097151, 1, 12}};
        for (int[] m : params) {
            for (int len : new int[]{1, 5, 17, 33, 1001, 65 * 65 * 16}) {
                java.util.Random r = new java.util.Random(len * 31L + m[0]);
                float[] a = new float[len + 3];
                float[] b = new float[len + 5];
                for (int i = 0; i < a.length; i++) {
                    a[i] = r.nextInt(256) - 131;
                }
                for (int i = 0; i < b.length; i++) {
                    b[i] = r.nextInt(256) - 97;
                }
                float[] expected = filled(len + 4, SENTINEL);
                float[] actual = expected.clone();
                ref.addFixedPoint(a, 3, b, 5, expected, 1, len, m[0], m[1], m[2], -120f, 121f);
                v.addFixedPoint(a, 3, b, 5, actual, 1, len, m[0], m[1], m[2], -120f, 121f);
                for (int i = 0; i < len; i++) {
                    long acc = (long) a[3 + i] * m[0] + (long) b[5 + i] * m[1] + (1L << (m[2] - 1));
                    float want = Math.min(Math.max((float) Math.floorDiv(acc, 1L << m[2]), -120f), 121f);
                    assertEquals(want, expected[1 + i], "reference, len=" + len + " [" + i + "]");
                }
                assertClose(expected, actual, "fixed-point add len=" + len + " multipliers " + m[0] + "/" + m[1]);
                float[] aliased = a.clone();
                v.addFixedPoint(aliased, 3, b, 5, aliased, 3, len, m[0], m[1], m[2], -120f, 121f);
                float[] want = a.clone();
                ref.addFixedPoint(want, 3, b, 5, want, 3, len, m[0], m[1], m[2], -120f, 121f);
                assertClose(want, aliased, "aliased fixed-point add len=" + len);
            }
        }
    }

    /**
     * Rounding with a scale that is not 1/grid (the integer domain's requantization) is not idempotent:
     * the vector twin's overlapping tail must still round every element once.
     */
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void snapWithAScaleRoundsEveryElementOnce(int bits) {
        Elementwise v = ElementwiseV.of(species(bits));
        for (int len : new int[]{1, 15, 16, 17, 33, 1001}) {
            java.util.Random r = new java.util.Random(len);
            float[] a = new float[len + 2];
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextInt(2_000_001) - 1_000_000;
            }
            float[] expected = a.clone();
            float[] actual = a.clone();
            ref.snap(expected, 2, len - 2 > 0 ? len - 2 : len, 0.00731f, 1f);
            v.snap(actual, 2, len - 2 > 0 ? len - 2 : len, 0.00731f, 1f);
            for (int i = 0; i < a.length; i++) {
                float want = i >= 2 && i < 2 + (len - 2 > 0 ? len - 2 : len) ? (float) Math.rint(a[i] * 0.00731f) + 0f : a[i];
                assertEquals(want, expected[i], "reference len=" + len + " [" + i + "]");
                assertEquals(want, actual[i], "vector len=" + len + " [" + i + "]");
            }
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void globalAveragePoolMatchesReference(int bits) {
        Elementwise v = ElementwiseV.of(species(bits));
        for (int pixels : new int[]{1, 7, 49}) {
            for (int c : new int[]{1, 17, 33, 1280}) {
                float[] in = random(pixels * 7919L + c, 2 + pixels * c);
                float[] expected = filled(c + 3, SENTINEL);
                float[] actual = expected.clone();
                ref.globalAveragePool(in, 2, pixels, c, expected, 1, -0.2f, 0.3f);
                v.globalAveragePool(in, 2, pixels, c, actual, 1, -0.2f, 0.3f);
                assertClose(expected, actual, "gap pixels=" + pixels + " c=" + c);
            }
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void averagePoolMatchesReference(int bits) {
        Elementwise v = ElementwiseV.of(species(bits));
        int[][] hw = {{1, 1}, {7, 7}, {5, 8}};
        for (int[] s : hw) {
            for (int c : new int[]{1, 17, 33}) {
                for (int f : new int[]{2, 3, 7}) {
                    for (int stride = 1; stride <= 2; stride++) {
                        for (Padding pad : Padding.values()) {
                            int oh = pad.outputSize(s[0], f, stride);
                            int ow = pad.outputSize(s[1], f, stride);
                            if (oh <= 0 || ow <= 0) {
                                continue;
                            }
                            int pt = pad.padBefore(s[0], f, stride);
                            int pl = pad.padBefore(s[1], f, stride);
                            float[] in = random(s[0] * 1000L + s[1] * 10 + c + f, s[0] * s[1] * c);
                            float[] expected = filled(oh * ow * c + 2, SENTINEL);
                            float[] actual = expected.clone();
                            ref.averagePool(in, 0, s[0], s[1], c, f, f, stride, pt, pl, expected, 0, oh, ow,
                                    Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
                            v.averagePool(in, 0, s[0], s[1], c, f, f, stride, pt, pl, actual, 0, oh, ow,
                                    Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
                            assertClose(expected, actual, "avgpool " + s[0] + "x" + s[1] + "x" + c + " f=" + f
                                    + " s=" + stride + " " + pad);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void softmaxMatchesReferenceAndSumsToOne(int bits) {
        Elementwise v = ElementwiseV.of(species(bits));
        for (int n : new int[]{1, 17, 1001}) {
            for (float beta : new float[]{1f, 0.5f}) {
                float[] in = random(n * 13L, n + 1);
                for (int i = 0; i < in.length; i++) {
                    in[i] *= 20; // wide logits: exercises the max subtraction
                }
                float[] expected = new float[n];
                float[] actual = new float[n];
                ref.softmax(in, 1, n, beta, expected, 0);
                v.softmax(in, 1, n, beta, actual, 0);
                assertClose(expected, actual, "softmax n=" + n + " beta=" + beta);
                double sum = 0;
                for (float p : actual) {
                    sum += p;
                }
                assertEquals(1.0, sum, 1e-5);
            }
        }
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void snapEqualsReferenceBitForBit(int bits) {
        Elementwise v = ElementwiseV.of(species(bits));
        java.util.Random r = new java.util.Random(bits);
        for (float grid : new float[] {0.0235294f, 0.1f, 1f / 256, 0.3513f}) {
            for (int len : new int[] {1, 7, 17, 33, 1001, 4096}) {
                float[] a = new float[len + 3];
                for (int i = 0; i < a.length; i++) {
                    // values on and between grid points, incl. exact halves where rounding mode matters
                    a[i] = switch (i % 4) {
                        case 0 -> (r.nextInt(511) - 255) * grid;
                        case 1 -> (r.nextInt(511) - 255 + 0.5f) * grid;
                        default -> (r.nextFloat() * 510 - 255) * grid;
                    };
                }
                a[0] = 3e7f * grid; // beyond the magic-number range: the scalar path
                float[] expected = a.clone();
                float[] actual = a.clone();
                ref.snap(expected, 2, len, grid);
                v.snap(actual, 2, len, grid);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                            "grid " + grid + " len " + len + " index " + i + ": " + expected[i] + " vs " + actual[i]);
                }
                // a snapped value is a whole number of grid steps
                float q = actual[2] / grid;
                assertEquals(Math.rint(q), q, 1e-3, "snapped value " + actual[2] + " on grid " + grid);
            }
        }
    }
}
