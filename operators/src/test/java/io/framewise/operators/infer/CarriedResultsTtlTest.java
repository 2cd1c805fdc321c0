package io.framewise.operators.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.records.LabeledEvent;
import io.framewise.operators.records.ModelFrame;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * A camera's carried result expires after the camera-state TTL unused, in memory and in the checkpoint:
 * the soak's churning camera ids made this union list grow with every id ever seen. A result used
 * within the TTL stays and is carried after a restore.
 */
class CarriedResultsTtlTest {

    private static final long TTL_MS = 10_000;
    private static final OperatorID OPERATOR = new OperatorID();
    private long nextOffset;

    @Test
    void aResultUnusedForTheTtlIsDroppedAndOneUsedWithinItIsKeptAcrossARestore() throws Exception {
        OperatorSubtaskState state;
        try (var h = harness(null, 1_000)) {
            h.processElement(frame("cam-old", true), 1);
            h.processElement(frame("cam-live", true), 1);
            h.prepareSnapshotPreBarrier(1);
            assertEquals(2, h.extractOutputValues().size());

            h.setProcessingTime(8_000);
            h.processElement(frame("cam-live", false), 2); // carried: refreshes cam-live's clock
            assertEquals(3, h.extractOutputValues().size());
            assertFalse(h.extractOutputValues().get(2).inferred());

            h.setProcessingTime(16_000); // cam-old unused for 15 s, cam-live for 8 s
            state = h.snapshot(2, 16_000);
        }
        try (var h = harness(state, 16_500)) {
            h.processElement(frame("cam-live", false), 3);
            List<LabeledEvent> out = h.extractOutputValues();
            assertEquals(1, out.size(), "cam-live's result came back with the restore and is carried at once");
            assertFalse(out.get(0).inferred());

            h.processElement(frame("cam-old", false), 3);
            assertEquals(1, h.extractOutputValues().size(), "cam-old's result expired: its skipped frame waits to be inferred");
            h.prepareSnapshotPreBarrier(3);
            LabeledEvent e = h.extractOutputValues().get(1);
            assertEquals("cam-old", e.camera());
            assertTrue(e.inferred());
        }
    }

    @Test
    void aRestoreKeepsEachResultsClock() throws Exception {
        OperatorSubtaskState state;
        try (var h = harness(null, 1_000)) {
            h.processElement(frame("cam-a", true), 1);
            h.prepareSnapshotPreBarrier(1);
            state = h.snapshot(1, 2_000);
        }
        // restored at 9 s: 3 s later cam-a's result is 11 s unused, though only 3 s after the restore
        try (var h = harness(state, 9_000)) {
            h.setProcessingTime(12_000);
            h.processElement(frame("cam-a", false), 2);
            assertTrue(h.extractOutputValues().isEmpty(), "expired across the restore: not carried");
        }
    }

    @Test
    void anExpiredResultIsNotCarriedEvenBeforeASnapshotDropsIt() throws Exception {
        try (var h = harness(null, 0)) {
            h.processElement(frame("cam-a", true), 1);
            h.prepareSnapshotPreBarrier(1);
            h.setProcessingTime(TTL_MS + 1);
            h.processElement(frame("cam-a", false), 2);
            assertEquals(1, h.extractOutputValues().size(), "expired: the skipped frame is inferred, not carried");
            h.prepareSnapshotPreBarrier(2);
            assertTrue(h.extractOutputValues().get(1).inferred());
        }
    }

    private ModelFrame frame(String camera, boolean infer) {
        long now = System.currentTimeMillis();
        return new ModelFrame(camera, nextOffset, 0, 1, now - 5, now - 5, "frames", 0, nextOffset++,
                Photos.pixels("parrot.jpg"), 640, 480, 1_500_000, now, infer);
    }

    private static OneInputStreamOperatorTestHarness<ModelFrame, LabeledEvent> harness(OperatorSubtaskState state,
                                                                                      long nowMs) throws Exception {
        var op = new BatchInferenceOperator(new InferenceSettings(Photos.MODEL, null, 5, 16, 60_000, 1, false), TTL_MS);
        return InferenceHarness.open(op, 1, 0, OPERATOR, state, nowMs);
    }
}
