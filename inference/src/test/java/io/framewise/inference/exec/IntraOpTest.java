package io.framewise.inference.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.framewise.inference.SharedData;
import io.framewise.inference.kernels.select.KernelSelection;
import io.framewise.inference.plan.PlanOptions;
import io.framewise.inference.tflite.TfliteModelLoader;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Layers split over threads on the MobileNetV1 shapes (ClassifierTest covers V2): an 8-channel stem
 * and depthwise (narrower than a 512-bit vector: not split), separable blocks, 4×4 and 5×5 maps.
 * Under AUTO the split plan fuses blocks the one-thread plan runs unfused (80×80×32 and 40×40×64 depthwise
 * inputs of the 0.5/160 model, between the two thresholds).
 */
class IntraOpTest {

    @Test
    void mobileNetV1LayersSplitOverThreadsAreBitIdentical() throws Exception {
        for (String name : new String[] {"mobilenet_v1_0.25_128_quant.tflite", "mobilenet_v1_0.5_160_quant.tflite"}) {
            for (PlanOptions.Fusion fusion : new PlanOptions.Fusion[] {PlanOptions.Fusion.AUTO, PlanOptions.Fusion.NEVER,
                    PlanOptions.Fusion.ALWAYS}) {
                CompiledModel m = CompiledModel.compile(TfliteModelLoader.load(SharedData.model(name)), Integer::toString,
                        KernelSelection.get(), PlanOptions.defaults().withFusion(fusion));
                byte[] pixels = new byte[2 * m.imageBytes()];
                new Random(7).nextBytes(pixels);
                float[][] single = scores(m, pixels, 1);
                for (int threads = 2; threads <= 3; threads++) {
                    float[][] split = scores(m, pixels, threads);
                    for (int i = 0; i < single.length; i++) {
                        assertArrayEquals(single[i], split[i], name + " " + fusion + ", " + threads + " threads, image " + i);
                    }
                }
            }
        }
    }

    /** Image 0 alone, then images 0 and 1 as a batch of 2: both below 3 threads, so split per layer. */
    private static float[][] scores(CompiledModel m, byte[] pixels, int threads) {
        try (Classifier c = new Classifier(m, ClassifierOptions.defaults().withMaxBatch(2).withThreads(threads)
                .withScores(true))) {
            float[] first = c.classify(pixels, 1)[0].scores().clone();
            Classification[] r = c.classify(pixels, 2);
            return new float[][] {first, r[0].scores().clone(), r[1].scores().clone()};
        }
    }
}
