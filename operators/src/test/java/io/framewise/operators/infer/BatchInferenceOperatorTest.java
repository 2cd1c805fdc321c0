package io.framewise.operators.infer;

import static io.framewise.operators.infer.Photos.BIRD;
import static io.framewise.operators.infer.Photos.CAT;
import static io.framewise.operators.infer.Photos.HOT_DOG;
import static io.framewise.operators.infer.Photos.PARROT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.deadletter.DeadLetters;
import io.framewise.operators.records.DeadLetter;
import io.framewise.operators.records.DeadLetterReason;
import io.framewise.operators.records.LabeledEvent;
import io.framewise.operators.records.LabeledEventSerializer;
import io.framewise.operators.records.ModelFrame;
import io.framewise.operators.records.ModelFrameSerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The batching operator in Flink's operator test harness, classifying the shared photos for real. */
class BatchInferenceOperatorTest {

    private long nextOffset;

    @Test
    void sizeTriggerRunsOneBatchAndKeepsPerCameraOrder() throws Exception {
        try (var h = harness(4, 60_000)) {
            h.processElement(frame("cam-a", 0, PARROT, true), 1);
            h.processElement(frame("cam-b", 0, BIRD, true), 2);
            h.processElement(frame("cam-a", 1, CAT, true), 3);
            assertTrue(h.extractOutputValues().isEmpty(), "3 of 4 frames: no batch yet");
            assertEquals(3, h.getOperator() instanceof BatchInferenceOperator op ? op.buffered() : -1);

            h.processElement(frame("cam-b", 1, HOT_DOG, true), 4);
            List<LabeledEvent> events = h.extractOutputValues();
            assertEquals(4, events.size());
            assertEquals(List.of(PARROT, BIRD, CAT, HOT_DOG).stream().map(Photos::referenceTop1).toList(),
                    events.stream().map(e -> e.top().get(0).label()).toList());
            assertEquals("macaw", events.get(0).top().get(0).label());
            assertEquals("chickadee", events.get(1).top().get(0).label());
            for (LabeledEvent e : events) {
                assertTrue(e.inferred());
                assertEquals(4, e.batchSize());
                assertEquals(events.get(0).batchId(), e.batchId());
                assertEquals(5, e.top().size());
                assertEquals(Photos.MODEL, e.model());
                assertEquals(64, e.modelSha256().length());
            }
            assertEquals(Map.of("cam-a", List.of(0L, 1L), "cam-b", List.of(0L, 1L)), sequencesByCamera(events));
            // element timestamps travel with their events
            assertEquals(List.of(1L, 2L, 3L, 4L), h.extractOutputStreamRecords().stream()
                    .map(StreamRecord::getTimestamp).toList());
            // the cancelled timeout of the flushed batch runs no second batch
            h.setProcessingTime(120_000);
            assertEquals(4, h.extractOutputValues().size());
            assertNoDeadLetters(h);
        }
    }

    @Test
    void timeoutTriggerRunsAPartialBatch() throws Exception {
        try (var h = harness(8, 40)) {
            h.setProcessingTime(1_000);
            h.processElement(frame("cam-a", 0, PARROT, true), 1);
            h.setProcessingTime(1_020);
            h.processElement(frame("cam-b", 0, BIRD, true), 2);
            h.setProcessingTime(1_039);
            assertTrue(h.extractOutputValues().isEmpty(), "39 ms after the first frame: still waiting");

            h.setProcessingTime(1_040);
            List<LabeledEvent> events = h.extractOutputValues();
            assertEquals(2, events.size());
            assertEquals("macaw", events.get(0).top().get(0).label());
            assertEquals("chickadee", events.get(1).top().get(0).label());
            assertEquals(2, events.get(0).batchSize());

            // the timer restarts with the next batch's first frame, not the previous one
            h.setProcessingTime(2_000);
            h.processElement(frame("cam-a", 1, CAT, true), 3);
            h.setProcessingTime(2_039);
            assertEquals(2, h.extractOutputValues().size());
            h.setProcessingTime(2_040);
            assertEquals(3, h.extractOutputValues().size());
            assertEquals(Photos.referenceTop1(CAT), h.extractOutputValues().get(2).top().get(0).label());
        }
    }

    @Test
    void barrierFlushesEverythingAndTheSnapshotHoldsNoFrames() throws Exception {
        OperatorSubtaskState state;
        LabeledEvent parrotEvent;
        try (var h = harness(8, 60_000)) {
            h.processElement(frame("cam-a", 0, PARROT, true), 1);
            h.processElement(frame("cam-b", 0, BIRD, true), 2);
            h.processElement(frame("cam-a", 1, PARROT, false), 3);
            assertTrue(h.extractOutputValues().isEmpty());

            h.prepareSnapshotPreBarrier(1);
            List<LabeledEvent> events = h.extractOutputValues();
            assertEquals(3, events.size(), "every buffered frame leaves before the barrier");
            assertEquals(0, ((BatchInferenceOperator) h.getOperator()).buffered());
            assertEquals(2, events.get(0).batchSize(), "the barrier batch holds the 2 frames to infer");
            parrotEvent = events.get(0);
            state = h.snapshot(1, 100);
        }
        try (var restored = harness(8, 60_000, state)) {
            assertTrue(restored.getOutput().isEmpty(), "a restored operator re-emits nothing");
            assertEquals(0, ((BatchInferenceOperator) restored.getOperator()).buffered());
            restored.setProcessingTime(1_000_000);
            restored.endInput();
            assertTrue(restored.extractOutputValues().isEmpty(), "no frame came back from the snapshot");

            // the last result per camera did come back: a skipped frame carries it at once
            restored.processElement(frame("cam-a", 2, CAT, false), 4);
            List<LabeledEvent> out = restored.extractOutputValues();
            assertEquals(1, out.size());
            assertFalse(out.get(0).inferred());
            assertEquals(parrotEvent.top(), out.get(0).top());
            assertEquals(parrotEvent.batchId(), out.get(0).batchId());
        }
    }

    @Test
    void skippedFramesCarryTheLastResultInOrder() throws Exception {
        try (var h = harness(2, 60_000)) {
            // cam-a: parrot inferred, then a cat frame sampling skipped: it must say macaw, not cat
            h.processElement(frame("cam-a", 0, PARROT, true), 1);
            h.processElement(frame("cam-a", 1, CAT, false), 2);
            assertTrue(h.extractOutputValues().isEmpty(), "the skipped frame waits behind its camera's frame");
            // cam-b has no result yet: its skipped frame is inferred after all (and completes the batch)
            h.processElement(frame("cam-b", 0, BIRD, false), 3);
            List<LabeledEvent> events = h.extractOutputValues();
            assertEquals(3, events.size());

            assertEquals("cam-a", events.get(0).camera());
            assertTrue(events.get(0).inferred());
            assertEquals("macaw", events.get(0).top().get(0).label());

            assertEquals("cam-a", events.get(1).camera());
            assertFalse(events.get(1).inferred());
            assertEquals(events.get(0).top(), events.get(1).top());
            assertEquals(events.get(0).batchId(), events.get(1).batchId());
            assertEquals(0.0, events.get(1).latency().inferenceMs());

            assertEquals("cam-b", events.get(2).camera());
            assertTrue(events.get(2).inferred());
            assertEquals("chickadee", events.get(2).top().get(0).label());

            // nothing buffered for cam-a: a skipped frame leaves at once, with the last result
            h.processElement(frame("cam-a", 2, HOT_DOG, false), 4);
            assertEquals(4, h.extractOutputValues().size());
            LabeledEvent carried = h.extractOutputValues().get(3);
            assertFalse(carried.inferred());
            assertEquals("macaw", carried.top().get(0).label());
            assertEquals(List.of(0L, 1L, 2L), sequencesByCamera(h.extractOutputValues()).get("cam-a"));
        }
    }

    @Test
    void watermarksWaitForBufferedFrames() throws Exception {
        try (var h = harness(8, 60_000)) {
            h.processElement(frame("cam-a", 0, PARROT, true), 10);
            h.processWatermark(new Watermark(50));
            assertTrue(h.getOutput().isEmpty(), "the watermark must not overtake a buffered frame");
            h.endInput();
            List<Object> out = new ArrayList<>(h.getOutput());
            assertEquals(2, out.size());
            assertInstanceOf(StreamRecord.class, out.get(0));
            assertEquals(new Watermark(50), out.get(1));
        }
    }

    @Test
    void framesTheModelCannotTakeAreDeadLettered() throws Exception {
        try (var h = harness(2, 60_000)) {
            ModelFrame wrong = new ModelFrame("cam-a", 7, 0, 1, 1_000, 1_000, "frames", 3, 42, new byte[100 * 100 * 3],
                    640, 480, 1_000, 0, true);
            h.processElement(wrong, 1);
            assertTrue(h.extractOutputValues().isEmpty());
            var dead = new ArrayList<>(h.getSideOutput(DeadLetters.TAG));
            assertEquals(1, dead.size());
            DeadLetter d = dead.get(0).getValue();
            assertEquals(DeadLetterReason.MODEL_REJECTED, d.reason());
            assertEquals("cam-a", d.camera());
            assertEquals("frames", d.topic());
            assertEquals(3, d.partition());
            assertEquals(42, d.offset());
            assertTrue(d.message().contains("224x224x3"), d.message());
            assertEquals(0, ((BatchInferenceOperator) h.getOperator()).buffered());
        }
    }

    private ModelFrame frame(String camera, long seq, String image, boolean infer) {
        long now = System.currentTimeMillis();
        return new ModelFrame(camera, seq, 0, 1, now - 5, now - 5, "frames", 0, nextOffset++, Photos.pixels(image),
                640, 480, 1_500_000, now, infer);
    }

    private static Map<String, List<Long>> sequencesByCamera(List<LabeledEvent> events) {
        Map<String, List<Long>> m = new TreeMap<>();
        for (LabeledEvent e : events) {
            m.computeIfAbsent(e.camera(), c -> new ArrayList<>()).add(e.sequence());
        }
        return m;
    }

    private static OneInputStreamOperatorTestHarness<ModelFrame, LabeledEvent> harness(int batchSize, long timeoutMs)
            throws Exception {
        return harness(batchSize, timeoutMs, null);
    }

    private static OneInputStreamOperatorTestHarness<ModelFrame, LabeledEvent> harness(int batchSize, long timeoutMs,
                                                                                      OperatorSubtaskState state)
            throws Exception {
        var op = new BatchInferenceOperator(new InferenceSettings(Photos.MODEL, null, 5, batchSize, timeoutMs, 1, false));
        var h = new OneInputStreamOperatorTestHarness<>(op, ModelFrameSerializer.INSTANCE);
        h.setup(LabeledEventSerializer.INSTANCE);
        if (state != null) {
            h.initializeState(state);
        }
        h.open();
        return h;
    }

    private static void assertNoDeadLetters(OneInputStreamOperatorTestHarness<ModelFrame, LabeledEvent> h) {
        var dead = h.getSideOutput(DeadLetters.TAG);
        assertTrue(dead == null || dead.isEmpty(), () -> "dead letters: " + dead);
    }
}
