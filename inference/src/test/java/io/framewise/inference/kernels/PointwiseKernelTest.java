package io.framewise.inference.kernels;

import static io.framewise.inference.kernels.KernelAssertions.SENTINEL;
import static io.framewise.inference.kernels.KernelAssertions.assertClose;
import static io.framewise.inference.kernels.KernelAssertions.filled;
import static io.framewise.inference.kernels.KernelAssertions.random;
import static io.framewise.inference.kernels.KernelAssertions.species;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.Function;

import io.framewise.inference.kernels.reference.ReferencePointwiseConv;
import io.framewise.inference.kernels.simd.PointwiseGemm4x3V;
import io.framewise.inference.kernels.simd.PointwiseGemm6x4V;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PointwiseKernelTest {

    private static final int[] PIXELS = {1, 5, 7, 13};
    private static final int[] CIN = {1, 17, 33, 96, 144};
    // 80 and 112: 4 panels + 1 and + 3 at 512 bits (the 6×4 tile, then 6×2 and 6×1); 1001 ends overlapped
    private static final int[] COUT = {1, 17, 33, 80, 112, 1001};

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void gemm6x4MatchesReference(int bits) {
        checkAllShapes(species(bits), PointwiseGemm6x4V::of);
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void gemm4x3MatchesReference(int bits) {
        checkAllShapes(species(bits), PointwiseGemm4x3V::of);
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void mobileNetShapesMatchReference(int bits) {
        // 144->24 (Cout not a multiple of 16) and 1280->1001 FC at batch 8, over several L2 panel blocks.
        PointwiseConv v = PointwiseGemm6x4V.of(species(bits));
        check(v, 49, 144, 24, 0f, 6f, "144->24");
        check(v, 8, 1280, 1001, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, "fc");
        check(v, 50, 960, 320, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, "960->320");
    }

    /** Arrays padded as the planner does: Cout below one vector takes the blend-store path, which must leave the slack alone. */
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void plannerPaddedArrays(int bits) {
        for (Function<VectorSpecies<Float>, PointwiseConv> make
                : List.<Function<VectorSpecies<Float>, PointwiseConv>>of(PointwiseGemm6x4V::of, PointwiseGemm4x3V::of)) {
            PointwiseConv v = make.apply(species(bits));
            // 49, 25 and 14 pixels: 1-2 rows past whole 6-row tiles, run one row at a time (4 and 2 panels)
            for (int[] shape : new int[][]{{13, 33, 5}, {7, 16, 3}, {3137, 24, 144}, {50, 144, 24}, {8, 1280, 1001},
                {49, 160, 96}, {25, 96, 48}, {14, 40, 32}}) {
                check(v, shape[0], shape[1], shape[2], 0f, 6f, "padded", KernelSet.ARRAY_PAD);
            }
        }
    }

    /**
     * {@link PointwiseConv#runRows}: pixels of rows and images scattered into a padded tensor (2 columns and
     * rows of padding), from a pixel inside a row (an intra-op part's start), tiles straddling rows and
     * images, 1-pixel rows; the 6×4 kernel's table-driven stores against the interface's row-by-row
     * default on the reference, bit for bit, and the padding left as it was.
     */
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void runRowsScattersIntoPaddedRows(int bits) {
        PointwiseConv v = PointwiseGemm6x4V.of(species(bits));
        ReferencePointwiseConv ref = new ReferencePointwiseConv();
        // {row pixels, rows per image, images, cin, cout, first pixel, pixels}
        for (int[] s : new int[][]{{7, 7, 2, 33, 96, 0, 98}, {7, 7, 2, 33, 96, 12, 50}, {14, 3, 1, 16, 17, 5, 30},
            {1, 5, 3, 8, 48, 0, 15}, {33, 2, 1, 24, 144, 0, 66}, {5, 1, 1, 3, 5, 0, 5}, {4, 4, 1, 17, 33, 2, 3}}) {
            int rowPixels = s[0], rowsPerImage = s[1], images = s[2], cin = s[3], cout = s[4], p0 = s[5], pixels = s[6];
            int pitch = (rowPixels + 4) * cout;
            int imagePitch = (rowsPerImage + 4) * pitch;
            int outOff = 2 * pitch + 2 * cout + 3;
            long seed = 13L * rowPixels + 7L * cin + cout + p0;
            float[] in = random(seed, pixels * cin + KernelSet.ARRAY_PAD);
            float[] w = random(seed + 1, cin * cout);
            float[] bias = KernelSet.padded(random(seed + 2, cout));
            float[] expected = filled(3 + images * imagePitch + KernelSet.ARRAY_PAD, SENTINEL);
            float[] actual = expected.clone();
            for (float grid : new float[]{0f, 6f / 255}) {
                ref.runRows(in, 0, p0, pixels, cin, ref.pack(w, cin, cout), bias, cout, expected, outOff, rowPixels, pitch,
                        rowPixels * rowsPerImage, imagePitch, -1f, 6f, grid > 0 ? 1 / grid : 1f, grid);
                v.runRows(in, 0, p0, pixels, cin, v.pack(w, cin, cout), bias, cout, actual, outOff, rowPixels, pitch,
                        rowPixels * rowsPerImage, imagePitch, -1f, 6f, grid > 0 ? 1 / grid : 1f, grid);
                for (int i = 0; i < expected.length; i++) {
                    if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                        throw new AssertionError(bits + " bits " + java.util.Arrays.toString(s) + " grid " + grid + " [" + i
                                + "]: reference " + expected[i] + ", kernel " + actual[i]);
                    }
                }
            }
        }
    }

    /**
     * The grid rounding on the kernel's tiles is bit-identical to the reference's {@code rint(x / grid) * grid},
     * and to running without a grid and snapping afterwards, which is what the plan did before.
     */
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void roundingToTheGridInTheKernelIsExact(int bits) {
        PointwiseConv v = PointwiseGemm6x4V.of(species(bits));
        ReferencePointwiseConv ref = new ReferencePointwiseConv();
        Elementwise snap = new io.framewise.inference.kernels.reference.ReferenceElementwise();
        float grid = 6f / 255;
        // 16 -> 96, 24 -> 144 and 32 -> 40: Cin up to 32 rounds in the registers of the 6x3 and 6x2 tiles
        for (int[] shape : new int[][]{{1, 17, 5}, {7, 33, 80}, {13, 144, 24}, {50, 96, 112}, {8, 320, 1001},
            {20, 16, 96}, {13, 24, 144}, {5, 32, 40}, {49, 160, 96}, {26, 40, 32}}) {
            int pixels = shape[0], cin = shape[1], cout = shape[2];
            long seed = 77L * pixels + cin * 31L + cout;
            float[] in = random(seed, pixels * cin + KernelSet.ARRAY_PAD);
            float[] w = random(seed + 1, cin * cout);
            float[] bias = KernelSet.padded(random(seed + 2, cout));
            float[] expected = new float[pixels * cout + KernelSet.ARRAY_PAD];
            float[] inKernel = expected.clone();
            float[] separate = expected.clone();
            ref.run(in, 0, pixels, cin, ref.pack(w, cin, cout), bias, cout, expected, 0, -1f, 6f, grid);
            float[] packed = v.pack(w, cin, cout);
            v.run(in, 0, pixels, cin, packed, bias, cout, inKernel, 0, -1f, 6f, grid);
            v.run(in, 0, pixels, cin, packed, bias, cout, separate, 0, -1f, 6f);
            snap.snap(separate, 0, pixels * cout, grid);
            String tag = bits + " bits " + pixels + "x" + cin + "->" + cout;
            for (int i = 0; i < pixels * cout; i++) {
                if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(inKernel[i])
                        || Float.floatToRawIntBits(separate[i]) != Float.floatToRawIntBits(inKernel[i])) {
                    throw new AssertionError(tag + " [" + i + "]: reference " + expected[i] + ", in the kernel "
                            + inKernel[i] + ", snapped after " + separate[i]);
                }
                float steps = inKernel[i] / grid;
                if (Math.abs(steps - Math.rint(steps)) > 1e-3) {
                    throw new AssertionError(tag + " [" + i + "] " + inKernel[i] + " is off the grid");
                }
            }
        }
    }

    /**
     * The integer domain: integer inputs and weights (exact fp32 sums), rounding with a requantization
     * scale that is not 1/grid, so not idempotent. Output tiles overlap (the shifted-back Cout tail panel,
     * the last 6-row tile), and every element must still be rounded exactly once: equal to the exact
     * {@code rint(clamp(acc) * scale)} computed in longs, and to the reference's.
     */
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void requantizationScaleRoundsEveryAccumulatorOnce(int bits) {
        PointwiseConv v = PointwiseGemm6x4V.of(species(bits));
        ReferencePointwiseConv ref = new ReferencePointwiseConv();
        float scale = 0.0123f;
        // 53 and 97 pixels: the last 6-row tile is shifted back over a row the tile before it rounded;
        // 16 and 144 output channels take the 6x1 tile
        for (int[] shape : new int[][]{{1, 17, 5}, {7, 33, 80}, {13, 12, 72}, {50, 96, 24}, {8, 320, 1001}, {9, 8, 48},
            {53, 24, 16}, {97, 16, 96}, {100, 33, 144}}) {
            int pixels = shape[0], cin = shape[1], cout = shape[2];
            java.util.Random r = new java.util.Random(91L * pixels + cin * 7L + cout);
            float[] in = new float[pixels * cin + KernelSet.ARRAY_PAD];
            float[] w = new float[cin * cout];
            float[] bias = new float[cout + KernelSet.ARRAY_PAD];
            for (int i = 0; i < pixels * cin; i++) {
                in[i] = r.nextInt(256) - 128;
            }
            for (int i = 0; i < w.length; i++) {
                w[i] = r.nextInt(256) - 120;
            }
            for (int i = 0; i < cout; i++) {
                bias[i] = r.nextInt(20001) - 10000;
            }
            float lo = -128f / scale, hi = 127f / scale;
            float[] expected = new float[pixels * cout + KernelSet.ARRAY_PAD];
            float[] actual = expected.clone();
            ref.run(in, 0, pixels, cin, ref.pack(w, cin, cout), bias, cout, expected, 0, lo, hi, scale, 1f, 0, cout);
            v.run(in, 0, pixels, cin, v.pack(w, cin, cout), bias, cout, actual, 0, lo, hi, scale, 1f, 0, cout);
            String tag = bits + " bits " + pixels + "x" + cin + "->" + cout;
            for (int p = 0; p < pixels; p++) {
                for (int co = 0; co < cout; co++) {
                    long acc = (long) bias[co];
                    for (int ci = 0; ci < cin; ci++) {
                        acc += (long) in[p * cin + ci] * (long) w[co * cin + ci];
                    }
                    float exact = Math.min(Math.max((float) Math.rint((float) acc * scale), -128f), 127f);
                    int i = p * cout + co;
                    if (actual[i] != exact || expected[i] != exact) {
                        throw new AssertionError(tag + " [" + p + "][" + co + "]: exact " + exact + ", kernel "
                                + actual[i] + ", reference " + expected[i]);
                    }
                }
            }
        }
    }

    /**
     * Column ranges (the split of Cout between threads): every range computed alone, with the other
     * columns holding garbage, equals the whole run bit for bit on its columns and leaves the other
     * columns alone, except the Cout tail panel's overlap, which it writes with the whole run's values.
     */
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {128, 256, 512})
    void columnRangesEqualTheWholeRunBitForBit(int bits) {
        for (PointwiseConv v : new PointwiseConv[] {PointwiseGemm6x4V.of(species(bits)), new ReferencePointwiseConv()}) {
            int step = v.columnStep();
            for (int[] shape : new int[][]{{1, 17, 33}, {1, 1280, 1001}, {49, 320, 1280}, {7, 33, 80}, {13, 24, 17}, {2, 8, 129}}) {
                int pixels = shape[0], cin = shape[1], cout = shape[2];
                long seed = 13L * pixels + cin * 7L + cout;
                float[] in = random(seed, pixels * cin + KernelSet.ARRAY_PAD);
                float[] w = random(seed + 1, cin * cout);
                float[] bias = KernelSet.padded(random(seed + 2, cout));
                float[] packed = v.pack(w, cin, cout);
                float[] whole = new float[pixels * cout + KernelSet.ARRAY_PAD];
                v.run(in, 0, pixels, cin, packed, bias, cout, whole, 0, -1f, 6f, 6f / 255);
                // the ranges a plan step splits Cout into for 2, 3, 5 and 7 parts (the last ending at Cout)
                for (int parts : new int[] {2, 3, 5, 7}) {
                    for (int part = 0; part < parts; part++) {
                        int c0 = (int) ((long) cout * part / parts) / step * step;
                        int end = part + 1 == parts ? cout : (int) ((long) cout * (part + 1) / parts) / step * step;
                        if (end <= c0) {
                            continue;
                        }
                        float[] got = new float[whole.length];
                        java.util.Arrays.fill(got, Float.NaN);
                        v.run(in, 0, pixels, cin, packed, bias, cout, got, 0, -1f, 6f, 6f / 255, c0, end);
                        String tag = bits + " bits " + v.getClass().getSimpleName() + " " + pixels + "x" + cin
                                + "->" + cout + " columns [" + c0 + ", " + end + ")";
                        for (int i = 0; i < pixels * cout; i++) {
                            int c = i % cout;
                            boolean inRange = c >= c0 && c < end;
                            if ((inRange || !Float.isNaN(got[i]))
                                    && Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(whole[i])) {
                                throw new AssertionError(tag + " pixel " + i / cout + " channel " + c + ": " + got[i]
                                        + " against " + whole[i] + (inRange ? "" : " (outside the range)"));
                            }
                        }
                    }
                }
            }
        }
    }

    /** Without a grid the epilogue leaves every float as computed, -0 included (it adds -0, subtracts +0). */
    @Test
    void noGridKeepsNegativeZero() {
        PointwiseConv v = PointwiseGemm6x4V.of(FloatVector.SPECIES_PREFERRED);
        int cin = 3, cout = 16, pixels = 6;
        float[] in = KernelSet.padded(new float[pixels * cin]);
        java.util.Arrays.fill(in, 0, pixels * cin, -0f); // -0 · +0 = -0, and -0 + -0 = -0
        float[] bias = KernelSet.padded(new float[cout]);
        java.util.Arrays.fill(bias, 0, cout, -0f);
        float[] out = new float[pixels * cout + KernelSet.ARRAY_PAD];
        v.run(in, 0, pixels, cin, v.pack(new float[cin * cout], cin, cout), bias, cout, out, 0,
                Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        for (int i = 0; i < pixels * cout; i++) {
            if (Float.floatToRawIntBits(out[i]) != Float.floatToRawIntBits(-0f)) {
                throw new AssertionError("[" + i + "] " + out[i] + " should be -0 (bias -0 plus -0·0 products)");
            }
        }
    }

    @Test
    void constructorRejectsAForeignSpecies() {
        VectorSpecies<Float> other = FloatVector.SPECIES_PREFERRED.vectorBitSize() == 128
                ? FloatVector.SPECIES_256 : FloatVector.SPECIES_128;
        assertThrows(IllegalArgumentException.class, () -> new PointwiseGemm6x4V(other));
    }

    private static void checkAllShapes(VectorSpecies<Float> s, Function<VectorSpecies<Float>, PointwiseConv> make) {
        PointwiseConv v = make.apply(s);
        int n = 0;
        for (int pixels : PIXELS) {
            for (int cin : CIN) {
                for (int cout : COUT) {
                    boolean clamp = (n++ & 1) == 0;
                    check(v, pixels, cin, cout, clamp ? -0.5f : Float.NEGATIVE_INFINITY,
                            clamp ? 0.75f : Float.POSITIVE_INFINITY, s.vectorBitSize() + " bits");
                }
            }
        }
    }

    private static void check(PointwiseConv v, int pixels, int cin, int cout, float lo, float hi, String tag) {
        check(v, pixels, cin, cout, lo, hi, tag, 7);
    }

    private static void check(PointwiseConv v, int pixels, int cin, int cout, float lo, float hi, String tag,
                              int slack) {
        long seed = pixels * 1_000_003L + cin * 1009L + cout;
        int inOff = 3;
        int outOff = 5;
        float[] in = random(seed, inOff + pixels * cin + slack);
        float[] w = random(seed + 1, cin * cout);
        float[] bias = java.util.Arrays.copyOf(random(seed + 2, cout), cout + slack);
        float[] expected = filled(outOff + pixels * cout + slack, SENTINEL);
        float[] actual = expected.clone();
        ReferencePointwiseConv ref = new ReferencePointwiseConv();
        ref.run(in, inOff, pixels, cin, ref.pack(w, cin, cout), bias, cout, expected, outOff, lo, hi);
        v.run(in, inOff, pixels, cin, v.pack(w, cin, cout), bias, cout, actual, outOff, lo, hi);
        assertClose(expected, actual, tag + " pixels=" + pixels + " cin=" + cin + " cout=" + cout);
    }
}
