package io.framewise.inference.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.inference.SharedData;
import io.framewise.inference.exec.Classification;
import io.framewise.inference.exec.Classifier;
import io.framewise.inference.exec.ClassifierOptions;
import io.framewise.inference.exec.CompiledModel;
import io.framewise.inference.kernels.select.KernelSelection;
import io.framewise.inference.model.ModelFormatException;
import io.framewise.inference.model.ModelGraph;
import io.framewise.inference.plan.PlanOptions;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mutated model files, loaded AND run (the loading-only cases are {@link HostileModelTest}): a mutant
 * either fails with a {@link ModelFormatException} naming the file, or it loads and classifies
 * without an exception. What "not garbage" can honestly mean differs by mutation:
 * <ul>
 * <li>a shape dimension changed: the file now declares sizes its bytes and operators do not back.
 *     Accepting it is only right if it cannot matter, so a loaded mutant must compute exactly what
 *     the original computes, bit for bit; except the graph input, whose declared size defines the
 *     model (MobileNet runs at any size): then the input spec must be that size and the output a
 *     probability vector. (Measured: 1846 of 1855 mutants rejected, 7 identical, 2 input resizes.)</li>
 * <li>a tensor type changed: constant data must never be read at another element width (that is
 *     garbage by definition: the size checks must reject it), and quantized weights must not load as
 *     the other quantized type (uint8 filters in a uint8 graph retyped int8: the loader requires an
 *     operator's weights to have its input's type, as TFLite does). An activation's type only says
 *     how its values are quantized, so such a mutant describes another valid model and must give a
 *     probability vector. (Measured: 835 of 890
 *     rejected, 13 identical, 42 another valid model.)</li>
 * <li>random byte flips anywhere (weights, scales, structure): the output must still be a
 *     probability vector: finite, in [0, 1], summing to about 1.</li>
 * </ul>
 * Fixed seeds; the random loop also stops at a time budget, so a slow machine runs fewer trials
 * rather than timing out.
 */
class ModelFuzzTest {

    private static final long BUDGET_NANOS = 20_000_000_000L;

    private static byte[] model; // mobilenet_v1_0.25_128_quant.tflite: 128x128 uint8, fast to run
    private static float[] reference;

    @BeforeAll
    static void setUp() throws Exception {
        model = Files.readAllBytes(SharedData.model("mobilenet_v1_0.25_128_quant.tflite"));
        reference = run(TfliteModelLoader.load(model, "original.tflite"));
    }

    private static float[] run(ModelGraph g) {
        CompiledModel m = CompiledModel.compile(g, Integer::toString, KernelSelection.get(), PlanOptions.defaults());
        byte[] image = new byte[m.imageBytes()]; // [H][W][3], the same seeded noise for every model of one size
        new Random(3).nextBytes(image);
        try (Classifier c = new Classifier(m, new ClassifierOptions(1, 1, 1, true))) {
            Classification[] r = c.classify(image, 1);
            return r[0].scores().clone();
        }
    }

    /** Null when the mutant was rejected properly, else its scores. */
    private static float[] loadAndRun(byte[] bytes, String what) {
        ModelGraph g;
        try {
            g = TfliteModelLoader.load(bytes, "mutant.tflite");
        } catch (ModelFormatException e) {
            assertTrue(e.getMessage() != null && e.getMessage().startsWith("mutant.tflite: "), what + ": " + e.getMessage());
            return null;
        } catch (RuntimeException | Error e) {
            throw new AssertionError(what + ": " + e, e);
        }
        try {
            return run(g);
        } catch (RuntimeException | Error e) {
            throw new AssertionError(what + ": loaded, then failed to run: " + e, e);
        }
    }

    private static void assertProbabilities(float[] s, String what) {
        double sum = 0;
        for (float v : s) {
            assertTrue(Float.isFinite(v) && v >= 0 && v <= 1, what + ": score " + v);
            sum += v;
        }
        assertEquals(1.0, sum, 0.05, what + ": scores sum to " + sum);
    }

    @Test
    @Timeout(60)
    void changedTensorTypesAreRejectedOrDescribeAValidModel() {
        RawTflite m = new RawTflite(model);
        int tensors = m.bb.getInt(m.vector(m.subgraph(), 0));
        int[] types = {0, 1, 2, 3, 4, 7, 9, 10, 16, 127, 255}; // FLOAT32, FLOAT16, INT32, UINT8, INT64, INT16, INT8, FLOAT64, ..., invalid
        int rejected = 0;
        int unchanged = 0;
        int reinterpreted = 0;
        for (int t = 0; t < tensors; t++) {
            int field = m.field(m.tensor(t), 1);
            if (field < 0) {
                continue; // type absent: FLOAT32 by default, nothing in place to change
            }
            int original = m.bb.get(field) & 0xFF;
            for (int type : types) {
                if (type == original) {
                    continue;
                }
                String what = "tensor " + t + " type " + original + " -> " + type;
                float[] s = loadAndRun(new RawTflite(model).put(field, (byte) type).bytes, what);
                if (s == null) {
                    rejected++;
                } else if (Arrays.equals(reference, s)) {
                    unchanged++;
                } else {
                    // Constant data read at another width would be garbage: that must be caught by the size
                    // checks. A same-width reinterpretation (uint8 <-> int8) describes other valid numbers,
                    // like a changed weight, since the graph is dequantized tensor by tensor. For an
                    // activation (no data) the type only says whether and how its values are quantized.
                    if (hasData(m, t)) {
                        assertEquals(TensorType.size(original), TensorType.size(type),
                                what + ": constant data loaded at another width");
                        // and not at another quantized type either: a uint8 filter in a graph whose
                        // activations stay uint8 must not load as int8 (OpConverter.quantizedTypesAgree)
                        assertTrue(!isQuantized(original) || !isQuantized(type),
                                what + ": quantized weights loaded as another quantized type");
                    }
                    assertProbabilities(s, what);
                    reinterpreted++;
                }
            }
        }
        System.out.println("ModelFuzzTest types: " + rejected + " rejected, " + unchanged + " loaded unchanged, "
                + reinterpreted + " loaded as another valid model (same-width constants or activation quantization)");
        assertTrue(rejected > 0);
    }

    private static boolean isQuantized(int type) {
        return type == TensorType.UINT8 || type == TensorType.INT8;
    }

    private static boolean hasData(RawTflite m, int tensor) {
        int field = m.field(m.tensor(tensor), 2);
        if (field < 0) {
            return false;
        }
        Model root = Model.root(java.nio.ByteBuffer.wrap(model));
        return root.buffer(m.bb.getInt(field)).dataLength() > 0;
    }

    @Test
    @Timeout(60)
    void changedShapesAreRejectedOrChangeNothing() {
        RawTflite m = new RawTflite(model);
        int tensors = m.bb.getInt(m.vector(m.subgraph(), 0));
        Random random = new Random(99);
        int graphInput = m.bb.getInt(m.vector(m.subgraph(), 1) + 4);
        int rejected = 0;
        int loaded = 0;
        int resized = 0;
        for (int t = 0; t < tensors; t++) {
            if (m.field(m.tensor(t), 0) < 0) {
                continue;
            }
            int shape = m.vector(m.tensor(t), 0);
            int rank = m.bb.getInt(shape);
            for (int d = 0; d < rank; d++) {
                int pos = shape + 4 + 4 * d;
                int dim = m.bb.getInt(pos);
                int[] values = {0, -1, dim + 1, Math.max(1, dim - 1) == dim ? dim + 2 : dim - 1, dim * 2,
                        1 + random.nextInt(1 << 16), Integer.MAX_VALUE};
                for (int v : values) {
                    if (v == dim) {
                        continue;
                    }
                    String what = "tensor " + t + " dim " + d + ": " + dim + " -> " + v;
                    float[] s = loadAndRun(new RawTflite(model).putInt(pos, v).bytes, what);
                    if (s == null) {
                        rejected++;
                    } else if (t == graphInput) {
                        // The input's declared size is the model's own definition (MobileNet runs at any
                        // size): the graph must take exactly that size and still give probabilities.
                        ModelGraph g = TfliteModelLoader.load(new RawTflite(model).putInt(pos, v).bytes, "m");
                        int[] hw = {g.input().height(), g.input().width()};
                        assertEquals(v, hw[d - 1], what + ": input spec " + Arrays.toString(hw));
                        assertProbabilities(s, what);
                        resized++;
                    } else {
                        loaded++;
                        assertArrayEquals(reference, s, what + ": loaded and computed something else");
                    }
                }
            }
        }
        System.out.println("ModelFuzzTest shapes: " + rejected + " rejected, " + loaded + " loaded unchanged, "
                + resized + " input resizes ran");
        assertTrue(rejected > 0);
    }

    @Test
    @Timeout(90)
    void seededFlipsThatLoadStillGiveProbabilities() {
        Random random = new Random(2026);
        long deadline = System.nanoTime() + BUDGET_NANOS;
        int trials = 0;
        int ran = 0;
        while (trials < 400 && System.nanoTime() < deadline) {
            byte[] b = model.clone();
            int flips = 1 + random.nextInt(8);
            for (int k = 0; k < flips; k++) {
                int pos = random.nextInt(b.length);
                b[pos] = (byte) (b[pos] ^ (1 << random.nextInt(8)));
            }
            String what = "flip trial " + trials;
            float[] s = loadAndRun(b, what);
            if (s != null) {
                ran++;
                assertProbabilities(s, what);
            }
            trials++;
        }
        System.out.println("ModelFuzzTest flips: " + trials + " trials, " + ran + " loaded and ran");
        assertTrue(trials >= 20, "only " + trials + " trials in the budget");
        assertTrue(ran > 0, "no mutant loaded: the run check was never exercised");
    }
}
