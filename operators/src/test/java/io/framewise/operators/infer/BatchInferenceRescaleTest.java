package io.framewise.operators.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.records.LabeledEvent;
import io.framewise.operators.records.ModelFrame;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The last result per camera follows the camera's key group when a snapshot is restored at another
 * parallelism, as Flink repartitions operator state on rescale: a restored subtask carries the last
 * result of every camera keyBy(camera) sends it, so a skipped frame right after a rescale is not
 * inferred. A restore with another model drops the old results instead.
 */
class BatchInferenceRescaleTest {

    private static final int MAX_PARALLELISM = InferenceHarness.MAX_PARALLELISM;
    /** Enough cameras that a round-robin split would put some on the wrong subtask. */
    private static final List<String> CAMERAS = List.of("cam-a", "cam-b", "cam-c", "cam-d", "cam-e", "cam-f",
            "cam-g", "cam-h");

    /** Same input size as the default model, other classes. */
    private static final String BIRD_MODEL = "mobilenet_v2_1.0_224_inat_bird_quant.tflite";
    private static final String BIRD_LABELS = "inat_bird_labels.txt";

    /** One id for every harness: restored state is looked up by operator id. */
    private static final OperatorID OPERATOR = new OperatorID();

    private long nextOffset;

    @Test
    void lastResultsFollowTheirCamerasFromOneSubtaskToThreeAndBackToOne() throws Exception {
        Map<String, LabeledEvent> inferred = new HashMap<>();
        OperatorSubtaskState one;
        try (var h = harness(1, 0, null)) {
            for (String c : CAMERAS) {
                h.processElement(frame(c, true), 1);
            }
            h.prepareSnapshotPreBarrier(1);
            for (LabeledEvent e : h.extractOutputValues()) {
                inferred.put(e.camera(), e);
            }
            one = h.snapshot(1, 10);
        }
        assertEquals(CAMERAS.size(), inferred.size());

        OperatorSubtaskState[] three = new OperatorSubtaskState[3];
        int carried = 0;
        for (int i = 0; i < 3; i++) {
            OperatorSubtaskState part = AbstractStreamOperatorTestHarness.repartitionOperatorState(one,
                    MAX_PARALLELISM, 1, 3, i);
            try (var h = harness(3, i, part)) {
                for (String c : CAMERAS) {
                    if (KeyGroupRangeAssignment.assignKeyToParallelOperator(c, MAX_PARALLELISM, 3) == i) {
                        carried += assertCarried(h, c, inferred.get(c));
                    }
                }
                three[i] = h.snapshot(2, 20);
            }
        }
        assertEquals(CAMERAS.size(), carried, "every camera had one subtask");

        // and back to one subtask: the union of the three keeps every camera once
        OperatorSubtaskState merged = AbstractStreamOperatorTestHarness.repartitionOperatorState(
                AbstractStreamOperatorTestHarness.repackageState(three), MAX_PARALLELISM, 3, 1, 0);
        try (var h = harness(1, 0, merged)) {
            for (String c : CAMERAS) {
                assertCarried(h, c, inferred.get(c));
            }
        }
    }

    @Test
    void aRestoreWithAnotherModelInfersTheNextFrameInsteadOfCarryingTheOldModelsResult() throws Exception {
        OperatorSubtaskState state;
        LabeledEvent old;
        try (var h = harness(1, 0, null)) {
            h.processElement(frame("cam-a", true), 1);
            h.prepareSnapshotPreBarrier(1);
            old = h.extractOutputValues().get(0);
            state = h.snapshot(1, 10);
        }
        try (var h = harness(1, 0, state, BIRD_MODEL, BIRD_LABELS)) {
            h.processElement(frame("cam-a", false), 2);
            assertTrue(h.extractOutputValues().isEmpty(), "the old model's result is not carried");
            h.prepareSnapshotPreBarrier(2);
            LabeledEvent e = h.extractOutputValues().get(0);
            assertTrue(e.inferred());
            assertEquals(BIRD_MODEL, e.model());
            assertFalse(old.modelSha256().equals(e.modelSha256()));
        }
        // the same model restored: the result is carried (the restore itself keeps it)
        try (var h = harness(1, 0, state)) {
            assertCarried(h, "cam-a", old);
        }
    }

    /** A skipped frame of {@code camera} leaves at once, carrying {@code last}. */
    private int assertCarried(OneInputStreamOperatorTestHarness<ModelFrame, LabeledEvent> h, String camera,
                              LabeledEvent last) throws Exception {
        int before = h.extractOutputValues().size();
        h.processElement(frame(camera, false), 2);
        List<LabeledEvent> out = h.extractOutputValues();
        assertEquals(before + 1, out.size(), camera + ": a skipped frame waits (its camera has no last result)");
        LabeledEvent e = out.get(out.size() - 1);
        assertFalse(e.inferred(), camera);
        assertEquals(last.top(), e.top(), camera);
        assertEquals(last.batchId(), e.batchId(), camera);
        assertTrue(e.offset() > last.offset());
        return 1;
    }

    private ModelFrame frame(String camera, boolean infer) {
        long now = System.currentTimeMillis();
        String image = Math.floorMod(camera.hashCode(), 2) == 0 ? "parrot.jpg" : "bird.bmp";
        return new ModelFrame(camera, nextOffset, 0, 1, now - 5, now - 5, "frames", 0, nextOffset++,
                Photos.pixels(image), 640, 480, 1_500_000, now, infer);
    }

    private static OneInputStreamOperatorTestHarness<ModelFrame, LabeledEvent> harness(int parallelism, int subtask,
                                                                                      OperatorSubtaskState state)
            throws Exception {
        return harness(parallelism, subtask, state, Photos.MODEL, null);
    }

    private static OneInputStreamOperatorTestHarness<ModelFrame, LabeledEvent> harness(int parallelism, int subtask,
            OperatorSubtaskState state, String model, String labels) throws Exception {
        var op = new BatchInferenceOperator(new InferenceSettings(model, labels, 5, 16, 60_000, 1, false));
        return InferenceHarness.open(op, parallelism, subtask, OPERATOR, state, 0);
    }
}
