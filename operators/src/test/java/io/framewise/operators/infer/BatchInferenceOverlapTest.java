package io.framewise.operators.infer;

import static io.framewise.operators.infer.Photos.BIRD;
import static io.framewise.operators.infer.Photos.CAT;
import static io.framewise.operators.infer.Photos.HOT_DOG;
import static io.framewise.operators.infer.Photos.PARROT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.records.LabeledEvent;
import io.framewise.operators.records.LabeledEventSerializer;
import io.framewise.operators.records.ModelFrame;
import io.framewise.operators.records.ModelFrameSerializer;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The batching operator with overlap on (a batch in flight on the inference thread while frames keep
 * arriving), in Flink's operator test harness on the shared photos.
 */
class BatchInferenceOverlapTest {

    private long nextOffset;

    @Test
    void framesBehindABatchInFlightWaitAndTheBarrierWaitsForIt() throws Exception {
        try (var h = harness(2, 60_000, true)) {
            BatchInferenceOperator op = (BatchInferenceOperator) h.getOperator();
            h.processElement(frame("cam-a", 0, PARROT, true), 1);
            h.processElement(frame("cam-b", 0, BIRD, true), 2); // batch 1 starts on the inference thread
            // a skipped cam-a frame must wait for cam-a's frame in flight, not leave before it
            h.processElement(frame("cam-a", 1, CAT, false), 3);
            h.processElement(frame("cam-b", 1, CAT, true), 4);
            assertEquals(4, op.buffered() + h.extractOutputValues().size(), "every frame buffered, in flight or out");
            h.processElement(frame("cam-b", 2, HOT_DOG, true), 5); // batch 2: waits for batch 1 first

            h.prepareSnapshotPreBarrier(1);
            assertEquals(0, op.buffered(), "nothing in flight or buffered after the barrier");
            h.snapshot(1, 10);
            List<LabeledEvent> events = h.extractOutputValues();
            assertEquals(5, events.size());
            assertEquals(List.of("cam-a/0", "cam-b/0", "cam-a/1", "cam-b/1", "cam-b/2"),
                    events.stream().map(e -> e.camera() + "/" + e.sequence()).toList());
            assertEquals(List.of(true, true, false, true, true), events.stream().map(LabeledEvent::inferred).toList());
            assertEquals("macaw", events.get(2).top().get(0).label(), "the skipped frame carries cam-a's result");
            assertEquals(List.of(PARROT, BIRD, PARROT, CAT, HOT_DOG).stream().map(Photos::referenceTop1).toList(),
                    events.stream().map(e -> e.top().get(0).label()).toList());
            assertEquals(events.get(0).batchId(), events.get(1).batchId());
            assertFalse(events.get(1).batchId().equals(events.get(3).batchId()), "two batches");
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), h.extractOutputStreamRecords().stream()
                    .map(StreamRecord::getTimestamp).toList());
        }
    }

    @Test
    @Timeout(60)
    void aFinishedBatchIsEmittedByItsMailWithoutFurtherInputOrTimers() throws Exception {
        try (var h = harness(2, 60_000, true)) {
            h.setProcessingTime(1_000);
            h.processElement(frame("cam-a", 0, PARROT, true), 1);
            h.processElement(frame("cam-a", 1, HOT_DOG, true), 2); // batch starts on the inference thread
            assertEquals(0, h.getProcessingTimeService().getNumActiveTimers(), "no batch timer left, and none for the batch in flight");
            // done, the inference thread puts a mail into the task's mailbox; the task thread runs it
            h.getTaskMailbox().take(TaskMailbox.MIN_PRIORITY).run();
            List<LabeledEvent> events = h.extractOutputValues();
            assertEquals(2, events.size());
            assertEquals(List.of("macaw", Photos.referenceTop1(HOT_DOG)),
                    events.stream().map(e -> e.top().get(0).label()).toList());
            assertEquals(0, ((BatchInferenceOperator) h.getOperator()).buffered());
        }
    }

    @Test
    void aMailForABatchAlreadyEmittedDoesNothing() throws Exception {
        try (var h = harness(1, 60_000, true)) {
            h.processElement(frame("cam-a", 0, PARROT, true), 1);
            h.prepareSnapshotPreBarrier(1); // waits for the batch and emits it
            assertEquals(1, h.extractOutputValues().size());
            h.getTaskMailbox().take(TaskMailbox.MIN_PRIORITY).run(); // the batch's own mail, late
            assertEquals(1, h.extractOutputValues().size());
        }
    }

    @Test
    void watermarksWaitForTheBatchInFlight() throws Exception {
        try (var h = harness(1, 60_000, true)) {
            h.processElement(frame("cam-a", 0, PARROT, true), 10); // in flight at once
            h.processWatermark(new Watermark(50));
            h.endInput();
            List<Object> out = new ArrayList<>(h.getOutput());
            assertEquals(2, out.size(), out::toString);
            assertInstanceOf(StreamRecord.class, out.get(0));
            assertEquals(new Watermark(50), out.get(1));
        }
    }

    @Test
    void overlapChangesNoEvent() throws Exception {
        String[] images = {PARROT, BIRD, CAT, HOT_DOG, CAT, PARROT, BIRD, HOT_DOG, CAT};
        boolean[] infer = {true, true, false, true, false, true, true, false, true};
        List<String> expected = null;
        for (boolean overlap : new boolean[] {false, true}) {
            nextOffset = 0;
            try (var h = harness(3, 60_000, overlap)) {
                for (int i = 0; i < images.length; i++) {
                    h.processElement(frame(i % 2 == 0 ? "cam-a" : "cam-b", i, images[i], infer[i]), i);
                }
                h.endInput();
                List<String> got = h.extractOutputValues().stream().map(e -> e.camera() + "/" + e.sequence() + " "
                        + e.inferred() + " " + e.top().get(0).label() + " " + e.top().get(0).score()).toList();
                assertEquals(images.length, got.size());
                if (expected == null) {
                    expected = got;
                } else {
                    assertEquals(expected, got, "events with overlap against without");
                }
            }
        }
        assertTrue(expected.stream().anyMatch(s -> s.contains(" false ")), "some frames carried");
    }

    private ModelFrame frame(String camera, long seq, String image, boolean infer) {
        long now = System.currentTimeMillis();
        return new ModelFrame(camera, seq, 0, 1, now - 5, now - 5, "frames", 0, nextOffset++, Photos.pixels(image),
                640, 480, 1_500_000, now, infer);
    }

    private static OneInputStreamOperatorTestHarness<ModelFrame, LabeledEvent> harness(int batchSize, long timeoutMs,
                                                                                      boolean overlap)
            throws Exception {
        var op = new BatchInferenceOperator(new InferenceSettings(Photos.MODEL, null, 5, batchSize, timeoutMs, 1,
                overlap));
        var h = new OneInputStreamOperatorTestHarness<>(op, ModelFrameSerializer.INSTANCE);
        h.setup(LabeledEventSerializer.INSTANCE);
        h.open();
        return h;
    }
}
