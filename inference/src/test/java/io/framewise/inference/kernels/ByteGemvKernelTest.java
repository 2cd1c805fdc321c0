package io.framewise.inference.kernels;

import static io.framewise.inference.kernels.KernelAssertions.random;
import static io.framewise.inference.kernels.KernelAssertions.species;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.Random;

import io.framewise.inference.kernels.reference.ReferenceByteGemv;
import io.framewise.inference.kernels.reference.ReferencePointwiseConv;
import io.framewise.inference.kernels.simd.GemvBytes1x4V;
import io.framewise.inference.kernels.simd.PointwiseGemm6x4V;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The byte-weight GEMV against its plain-loop twin and against the fp32 GEMMs on the dequantized
 * weights, bit for bit: the point of the kernel is to give the same floats from a quarter of the bytes.
 */
class ByteGemvKernelTest {

    private static final int[] CIN = {1, 17, 33, 1280};
    // below one vector (declined by the vector kernel), one vector, tails, 4 panels + 1 and + 3 at 512 bits, the head
    private static final int[] COUT = {5, 16, 17, 33, 80, 112, 1001};

    /** Weights as a loader makes them: {@code (float) ((q - zp) · (double) scale)}, per tensor or per channel. */
    private record Quantized(float[] weights, float[] scales) {
    }

    private static Quantized quantized(long seed, int cin, int cout, int zp, boolean perChannel, int bits) {
        Random r = new Random(seed);
        float[] scales = new float[perChannel ? cout : 1];
        for (int c = 0; c < scales.length; c++) {
            scales[c] = 0.0005f + r.nextFloat() * 0.02f;
        }
        float[] w = new float[cin * cout];
        int levels = 1 << bits;
        for (int co = 0; co < cout; co++) {
            float s = scales[perChannel ? co : 0];
            for (int ci = 0; ci < cin; ci++) {
                // both ends of the 8-bit range appear in every tensor that is large enough
                int q = (co * cin + ci) % 97 == 0 ? 0 : (co * cin + ci) % 89 == 0 ? levels - 1 : r.nextInt(levels);
                w[co * cin + ci] = (float) ((q - zp) * (double) s);
            }
        }
        return new Quantized(w, scales);
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void vectorMatchesReferenceAndTheFloatGemmBitForBit(int bits) {
        ByteGemv v = GemvBytes1x4V.of(species(bits));
        ByteGemv ref = new ReferenceByteGemv();
        PointwiseConv gemm = PointwiseGemm6x4V.of(species(bits));
        PointwiseConv gemmRef = new ReferencePointwiseConv();
        int vl = bits / 32;
        for (int cin : CIN) {
            for (int cout : COUT) {
                for (int zp : new int[] {0, 113, 255}) {
                    for (boolean perChannel : new boolean[] {false, true}) {
                        long seed = 31L * cin + 7L * cout + zp + (perChannel ? 1 : 0);
                        Quantized q = quantized(seed, cin, cout, zp, perChannel, 8);
                        String tag = bits + " bits " + cin + "->" + cout + " zp " + zp + (perChannel ? " per channel" : "");
                        ByteGemv.Packed pv = v.pack(q.weights(), q.scales(), cin, cout);
                        ByteGemv.Packed pr = ref.pack(q.weights(), q.scales(), cin, cout);
                        assertNotNull(pr, tag + ": the reference takes any 8-bit weights");
                        if (cout < vl) {
                            assertNull(pv, tag + ": the vector kernel declines Cout below one vector");
                        } else {
                            assertNotNull(pv, tag);
                        }
                        float[] in = random(seed + 1, cin + KernelSet.ARRAY_PAD);
                        in[0] = -0f;
                        float[] bias = KernelSet.padded(random(seed + 2, cout));
                        // ReLU6 with the grid rounded in the kernel; an open range without one; a finite negative lo
                        float[][] ranges = {{0f, 6f, 255f / 6f, 6f / 255f}, {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 1f, 0f},
                                {-1f, 1f, 0f, 0f}};
                        for (float[] rg : ranges) {
                            float[] expected = new float[cout + KernelSet.ARRAY_PAD];
                            gemmRef.run(in, 0, 1, cin, gemmRef.pack(q.weights(), cin, cout), bias, cout, expected, 0,
                                    rg[0], rg[1], rg[3] > 0 ? rg[2] : 1f, rg[3], 0, cout);
                            float[] fromGemm = new float[expected.length];
                            gemm.run(in, 0, 1, cin, gemm.pack(q.weights(), cin, cout), bias, cout, fromGemm, 0,
                                    rg[0], rg[1], rg[3] > 0 ? rg[2] : 1f, rg[3], 0, cout);
                            assertBits(expected, fromGemm, cout, tag + " fp32 GEMM (the premise)");
                            float[] got = new float[expected.length];
                            ref.run(in, 0, cin, pr, bias, cout, got, 0, rg[0], rg[1], rg[2], rg[3], 0, cout);
                            assertBits(expected, got, cout, tag + " reference twin, range " + Arrays.toString(rg));
                            if (pv != null) {
                                Arrays.fill(got, Float.NaN);
                                v.run(in, 0, cin, pv, bias, cout, got, 0, rg[0], rg[1], rg[2], rg[3], 0, cout);
                                assertBits(expected, got, cout, tag + " vector, range " + Arrays.toString(rg));
                            }
                        }
                    }
                }
            }
        }
    }

    /** A row at an offset, column ranges as a plan step splits Cout over 2, 3 and 5 threads. */
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void columnRangesAndOffsetsEqualTheWholeRun(int bits) {
        for (ByteGemv v : new ByteGemv[] {GemvBytes1x4V.of(species(bits)), new ReferenceByteGemv()}) {
            int step = v.columnStep();
            // 970 and 1034: the range from the last column step is shorter than a vector at 512 bits
            for (int[] shape : new int[][] {{1280, 1001}, {33, 80}, {17, 129}, {33, 970}, {9, 1034}}) {
                int cin = shape[0], cout = shape[1];
                Quantized q = quantized(cin + cout, cin, cout, 128, true, 8);
                ByteGemv.Packed p = v.pack(q.weights(), q.scales(), cin, cout);
                float[] in = random(cin, 3 + cin + KernelSet.ARRAY_PAD);
                float[] bias = KernelSet.padded(random(cout, cout));
                float[] whole = new float[5 + cout + KernelSet.ARRAY_PAD];
                v.run(in, 3, cin, p, bias, cout, whole, 5, 0f, 6f, 255f / 6f, 6f / 255f, 0, cout);
                for (int parts : new int[] {2, 3, 5, 0}) { // 0: [the last column step, Cout) alone
                    for (int part = 0; part < Math.max(parts, 1); part++) {
                        int c0 = parts == 0 ? (cout - 1) / step * step : (int) ((long) cout * part / parts) / step * step;
                        int c1 = parts == 0 || part + 1 == parts ? cout : (int) ((long) cout * (part + 1) / parts) / step * step;
                        if (c1 <= c0) {
                            continue;
                        }
                        float[] got = new float[whole.length];
                        Arrays.fill(got, Float.NaN);
                        v.run(in, 3, cin, p, bias, cout, got, 5, 0f, 6f, 255f / 6f, 6f / 255f, c0, c1);
                        for (int c = 0; c < cout; c++) {
                            boolean inRange = c >= c0 && c < c1;
                            if ((inRange || !Float.isNaN(got[5 + c]))
                                    && Float.floatToRawIntBits(got[5 + c]) != Float.floatToRawIntBits(whole[5 + c])) {
                                throw new AssertionError(v.getClass().getSimpleName() + " " + bits + " bits " + cin + "->"
                                        + cout + " columns [" + c0 + ", " + c1 + ") channel " + c + ": " + got[5 + c]
                                        + " against " + whole[5 + c]);
                            }
                        }
                        assertEquals(0, Float.floatToRawIntBits(got[4]) ^ Float.floatToRawIntBits(Float.NaN),
                                "nothing written before the row");
                    }
                }
            }
        }
    }

    /** What the packing declines: the kernel may only run where it gives the fp32 weights exactly. */
    @Test
    void packingDeclinesWeightsItCannotRebuildExactly() {
        ByteGemv ref = new ReferenceByteGemv();
        Quantized q = quantized(1, 33, 17, 128, false, 8);
        assertNotNull(ref.pack(q.weights(), q.scales(), 33, 17));
        assertNull(ref.pack(q.weights(), null, 33, 17), "float weights have no scales");
        float[] off = q.weights().clone();
        off[40] = Math.nextUp(off[40]);
        assertNull(ref.pack(off, q.scales(), 33, 17), "one weight off the grid");
        Quantized wide = quantized(2, 33, 17, 300, false, 9); // 512 levels
        assertNull(ref.pack(wide.weights(), wide.scales(), 33, 17), "integers spanning more than 256 values");
        assertNull(ref.pack(q.weights(), new float[] {1f, 2f}, 33, 17), "2 scales for 17 channels");
        assertNull(ref.pack(q.weights(), new float[] {0f}, 33, 17), "scale 0");
        // the integer domain: weights are q - zp themselves, scale 1
        float[] ints = new float[33 * 17];
        for (int i = 0; i < ints.length; i++) {
            ints[i] = (i % 255) - 127;
        }
        assertNotNull(ref.pack(ints, new float[] {1f}, 33, 17));
    }

    private static void assertBits(float[] expected, float[] got, int n, String tag) {
        for (int i = 0; i < n; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(got[i])) {
                throw new AssertionError(tag + " channel " + i + ": " + got[i] + " against " + expected[i]);
            }
        }
    }
}
