package io.framewise.operators.records;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One camera's configuration as the episode operator holds it (broadcast state): its zones. From the
 * zones file at start-up and from the compacted {@code camera-config} topic while the job runs (JSON
 * form: {@code kafka.CameraConfigJson}); a record for a camera replaces everything known about it for
 * frames captured from its time on, and an empty zone list (or a tombstone) removes its zones.
 *
 * @param sinceMs event time from which it applies: the Kafka timestamp of its {@code camera-config}
 *                record; {@link #ALWAYS} for the zones file
 * @param zones   at most {@value #MAX_ZONES}, names unique
 */
@TypeInfo(CameraConfigSerializer.TypeFactory.class)
public record CameraConfig(String camera, long sinceMs, List<Zone> zones) implements Serializable {

    /** {@link #sinceMs} of the zones file: before any record. */
    public static final long ALWAYS = Long.MIN_VALUE;

    public static final int MAX_ZONES = 64;

    public CameraConfig {
        Objects.requireNonNull(camera, "camera");
        zones = List.copyOf(zones);
        if (zones.size() > MAX_ZONES) {
            throw new IllegalArgumentException("camera " + camera + ": at most " + MAX_ZONES + " zones, got "
                    + zones.size());
        }
        Set<String> names = new HashSet<>();
        for (Zone z : zones) {
            if (!names.add(z.name())) {
                throw new IllegalArgumentException("camera " + camera + ": zone name " + z.name() + " appears twice");
            }
        }
    }

    /** The camera without zones from {@code sinceMs} on (what a tombstone says). */
    public static CameraConfig none(String camera, long sinceMs) {
        return new CameraConfig(camera, sinceMs, List.of());
    }
}
