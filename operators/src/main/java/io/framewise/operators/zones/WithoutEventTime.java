package io.framewise.operators.zones;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Takes a stream out of event time: passes its records, drops every watermark and watermark status that
 * reaches it (including the end-of-input watermark of a bounded source) and declares the stream idle
 * for good. Put on the {@code camera-config} stream before it is broadcast into the episode operator, so
 * that operator's event time is the frames' alone.
 *
 * <p>Why not a watermark at the end of time: a two-input operator leaves idle inputs out of its
 * watermark, so once every frames partition went idle (a quiet night) the combined watermark would jump
 * to that end of time, close every episode and make every later frame late. An idle input whose
 * watermark never moved leaves the frames' watermark standing still, as with one input.
 */
public final class WithoutEventTime<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {

    private static final long serialVersionUID = 1L;

    @Override
    public void open() throws Exception {
        super.open();
        // from the mailbox once the task runs, not during open
        getProcessingTimeService().registerTimer(getProcessingTimeService().getCurrentProcessingTime(),
                t -> output.emitWatermarkStatus(WatermarkStatus.IDLE));
    }

    @Override
    public void processElement(StreamRecord<T> r) {
        output.collect(r);
    }

    @Override
    public void processWatermark(Watermark mark) {
        // configurations have no event time
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) {
        // idle for good, whatever the source says
    }
}
