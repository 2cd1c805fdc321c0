package io.framewise.pipeline.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.operators.kafka.CameraStatusJson;
import io.framewise.operators.kafka.EpisodeJson;
import io.framewise.operators.records.CameraStatus;
import io.framewise.operators.records.Episode;
import org.junit.jupiter.api.Test;

/** consume's one-line forms of episode and camera-status records, from the JSON the job writes. */
class EpisodeLineTest {

    @Test
    void anEpisodeIsOneLineWithCameraKindClassTimesAndFrames() throws Exception {
        Episode e = new Episode(Episode.Kind.CLOSE, "cam-1", "macaw, ara", "score", 1_795_800_722_000L,
                1_795_800_724_800L, 15, 14.55, 0.99, null, "f-0-0-0", "f-0-14-0");
        JsonNode o = new ObjectMapper().readTree(EpisodeJson.toJson(e));
        assertTrue(EpisodeLine.isEpisode(o));
        assertFalse(EpisodeLine.isCameraStatus(o));
        assertEquals("cam-1      close macaw                    2026-11-27T17:32:02Z .. 17:32:04.800Z     2.8 s"
                + "    15 frames  score 0.970", EpisodeLine.format(o));
    }

    @Test
    void aZonesEpisodeNamesItsZone() throws Exception {
        Episode e = new Episode(Episode.Kind.OPEN, "cam-1", "person", "area", 1_795_800_722_000L,
                1_795_800_722_400L, 3, 0.3, 0.1, null, "f-0-0-0", "f-0-2-0", "walkway");
        assertEquals("cam-1      open  person @walkway          2026-11-27T17:32:02Z .. 17:32:02.400Z     0.4 s"
                + "     3 frames  area 0.100", EpisodeLine.format(new ObjectMapper().readTree(EpisodeJson.toJson(e))));
    }

    @Test
    void aCameraStatusIsOneLine() throws Exception {
        JsonNode o = new ObjectMapper().readTree(CameraStatusJson.toJson(
                new CameraStatus("cam-2", CameraStatus.State.STALLED, 1_795_800_732_000L, 1_795_800_722_000L, 10_000)));
        assertTrue(EpisodeLine.isCameraStatus(o));
        assertFalse(EpisodeLine.isEpisode(o));
        assertEquals("cam-2      STALLED  at 2026-11-27T17:32:12Z  silent for 10.0 s", EpisodeLine.formatStatus(o));
    }
}
