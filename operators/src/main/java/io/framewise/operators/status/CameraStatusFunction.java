package io.framewise.operators.status;

import io.framewise.operators.records.CameraStatus;
import io.framewise.operators.state.CameraStateTtl;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import static io.framewise.operators.state.CameraStateTtl.expiring;

/**
 * Camera liveness on processing time, keyed by camera id (one input element per record the camera
 * sent, decodable or not). A camera that was sending and sent nothing for {@code stallAfterMs} gets a
 * {@link CameraStatus.State#STALLED} record; its next record a {@link CameraStatus.State#RESUMED} one
 * with the gap. One processing-time timer per camera at a time (not one per record): when it fires
 * early because records kept coming, it is set again for the last record's time plus the limit.
 *
 * <p>State per camera: last seen, stalled flag, pending timer (keyed, checkpointed: a restored job
 * remembers which cameras it reported stalled), dropped after the camera-state TTL without a record
 * ({@link CameraStateTtl}; a stalled camera's too, after its STALLED report). Metrics: {@value #CHANGES} per {@code status}.
 */
public final class CameraStatusFunction extends KeyedProcessFunction<String, String, CameraStatus> {

    private static final long serialVersionUID = 1L;

    public static final String STATUS_GROUP = "status";
    public static final String CHANGES = "cameraStatusChanges";

    private final long stallAfterMs;
    private final long cameraStateTtlMs;

    private transient ValueState<Long> lastSeen;
    private transient ValueState<Boolean> stalled;
    private transient ValueState<Long> timer;
    private transient Map<CameraStatus.State, Counter> changes;

    public CameraStatusFunction(long stallAfterMs) {
        this(stallAfterMs, CameraStateTtl.DEFAULT_MS);
    }

    /**
     * @param cameraStateTtlMs a camera's state expires after this long unseen; longer than {@code stallAfterMs}
     *                         so a stalled camera is reported STALLED while its state is still there
     */
    public CameraStatusFunction(long stallAfterMs, long cameraStateTtlMs) {
        if (stallAfterMs < 1) {
            throw new IllegalArgumentException("stall-after-ms must be positive, got " + stallAfterMs);
        }
        if (cameraStateTtlMs <= stallAfterMs) {
            throw new IllegalArgumentException("camera state TTL (" + cameraStateTtlMs
                    + " ms) must be longer than stall-after-ms (" + stallAfterMs + ")");
        }
        this.stallAfterMs = stallAfterMs;
        this.cameraStateTtlMs = cameraStateTtlMs;
    }

    @Override
    public void open(OpenContext openContext) {
        // same names as before the TTL: restore migrates the old entries (CameraStateTtl). Read and written
        // together (every record, every timer), so a camera's three entries expire together.
        long ttl = cameraStateTtlMs;
        lastSeen = getRuntimeContext().getState(expiring(new ValueStateDescriptor<>("status-last-seen", Types.LONG), ttl));
        stalled = getRuntimeContext().getState(expiring(new ValueStateDescriptor<>("status-stalled", Types.BOOLEAN), ttl));
        timer = getRuntimeContext().getState(expiring(new ValueStateDescriptor<>("status-timer", Types.LONG), ttl));
        changes = new EnumMap<>(CameraStatus.State.class);
        for (CameraStatus.State s : CameraStatus.State.values()) {
            changes.put(s, getRuntimeContext().getMetricGroup().addGroup(STATUS_GROUP, s.name()).counter(CHANGES));
        }
    }

    @Override
    public void processElement(String camera, Context ctx, Collector<CameraStatus> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        Long last = lastSeen.value();
        // last == null: a camera new, or back after the TTL dropped its state: no RESUMED, it starts afresh
        if (Boolean.TRUE.equals(stalled.value()) && last != null) {
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
        Long last = lastSeen.value();
        if (last == null) {
            return; // expired (cannot happen while the TTL outlives the stall limit; kept safe)
        }
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
