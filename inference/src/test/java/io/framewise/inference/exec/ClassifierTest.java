package io.framewise.inference.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.inference.SharedData;
import io.framewise.inference.kernels.AllocationProbe;
import io.framewise.inference.kernels.select.KernelSelection;
import io.framewise.inference.model.ModelGraph;
import io.framewise.inference.plan.Plan;
import io.framewise.inference.plan.PlanOptions;
import io.framewise.inference.plan.Step;
import io.framewise.inference.preprocess.ImageFiles;
import io.framewise.inference.preprocess.ResizePlan;
import io.framewise.inference.preprocess.RgbImage;
import io.framewise.inference.tflite.TfliteModelLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Batching, threads, plans and kernels change how fast, never what: results must be bit-identical. */
class ClassifierTest {

    static ModelGraph graph;
    static byte[] photos; // [6][224][224][3]
    static int n;

    @BeforeAll
    static void load() throws Exception {
        graph = TfliteModelLoader.load(SharedData.model("mobilenet_v2_1.0_224_quant.tflite"));
        List<Path> files = PeerAgreementTest.photos();
        n = files.size();
        photos = new byte[n * 224 * 224 * 3];
        for (int i = 0; i < n; i++) {
            RgbImage img = ImageFiles.read(files.get(i));
            ResizePlan.full(img.width(), img.height(), 224, 224).resize(img.pixels(), photos, i * 224 * 224 * 3);
        }
    }

    static float[][] scores(CompiledModel m, int batch, int threads) {
        float[][] out = new float[n][];
        try (Classifier c = new Classifier(m, ClassifierOptions.defaults().withMaxBatch(batch).withThreads(threads)
                .withScores(true))) {
            int bytes = m.imageBytes();
            for (int start = 0; start < n; start += batch) {
                int k = Math.min(batch, n - start);
                byte[] chunk = Arrays.copyOfRange(photos, start * bytes, (start + k) * bytes);
                Classification[] r = c.classify(chunk, k);
                for (int i = 0; i < k; i++) {
                    out[start + i] = r[i].scores().clone();
                }
            }
        }
        return out;
    }

    /** Label strings made once, as real label files are (Integer::toString would allocate per lookup). */
    static final String[] NAMES = java.util.stream.IntStream.range(0, 1001).mapToObj(i -> "class " + i).toArray(String[]::new);

    static CompiledModel compile(PlanOptions.Fusion fusion) {
        return CompiledModel.compile(graph, i -> NAMES[i], KernelSelection.get(), PlanOptions.defaults().withFusion(fusion));
    }

    @Test
    void batchThreadsAndRepeatsAreBitIdentical() {
        CompiledModel m = compile(PlanOptions.Fusion.AUTO);
        float[][] single = scores(m, 1, 1);
        assertDeepEquals(single, scores(m, n, 1), "batch of " + n);
        assertDeepEquals(single, scores(m, 4, 2), "batch 4, 2 threads");
        assertDeepEquals(single, scores(m, n, 3), "batch " + n + ", 3 threads");
        assertDeepEquals(single, scores(m, 1, 1), "second run");
    }

    /**
     * The bench's per-kind GFLOP/s: a fused block counts its phases as expand, depthwise and project,
     * the same multiply-adds per kind as the unfused plan's separate steps, and nothing twice.
     */
    @Test
    void multiplyAddsByKindAreTheSameFusedAndUnfused() {
        Plan fused = compile(PlanOptions.Fusion.ALWAYS).plan();
        Plan unfused = compile(PlanOptions.Fusion.NEVER).plan();
        for (Plan p : new Plan[] {fused, unfused}) {
            long sum = 0;
            for (Step s : p.steps()) {
                for (Step.Kind k : Step.Kind.values()) {
                    sum += s.macsPerImage(k);
                }
            }
            assertEquals(p.macsPerImage(), sum, "every multiply-add under exactly one kind");
        }
        for (Step.Kind k : Step.Kind.values()) {
            assertEquals(byKind(unfused, k), byKind(fused, k), k.name());
        }
        assertTrue(byKind(fused, Step.Kind.DEPTHWISE) > 20_000_000L, "MobileNetV2's depthwise layers: 20.7M");
    }

    private static long byKind(Plan p, Step.Kind k) {
        return p.steps().stream().mapToLong(s -> s.macsPerImage(k)).sum();
    }

    /** Batches smaller than the thread count run each layer split over the threads (IntraOp). */
    @Test
    void layersSplitOverThreadsAreBitIdentical() {
        for (PlanOptions.Fusion fusion : new PlanOptions.Fusion[] {PlanOptions.Fusion.AUTO, PlanOptions.Fusion.NEVER,
                PlanOptions.Fusion.ALWAYS}) {
            CompiledModel m = compile(fusion);
            float[][] single = scores(m, 1, 1);
            for (int threads = 1; threads <= 3; threads++) {
                for (int batch : new int[] {1, 2, 5}) {
                    assertDeepEquals(single, scores(m, batch, threads),
                            fusion + ", batch " + batch + ", " + threads + " threads");
                }
            }
        }
    }

    @Test
    void theSplitPlanFusesTheBlocksAboveItsOwnThreshold() {
        Plan p = compile(PlanOptions.Fusion.AUTO).plan();
        long splitFused = p.splitSteps().stream().filter(s -> s.kind() == Step.Kind.FUSED_BLOCK).count();
        // one thread per image: B0-B3 (depthwise input above 1 MiB); split: also B4-B12 (above 256 KiB),
        // not B13 (a 7-row output: LayerGrouping.SPLIT_FUSION_MIN_ROWS)
        assertEquals(4, p.fusedBlocks());
        assertEquals(13, splitFused);
        assertTrue(p.splitSteps().stream().anyMatch(s -> s.name().startsWith("B13 ") && s.kind() != Step.Kind.FUSED_BLOCK));
        assertTrue(p.splitSteps().size() < p.steps().size());
        for (Step s : p.splitSteps()) {
            if (s.kind() != Step.Kind.FUSED_BLOCK) {
                assertTrue(p.steps().contains(s), s.name() + " is shared by both plans");
            }
        }
    }

    @Test
    void aBatchGoesImageByImageUntilTheTensorsAreSmall() {
        Plan p = compile(PlanOptions.Fusion.AUTO).plan();
        // B13's depthwise ends at 7x7x576; its projection is the first step whose tensors all stay under
        // 256 KB and that one tensor enters (B14 while the split plan's fused B13 kept the block input live)
        assertEquals("B13 CONV_2D", p.steps().get(p.batchFrom()).name());
        assertEquals(Step.Kind.DEPTHWISE, p.steps().get(p.batchFrom() - 1).kind());
        assertEquals(7 * 7 * 576, p.batchInput().imageStride());
        // batchThreadsAndRepeatsAreBitIdentical checks that the two-phase batch equals batch 1
    }

    @Test
    void fusedAndUnfusedPlansAgreeBitForBit() {
        CompiledModel fused = compile(PlanOptions.Fusion.ALWAYS);
        CompiledModel unfused = compile(PlanOptions.Fusion.NEVER);
        assertTrue(fused.plan().fusedBlocks() >= 17, "MobileNetV2 has 17 blocks; fused " + fused.plan().fusedBlocks());
        assertEquals(0, unfused.plan().fusedBlocks());
        assertDeepEquals(scores(unfused, 3, 1), scores(fused, 3, 1), "fused vs unfused");
    }

    @Test
    void vectorAndReferenceKernelsAgree() {
        CompiledModel ref = CompiledModel.compile(graph, Integer::toString, KernelSelection.reference(), PlanOptions.defaults());
        float[][] a = scores(ref, 2, 1);
        float[][] b = scores(compile(PlanOptions.Fusion.AUTO), 2, 1);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < a[i].length; c++) {
                assertEquals(a[i][c], b[i][c], 1e-4, "image " + i + " class " + c);
            }
        }
    }

    @Test
    void classifyAllocatesNothingAfterWarmUp() {
        CompiledModel m = compile(PlanOptions.Fusion.AUTO);
        for (int threads : new int[] {1, 2}) {
            for (int batch : new int[] {n, 1}) {
                try (Classifier c = new Classifier(m, ClassifierOptions.defaults().withMaxBatch(batch).withThreads(threads))) {
                    // Rounds of warm-up, because C2 may still be recompiling a kernel after the first calls.
                    long allocated = AllocationProbe.bytesPerCallAfterWarmUp(() -> c.classify(photos, batch),
                            batch == 1 ? 100 : 20, "framewise-infer");
                    assertEquals(0, allocated, "bytes allocated per classify call (caller and workers), batch " + batch
                            + ", " + threads + " threads");
                }
            }
        }
    }

    /**
     * The bench's per-block table splits a fused block's time into its phases: charged to the step that
     * ran them and to the kind alike, so per step the kinds add up to the kind totals, and each fused
     * block of MobileNetV2 (all of them expand) has time in all three phases.
     */
    @Test
    void profilingChargesEachPhaseToItsStepAndKind() {
        CompiledModel m = compile(PlanOptions.Fusion.ALWAYS);
        try (Classifier c = new Classifier(m, ClassifierOptions.defaults().withMaxBatch(2).withThreads(1))) {
            c.classify(photos, 2);
            c.setProfiling(true);
            c.classify(photos, 2);
            long[] byKind = c.nanosByKind();
            long[] byStepKind = c.nanosByStepKind();
            long[] byStep = c.nanosByStep();
            int kinds = Step.Kind.values().length;
            List<Step> steps = m.plan().steps();
            for (int k = 0; k < kinds; k++) {
                long sum = 0;
                for (int i = 0; i < steps.size(); i++) {
                    sum += byStepKind[i * kinds + k];
                }
                assertEquals(byKind[k], sum, "kind " + Step.Kind.values()[k] + " summed over steps");
            }
            int fused = 0;
            for (int i = 0; i < steps.size(); i++) {
                long phases = 0;
                for (int k = 0; k < kinds; k++) {
                    phases += byStepKind[i * kinds + k];
                }
                assertTrue(phases <= byStep[i], steps.get(i).name() + ": phases " + phases + " ns within the step's "
                        + byStep[i]);
                if (steps.get(i).kind() == Step.Kind.FUSED_BLOCK) {
                    boolean expands = steps.get(i).name().contains("expand");
                    fused += expands ? 1 : 0;
                    for (Step.Kind k : new Step.Kind[] {Step.Kind.EXPAND, Step.Kind.DEPTHWISE, Step.Kind.PROJECT}) {
                        long t = byStepKind[i * kinds + k.ordinal()];
                        assertTrue(k == Step.Kind.EXPAND && !expands ? t == 0 : t > 0,
                                steps.get(i).name() + ": " + k + " time " + t);
                    }
                } else {
                    assertEquals(byStep[i], byStepKind[i * kinds + steps.get(i).kind().ordinal()],
                            steps.get(i).name() + ": an unfused step's time is under its own kind");
                }
            }
            assertEquals(16, fused, "MobileNetV2's expanding blocks, all fused");
        }
    }

    static void assertDeepEquals(float[][] expected, float[][] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], what + ": image " + i);
        }
    }
}
