package io.framewise.operators.records;

import io.framewise.operators.decode.DecodeFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Runs before {@code keyBy(camera)}: a record without a usable camera id cannot be keyed, so it goes
 * to {@link DecodeFunction#DEAD_LETTERS} with reason {@link DeadLetter#MISSING_KEY}; the rest pass
 * through unchanged.
 */
public final class RecordRouting extends ProcessFunction<FrameRecord, FrameRecord> {

    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(FrameRecord r, Context ctx, Collector<FrameRecord> out) {
        if (r.camera() == null) {
            ctx.output(DecodeFunction.DEAD_LETTERS, DeadLetter.of(r, DeadLetter.MISSING_KEY,
                    FrameRecord.whyNoCamera(r.key()), ctx.timerService().currentProcessingTime()));
        } else {
            out.collect(r);
        }
    }
}
