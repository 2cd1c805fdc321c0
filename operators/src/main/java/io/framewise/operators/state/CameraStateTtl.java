package io.framewise.operators.state;

import java.time.Duration;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;

/**
 * The time-to-live of per-camera keyed state (decode, change gate, camera status): without it a camera
 * that is gone for good keeps its entries in every checkpoint forever, and camera ids come and go.
 *
 * <p>Processing time, refreshed on read and on write: every record of a camera reads its state, so a
 * camera seen within the TTL keeps all of it, also entries written rarely (the gate's thumbnail). Expired
 * entries are never returned; the heap backend drops them incrementally as it touches keys, and full
 * snapshots leave them out.
 *
 * <p>Enabling a TTL changes a state's serializer (each value carries its last-access time). Flink 2.x
 * migrates state written without a TTL into it on restore (its TTL-aware serializer), which the
 * operators' tests check, so savepoints of versions before the TTL still restore.
 */
public final class CameraStateTtl {

    /** 24 h: far above any stall limit, so a stalled camera's state outlives its STALLED report. */
    public static final long DEFAULT_MS = 24 * 3_600_000L;

    private CameraStateTtl() {
    }

    public static StateTtlConfig config(long ttlMs) {
        if (ttlMs < 1) {
            throw new IllegalArgumentException("camera state TTL must be positive, got " + ttlMs);
        }
        return StateTtlConfig.newBuilder(Duration.ofMillis(ttlMs))
                .setUpdateType(StateTtlConfig.UpdateType.OnReadAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupFullSnapshot()
                .build();
    }

    /** {@code d} with the TTL enabled. */
    public static <D extends StateDescriptor<?, ?>> D expiring(D d, long ttlMs) {
        d.enableTimeToLive(config(ttlMs));
        return d;
    }
}
