package io.framewise.operators.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.records.DeadLetterReason;
import io.framewise.operators.records.LabeledEvent;
import io.framewise.operators.records.LabeledEventSerializer;
import io.framewise.operators.records.ModelFrame;
import io.framewise.operators.records.ModelFrameSerializer;
import org.apache.flink.metrics.HistogramStatistics;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** BatchInferenceOperator's metrics in the operator harness, with real inference on the shared photos. */
class InferenceMetricsTest {

    private long nextOffset;

    @Test
    void batchesSizesWaitsAndEventsAreCounted() throws Exception {
        var op = new BatchInferenceOperator(new InferenceSettings(Photos.MODEL, null, 1, 4, 40, 1, false));
        try (var h = harness(op)) {
            // a full batch of 4, then a timeout batch of 2 whose frames waited 40 and 20 ms
            h.setProcessingTime(1_000);
            for (String img : new String[] {"parrot.jpg", "bird.bmp", "cat.bmp", "hot_dog.jpg"}) {
                h.processElement(frame("cam-a", img, true, 250), 1);
            }
            h.setProcessingTime(2_000);
            h.processElement(frame("cam-a", "parrot.jpg", true, 250), 1);
            h.setProcessingTime(2_020);
            h.processElement(frame("cam-b", "bird.bmp", true, 250), 1);
            h.setProcessingTime(2_040);
            // nothing buffered for cam-a: a skipped frame leaves at once with the last result (no batch, no wait)
            h.processElement(frame("cam-a", "cat.bmp", false, 250), 1);
            // a frame the model cannot take
            h.processElement(new ModelFrame("cam-a", 9, 0, 1, 0, 0, "frames", 0, 99, new byte[12], 2, 2, 0, 0, true), 1);

            InferenceMetrics m = op.metrics();
            assertEquals(7, h.extractOutputValues().size());
            assertEquals(2, m.batches());
            assertEquals(6, m.framesInferred(), "sum of batch sizes = frames inferred");
            assertEquals(7, m.eventsOut());
            assertEquals(1, m.deadLetters().total());
            assertEquals(1, m.deadLetters().of(DeadLetterReason.MODEL_REJECTED));

            HistogramStatistics size = m.batchSize().getStatistics();
            assertEquals(2, m.batchSize().getCount());
            assertEquals(4, size.getMax());
            assertEquals(2, size.getMin());
            HistogramStatistics fill = m.batchFillPercent().getStatistics();
            assertEquals(100, fill.getMax());
            assertEquals(50, fill.getMin());

            // the first batch's frames ran at once (0 ms), the timeout batch's waited 40 and 20 ms
            HistogramStatistics wait = m.queueWaitMs().getStatistics();
            assertEquals(6, m.queueWaitMs().getCount());
            assertEquals(40, wait.getMax());
            assertEquals(60, sum(wait.getValues()));

            assertEquals(2, m.inferenceBatchMicros().getCount());
            assertEquals(2, m.inferenceFrameMicros().getCount());
            assertTrue(m.inferenceMicros() > 0);
            assertTrue(m.inferenceBatchMicros().getStatistics().getMin() >= m.inferenceFrameMicros().getStatistics().getMin());

            // end-to-end: each event's own latency.endToEndMs, capture time 250 ms before the frame was made
            assertEquals(7, m.endToEndMs().getCount());
            long min = Long.MAX_VALUE;
            for (LabeledEvent e : h.extractOutputValues()) {
                min = Math.min(min, Math.round(e.latency().endToEndMs()));
            }
            assertEquals(min, m.endToEndMs().getStatistics().getMin());
            assertTrue(min >= 250, "capture 250 ms before: " + min);
        }
    }

    private ModelFrame frame(String camera, String image, boolean infer, long ageMs) {
        long now = System.currentTimeMillis();
        return new ModelFrame(camera, nextOffset, 0, 1, now - ageMs, now - ageMs, "frames", 0, nextOffset++,
                Photos.pixels(image), 640, 480, 1_000_000, now, infer);
    }

    private static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            s += v;
        }
        return s;
    }

    private static OneInputStreamOperatorTestHarness<ModelFrame, LabeledEvent> harness(BatchInferenceOperator op)
            throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(op, ModelFrameSerializer.INSTANCE);
        h.setup(LabeledEventSerializer.INSTANCE);
        h.open();
        return h;
    }
}
