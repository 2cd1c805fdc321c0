package io.framewise.operators.zones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.framewise.operators.records.CameraConfig;
import io.framewise.operators.records.Zone;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each frame gets the configuration in force at its capture time. */
class ZoneHistoryTest {

    static final Zone Z = new Zone("z", new float[] {0, 0, 1, 0, 1, 1});

    @Test
    void theLatestAtOrBeforeTheFrameElseTheFile() {
        CameraConfig file = new CameraConfig("c", CameraConfig.ALWAYS, List.of(Z));
        List<CameraConfig> h = ZoneHistory.add(null, CameraConfig.none("c", 200));
        h = ZoneHistory.add(h, new CameraConfig("c", 100, List.of(Z))); // arrives out of order
        assertEquals(List.of(100L, 200L), h.stream().map(CameraConfig::sinceMs).toList());
        assertEquals(file, ZoneHistory.at(h, 99, file));
        assertEquals(100, ZoneHistory.at(h, 100, file).sinceMs());
        assertEquals(100, ZoneHistory.at(h, 199, file).sinceMs());
        assertEquals(List.of(), ZoneHistory.at(h, 200, file).zones());
        assertNull(ZoneHistory.at(null, 5, null));
        // the same time again replaces
        h = ZoneHistory.add(h, new CameraConfig("c", 200, List.of(Z)));
        assertEquals(List.of(Z), ZoneHistory.at(h, 500, file).zones());
        assertEquals(2, h.size());
    }

    @Test
    void keepsTheLastVersions() {
        List<CameraConfig> h = null;
        for (int i = 0; i < ZoneHistory.MAX_VERSIONS + 5; i++) {
            h = ZoneHistory.add(h, CameraConfig.none("c", i));
        }
        assertEquals(ZoneHistory.MAX_VERSIONS, h.size());
        assertEquals(5, h.get(0).sinceMs());
    }
}
