package io.framewise.operators.zones;

import io.framewise.operators.records.CameraConfig;
import java.io.Serializable;
import java.util.Map;

/**
 * Zones for the episode operator ({@code framewise.episode.zones-file}, {@code framewise.episode.zone-min-overlap}).
 *
 * @param fromFile   each camera's zones from the zones file, read at start-up; a {@code camera-config}
 *                   record for a camera replaces its entry while the job runs
 * @param minOverlap the share of an observation's box that must lie inside a zone (0 exclusive..1)
 */
public record ZoneSettings(Map<String, CameraConfig> fromFile, double minOverlap) implements Serializable {

    public static final ZoneSettings NONE = new ZoneSettings(Map.of(), 0.5);

    public ZoneSettings {
        fromFile = Map.copyOf(fromFile);
        if (!(minOverlap > 0 && minOverlap <= 1)) {
            throw new IllegalArgumentException("zone min-overlap must be in (0, 1], got " + minOverlap);
        }
    }
}
