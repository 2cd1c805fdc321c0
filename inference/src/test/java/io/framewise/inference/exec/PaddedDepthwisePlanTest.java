package io.framewise.inference.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.inference.SharedData;
import io.framewise.inference.kernels.select.KernelSelection;
import io.framewise.inference.plan.PlanOptions;
import io.framewise.inference.tflite.TfliteModelLoader;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Depthwise inputs stored with their zero padding (the expansions' and the stem's outputs, the fused
 * blocks' tiles; {@code PlanOptions.padDepthwise}) give the scores of the plan that pads implicitly, bit
 * for bit: batch 1 and 2, one thread and split over two and three, fused and unfused blocks. The default
 * plan must actually pad: every MobileNetV2 block's depthwise layer, fused or not, and MobileNetV1's
 * unfused ones (its fused blocks read an 8-channel stem or the previous fused block: left implicit).
 */
class PaddedDepthwisePlanTest {

    @ParameterizedTest
    @ValueSource(strings = {"mobilenet_v2_1.0_224_quant.tflite", "mobilenet_v1_0.25_128_quant.tflite",
        "tf2_mobilenet_v2_1.0_224_ptq.tflite"})
    void paddedAndImplicitPaddingGiveTheSameScores(String name) throws Exception {
        var graph = TfliteModelLoader.load(SharedData.model(name));
        for (PlanOptions.Fusion fusion : new PlanOptions.Fusion[] {PlanOptions.Fusion.AUTO, PlanOptions.Fusion.ALWAYS,
                PlanOptions.Fusion.NEVER}) {
            PlanOptions o = PlanOptions.defaults().withFusion(fusion);
            CompiledModel padded = CompiledModel.compile(graph, Integer::toString, KernelSelection.get(), o);
            CompiledModel implicit = CompiledModel.compile(graph, Integer::toString, KernelSelection.get(),
                    o.withPadDepthwise(false));
            long paddedSteps = padded.plan().steps().stream()
                    .filter(s -> s.name().endsWith("(padded dw)") || s.name().endsWith("(padded input)")).count();
            assertEquals(0, implicit.plan().steps().stream().filter(s -> s.name().contains("(padded")).count());
            if (name.contains("mobilenet_v2")) {
                assertEquals(17, paddedSteps, name + " " + fusion + ": all 17 blocks' depthwise layers");
            } else if (fusion == PlanOptions.Fusion.NEVER) { // V1 fused reads an 8-channel stem or a fused block's output
                assertTrue(paddedSteps > 0, name + " " + fusion + ": no depthwise layer padded");
            }
            byte[] pixels = new byte[2 * padded.imageBytes()];
            new Random(11).nextBytes(pixels);
            for (int threads = 1; threads <= 3; threads++) {
                for (int batch = 1; batch <= 2; batch++) {
                    float[][] want = scores(implicit, pixels, batch, threads);
                    float[][] got = scores(padded, pixels, batch, threads);
                    for (int i = 0; i < batch; i++) {
                        assertArrayEquals(want[i], got[i], name + " " + fusion + ", batch " + batch + ", " + threads
                                + " threads, image " + i);
                    }
                }
            }
        }
    }

    private static float[][] scores(CompiledModel m, byte[] pixels, int batch, int threads) {
        try (Classifier c = new Classifier(m, ClassifierOptions.defaults().withMaxBatch(batch).withThreads(threads)
                .withScores(true))) {
            Classification[] r = c.classify(pixels, batch);
            float[][] out = new float[batch][];
            for (int i = 0; i < batch; i++) {
                out[i] = r[i].scores().clone();
            }
            return out;
        }
    }
}
