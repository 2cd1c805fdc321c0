package io.framewise.inference.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.inference.SharedData;
import io.framewise.inference.kernels.select.KernelSelection;
import io.framewise.inference.plan.PlanOptions;
import io.framewise.inference.tflite.TfliteModelLoader;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The warm-up's contract (never its speed): it ends, it says whether the JIT went quiet, it classifies. */
class JitWarmUpTest {

    @Test
    void endsWhenTheJitIsQuietOrTheBudgetIsSpent() throws Exception {
        CompiledModel m = CompiledModel.compile(TfliteModelLoader.load(SharedData.model("mobilenet_v1_0.25_128_quant.tflite")),
                Integer::toString, KernelSelection.get(), PlanOptions.defaults());
        try (Classifier c = new Classifier(m, ClassifierOptions.defaults().withMaxBatch(3).withThreads(2))) {
            byte[] pixels = new byte[3 * m.imageBytes()];
            new Random(1).nextBytes(pixels);
            JitWarmUp.Report none = JitWarmUp.run(c, pixels, Duration.ofMillis(200), Duration.ZERO);
            assertEquals(1, none.calls());
            assertFalse(none.settled());

            Duration budget = Duration.ofSeconds(120);
            JitWarmUp.Report r = JitWarmUp.run(c, pixels, Duration.ofMillis(200), budget);
            assertTrue(r.calls() >= 30, r.toString());
            assertTrue(r.settled() || r.seconds() >= budget.toSeconds(), r.toString());
            assertTrue(r.seconds() < budget.toSeconds() + 30, r.toString());
        }
    }
}
