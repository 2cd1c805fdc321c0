package io.framewise.operators.infer;

import io.framewise.operators.deadletter.DeadLetterMetrics;
import io.framewise.operators.records.DeadLetterReason;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * Metrics of {@code BatchInferenceOperator}: batches, their size and fill, inference time, the wait
 * in the batcher, end-to-end latency and events out.
 *
 * <p>Histograms keep the last {@link #WINDOW} values (quantiles over recent traffic); the counters
 * next to them ({@code framesInferred}, {@code inferenceMicros}) are exact totals, so means over any
 * interval are a rate ratio, which quantiles of a window cannot give.
 */
public final class InferenceMetrics {

    /** Values each histogram keeps. */
    public static final int WINDOW = 1024;

    public static final String BATCHES = "batches";
    public static final String FRAMES_INFERRED = "framesInferred";
    public static final String INFERENCE_MICROS = "inferenceMicros";
    public static final String BATCH_SIZE = "batchSize";
    public static final String BATCH_FILL_PERCENT = "batchFillPercent";
    public static final String INFERENCE_BATCH_MICROS = "inferenceBatchMicros";
    public static final String INFERENCE_FRAME_MICROS = "inferenceFrameMicros";
    public static final String QUEUE_WAIT_MS = "queueWaitMs";
    public static final String END_TO_END_MS = "endToEndMs";
    public static final String EVENTS_OUT = "eventsOut";

    private final int capacity;
    private final Counter batches;
    private final Counter framesInferred;
    private final Counter inferenceMicros;
    private final Histogram batchSize;
    private final Histogram batchFill;
    private final Histogram batchMicros;
    private final Histogram frameMicros;
    private final Histogram queueWait;
    private final Histogram endToEnd;
    private final Counter eventsOut;
    private final DeadLetterMetrics deadLetters;

    /** @param capacity the configured batch size, 100 % fill */
    public InferenceMetrics(MetricGroup operator, int capacity) {
        this.capacity = capacity;
        batches = operator.counter(BATCHES);
        framesInferred = operator.counter(FRAMES_INFERRED);
        inferenceMicros = operator.counter(INFERENCE_MICROS);
        batchSize = operator.histogram(BATCH_SIZE, new DescriptiveStatisticsHistogram(WINDOW));
        batchFill = operator.histogram(BATCH_FILL_PERCENT, new DescriptiveStatisticsHistogram(WINDOW));
        batchMicros = operator.histogram(INFERENCE_BATCH_MICROS, new DescriptiveStatisticsHistogram(WINDOW));
        frameMicros = operator.histogram(INFERENCE_FRAME_MICROS, new DescriptiveStatisticsHistogram(WINDOW));
        queueWait = operator.histogram(QUEUE_WAIT_MS, new DescriptiveStatisticsHistogram(WINDOW));
        endToEnd = operator.histogram(END_TO_END_MS, new DescriptiveStatisticsHistogram(WINDOW));
        eventsOut = operator.counter(EVENTS_OUT);
        deadLetters = new DeadLetterMetrics(operator, DeadLetterReason.Stage.INFER);
    }

    /** One forward pass over {@code frames} frames that took {@code nanos}. */
    public void batch(int frames, long nanos) {
        if (frames <= 0) {
            return;
        }
        long micros = nanos / 1000;
        batches.inc();
        framesInferred.inc(frames);
        inferenceMicros.inc(micros);
        batchSize.update(frames);
        batchFill.update(frames * 100L / capacity);
        batchMicros.update(micros);
        frameMicros.update(micros / frames);
    }

    /** A frame left the batcher {@code waitedMs} after it entered it. */
    public void waited(long waitedMs) {
        queueWait.update(waitedMs);
    }

    /** An event left the operator, {@code endToEndMs} after its frame's capture. */
    public void event(long endToEndMs) {
        eventsOut.inc();
        endToEnd.update(endToEndMs);
    }

    public void deadLetter(DeadLetterReason reason) {
        deadLetters.count(reason);
    }

    public long batches() {
        return batches.getCount();
    }

    public long framesInferred() {
        return framesInferred.getCount();
    }

    public long inferenceMicros() {
        return inferenceMicros.getCount();
    }

    public long eventsOut() {
        return eventsOut.getCount();
    }

    public Histogram batchSize() {
        return batchSize;
    }

    public Histogram batchFillPercent() {
        return batchFill;
    }

    public Histogram inferenceBatchMicros() {
        return batchMicros;
    }

    public Histogram inferenceFrameMicros() {
        return frameMicros;
    }

    public Histogram queueWaitMs() {
        return queueWait;
    }

    public Histogram endToEndMs() {
        return endToEnd;
    }

    public DeadLetterMetrics deadLetters() {
        return deadLetters;
    }
}
