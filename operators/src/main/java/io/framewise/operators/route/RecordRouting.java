package io.framewise.operators.route;

import io.framewise.operators.deadletter.DeadLetters;
import io.framewise.operators.records.DeadLetter;
import io.framewise.operators.records.DeadLetterReason;
import io.framewise.operators.records.FrameRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Runs before {@code keyBy(camera)}: a record without a usable camera id cannot be keyed, so it goes
 * to {@link DeadLetters#TAG} with reason {@link DeadLetterReason#MISSING_KEY}; the rest pass
 * through unchanged.
 */
public final class RecordRouting extends ProcessFunction<FrameRecord, FrameRecord> {

    private static final long serialVersionUID = 1L;

    private final int maxRecordBytes;

    private transient RoutingMetrics metrics;

    /** @param maxRecordBytes the job's record limit: a keyless record far over it is dead-lettered without its value */
    public RecordRouting(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public void open(OpenContext openContext) {
        metrics = new RoutingMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(FrameRecord r, Context ctx, Collector<FrameRecord> out) {
        metrics.recordIn();
        if (r.camera() == null) {
            metrics.deadLetter(DeadLetterReason.MISSING_KEY);
            ctx.output(DeadLetters.TAG, DeadLetter.of(r, DeadLetterReason.MISSING_KEY,
                    FrameRecord.whyNoCamera(r.key()), ctx.timerService().currentProcessingTime())
                    .withinRecordLimit(maxRecordBytes));
        } else {
            out.collect(r);
        }
    }

    /** This instance's metrics (tests). */
    public RoutingMetrics metrics() {
        return metrics;
    }
}
