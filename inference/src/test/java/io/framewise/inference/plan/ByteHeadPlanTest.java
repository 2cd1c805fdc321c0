package io.framewise.inference.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.inference.SharedData;
import io.framewise.inference.kernels.KernelSet;
import io.framewise.inference.kernels.select.KernelSelection;
import io.framewise.inference.model.ModelGraph;
import io.framewise.inference.tflite.TfliteModelLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which layers keep their weights as bytes too: the classifier heads of the quantized models (weights
 * that came from the file as integers, one pixel per image, at least 1 MB as fp32), for batches of up to
 * {@link PointwiseStep#BYTE_ROWS} rows. That those batches give the same bits as the fp32 weights is
 * ClassifierTest's (batch 1 and 2 against batch 6, split over threads) and PeerAgreementTest's.
 */
class ByteHeadPlanTest {

    private static List<PointwiseStep> onBytes(String model, KernelSet kernels, int n) throws Exception {
        ModelGraph g = TfliteModelLoader.load(SharedData.model(model));
        Plan p = Planner.plan(g, kernels, PlanOptions.defaults());
        return p.steps().stream().filter(s -> s instanceof PointwiseStep ps && ps.runsOnBytes(n))
                .map(s -> (PointwiseStep) s).toList();
    }

    @Test
    void theQuantizedClassifiersHeadsRunOnBytesAtBatchOneAndTwo() throws Exception {
        for (KernelSet k : new KernelSet[] {KernelSelection.get(), KernelSelection.reference()}) {
            for (String model : new String[] {"mobilenet_v2_1.0_224_quant.tflite", "tf2_mobilenet_v2_1.0_224_ptq.tflite",
                    "mobilenet_v1_0.5_160_quant.tflite"}) {
                List<PointwiseStep> one = onBytes(model, k, 1);
                assertEquals(1, one.size(), model + " " + k.name() + ": the head alone");
                assertEquals(Step.Kind.HEAD, one.get(0).kind(), model);
                assertEquals(1, onBytes(model, k, 2).size(), model + " batch 2");
                assertTrue(onBytes(model, k, 3).isEmpty(), model + " batch 3 runs on the fp32 weights");
            }
        }
    }

    /** Below 1 MB of fp32 weights (MobileNetV1 0.25's 256×1001 head) the weights stay in the caches. */
    @Test
    void smallHeadsKeepOnlyTheirFloats() throws Exception {
        assertTrue(onBytes("mobilenet_v1_0.25_128_quant.tflite", KernelSelection.get(), 1).isEmpty());
        assertFalse(onBytes("mobilenet_v2_1.0_224_quant.tflite", KernelSelection.get(), 1).isEmpty());
    }
}
