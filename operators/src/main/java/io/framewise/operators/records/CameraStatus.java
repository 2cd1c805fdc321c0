package io.framewise.operators.records;

import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A camera's change of state (JSON form: {@code kafka.CameraStatusJson}, schema in
 * {@code docs/camera-status.schema.json}).
 *
 * @param state      {@link State#STALLED} or {@link State#RESUMED}
 * @param atMs       processing time of the change, epoch milliseconds
 * @param lastSeenMs processing time of the camera's last record before the gap
 * @param gapMs      for RESUMED: the silence that ended; for STALLED: the silence so far
 */
@TypeInfo(CameraStatusSerializer.TypeFactory.class)
public record CameraStatus(String camera, State state, long atMs, long lastSeenMs, long gapMs) {

    public enum State { STALLED, RESUMED }

    public CameraStatus {
        Objects.requireNonNull(camera, "camera");
        Objects.requireNonNull(state, "state");
    }
}
