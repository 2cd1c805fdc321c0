package io.framewise.operators.zones;

import io.framewise.operators.records.CameraConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A camera's configurations from the {@code camera-config} topic in the order of their times
 * ({@link CameraConfig#sinceMs}), so each frame is looked up by its capture time: the zones in force when
 * it was captured, the same on every replay. The last {@value #MAX_VERSIONS} are kept (older frames are
 * behind the watermark long before then); a frame older than every one kept gets the zones file's.
 */
public final class ZoneHistory {

    public static final int MAX_VERSIONS = 16;

    private ZoneHistory() {
    }

    /** {@code history} (oldest first, may be null) with {@code c}; one at the same time is replaced. */
    public static List<CameraConfig> add(List<CameraConfig> history, CameraConfig c) {
        List<CameraConfig> out = new ArrayList<>(history == null ? List.of() : history);
        out.removeIf(v -> v.sinceMs() == c.sinceMs());
        out.add(c);
        out.sort(Comparator.comparingLong(CameraConfig::sinceMs));
        return out.size() <= MAX_VERSIONS ? out : new ArrayList<>(out.subList(out.size() - MAX_VERSIONS, out.size()));
    }

    /** The configuration in force at {@code tMs}: the latest at or before it, else {@code fromFile} (may be null). */
    public static CameraConfig at(List<CameraConfig> history, long tMs, CameraConfig fromFile) {
        CameraConfig in = fromFile;
        if (history != null) {
            for (CameraConfig v : history) {
                if (v.sinceMs() > tMs) {
                    break;
                }
                in = v;
            }
        }
        return in;
    }
}
