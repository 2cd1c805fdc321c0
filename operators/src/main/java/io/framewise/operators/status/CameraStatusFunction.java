package io.framewise.operators.status;

import io.framewise.operators.records.CameraStatus;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Camera liveness on processing time, keyed by camera id (one input element per record the camera
 * sent, decodable or not). A camera that was sending and sent nothing for {@code stallAfterMs} gets a
 * {@link CameraStatus.State#STALLED} record; its next record a {@link CameraStatus.State#RESUMED} one
 * with the gap. One processing-time timer per camera at a time (not one per record): when it fires
 * early because records kept coming, it is set again for the last record's time plus the limit.
 *
 * <p>State per camera: last seen, stalled flag, pending timer (keyed, checkpointed: a restored job
 * remembers which cameras it reported stalled). Metrics: {@value #CHANGES} per {@code status}.
 */
public final class CameraStatusFunction extends KeyedProcessFunction<String, String, CameraStatus> {

    private static final long serialVersionUID = 1L;

    public static final String STATUS_GROUP = "status";
    public static final String CHANGES = "cameraStatusChanges";

    private final long stallAfterMs;

    private transient ValueState<Long> lastSeen;
    private transient ValueState<Boolean> stalled;
    private transient ValueState<Long> timer;
    private transient Map<CameraStatus.State, Counter> changes;

    public CameraStatusFunction(long stallAfterMs) {
        if (stallAfterMs < 1) {
            throw new IllegalArgumentException("stall-after-ms must be positive, got " + stallAfterMs);
        }
        this.stallAfterMs = stallAfterMs;
    }

    @Override
    public void open(OpenContext openContext) {
        lastSeen = getRuntimeContext().getState(new ValueStateDescriptor<>("status-last-seen", Types.LONG));
        stalled = getRuntimeContext().getState(new ValueStateDescriptor<>("status-stalled", Types.BOOLEAN));
        timer = getRuntimeContext().getState(new ValueStateDescriptor<>("status-timer", Types.LONG));
        changes = new EnumMap<>(CameraStatus.State.class);
        for (CameraStatus.State s : CameraStatus.State.values()) {
            changes.put(s, getRuntimeContext().getMetricGroup().addGroup(STATUS_GROUP, s.name()).counter(CHANGES));
        }
    }

    @Override
    public void processElement(String camera, Context ctx, Collector<CameraStatus> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        Long last = lastSeen.value();
        if (Boolean.TRUE.equals(stalled.value())) {
            stalled.update(false);
            changes.get(CameraStatus.State.RESUMED).inc();
            out.collect(new CameraStatus(camera, CameraStatus.State.RESUMED, now, last, now - last));
        }
        lastSeen.update(now);
        if (timer.value() == null) {
            schedule(ctx.timerService(), now + stallAfterMs);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CameraStatus> out) throws Exception {
        timer.clear();
        long last = lastSeen.value();
        if (timestamp - last >= stallAfterMs) {
            stalled.update(true);
            changes.get(CameraStatus.State.STALLED).inc();
            out.collect(new CameraStatus(ctx.getCurrentKey(), CameraStatus.State.STALLED, timestamp, last,
                    timestamp - last));
        } else {
            schedule(ctx.timerService(), last + stallAfterMs);
        }
    }

    private void schedule(org.apache.flink.streaming.api.TimerService timers, long at) throws Exception {
        timers.registerProcessingTimeTimer(at);
        timer.update(at);
    }

    /** Status changes counted so far (tests). */
    public long changes(CameraStatus.State s) {
        return changes.get(s).getCount();
    }
}
