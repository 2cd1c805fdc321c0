package io.framewise.operators.episode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.framewise.operators.records.Box;
import io.framewise.operators.records.CameraConfig;
import io.framewise.operators.records.Episode;
import io.framewise.operators.records.LabeledEvent;
import io.framewise.operators.records.Zone;
import io.framewise.operators.zones.ZoneSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Zones in the episode operator: broadcast configurations, the zones file, checkpoints and rescaling. */
class EpisodeZonesTest {

    static final EpisodeSettings SETTINGS = new EpisodeSettings(2, 1000, 3_600_000);
    static final Zone LEFT = new Zone("left", new float[] {0, 0, 0.5f, 0, 0.5f, 1, 0, 1});
    static final Zone ALL = new Zone("all", new float[] {0, 0, 1, 0, 1, 1, 0, 1});
    static final Box IN_LEFT = new Box(0.1f, 0.1f, 0.3f, 0.3f);
    static final Box IN_RIGHT = new Box(0.7f, 0.1f, 0.9f, 0.3f);

    private long offset;

    /** Events whose "label" is "person" and whose box is given by the label: left, right or none. */
    static final ObservationSource BOXES = e -> {
        String where = e.top().get(0).label();
        Box b = where.equals("left") ? IN_LEFT : where.equals("right") ? IN_RIGHT : null;
        return List.of(new Observation(e.camera(), "person", Observation.AREA, 0.1, b));
    };

    @Test
    void aConfigurationAppliesToTheEventsAfterItAndTheirEpisodesCarryTheZone() throws Exception {
        try (var h = harness(new EpisodeFunction(SETTINGS, new TopClassObservations(0.5)), null)) {
            h.processElement(event("cam-1", 0, "macaw"), 0);
            h.processElement(event("cam-1", 100, "macaw"), 100);
            h.processWatermark(100);
            assertEquals(List.of("OPEN cam-1/macaw/0 0..100 f2 -"), lines(h));
            h.processConfig(new CameraConfig("cam-1", 150, List.of(ALL)));
            h.processConfig(new CameraConfig("cam-other", 0, List.of(ALL)));
            for (long t = 200; t <= 400; t += 100) {
                h.processElement(event("cam-1", t, "macaw"), t);
            }
            h.processWatermark(400);
            // classification has no box: the whole picture, which the zone "all" covers
            assertEquals(List.of("OPEN cam-1/macaw@all/200 200..300 f2 all"), lines(h));
            h.processWatermark(10_000);
            assertEquals(List.of("CLOSE cam-1/macaw/0 0..400 f5 -", "CLOSE cam-1/macaw@all/200 200..400 f3 all"),
                    lines(h));
        }
    }

    @Test
    void aConfigurationAppliesFromItsTimeOnEvenToFramesThatArrivedBeforeIt() throws Exception {
        try (var h = harness(new EpisodeFunction(SETTINGS, new TopClassObservations(0.5)), null)) {
            for (long t = 0; t <= 500; t += 100) {
                h.processElement(event("cam-1", t, "macaw"), t);
            }
            // arrives after the frames, before they are behind the watermark; applies from 300 on
            h.processConfig(new CameraConfig("cam-1", 300, List.of(ALL)));
            h.processWatermark(10_000);
            assertEquals(List.of("OPEN cam-1/macaw/0 0..100 f2 -", "OPEN cam-1/macaw@all/300 300..400 f2 all",
                    "CLOSE cam-1/macaw/0 0..500 f6 -", "CLOSE cam-1/macaw@all/300 300..500 f3 all"), lines(h));
        }
    }

    @Test
    void boxesCountForTheZonesTheyAreInAndTheWholePicture() throws Exception {
        try (var h = harness(new EpisodeFunction(SETTINGS, BOXES), null)) {
            h.processConfig(new CameraConfig("cam-1", 0, List.of(LEFT, ALL)));
            String[] path = {"left", "left", "left", "right", "left", "right", "right"};
            for (int i = 0; i < path.length; i++) {
                h.processElement(event("cam-1", i * 100L, path[i]), i * 100L);
            }
            h.processWatermark(10_000);
            // left: opens at 100, a frame on the right neither counts for it nor closes it within the gap, the
            // left frame at 400 continues it; the whole picture and "all" see every frame
            assertEquals(sorted(List.of(
                    "OPEN cam-1/person/0 0..100 f2 -", "OPEN cam-1/person@all/0 0..100 f2 all",
                    "OPEN cam-1/person@left/0 0..100 f2 left",
                    "CLOSE cam-1/person/0 0..600 f7 -", "CLOSE cam-1/person@all/0 0..600 f7 all",
                    "CLOSE cam-1/person@left/0 0..400 f4 left")), sorted(lines(h)));
        }
    }

    @Test
    void theZonesFileIsTheStartAndATombstoneRemovesItsZones() throws Exception {
        ZoneSettings file = new ZoneSettings(Map.of("cam-1", new CameraConfig("cam-1", CameraConfig.ALWAYS, List.of(LEFT))), 0.5);
        try (var h = harness(new EpisodeFunction(SETTINGS, BOXES, file), null)) {
            h.processElement(event("cam-1", 0, "left"), 0);
            h.processElement(event("cam-1", 100, "left"), 100);
            h.processWatermark(100);
            assertEquals(List.of("OPEN cam-1/person/0 0..100 f2 -", "OPEN cam-1/person@left/0 0..100 f2 left"),
                    sorted(lines(h)));
            h.processConfig(CameraConfig.none("cam-1", 1000));
            h.processElement(event("cam-1", 5000, "left"), 5000);
            h.processElement(event("cam-1", 5100, "left"), 5100);
            h.processWatermark(20_000);
            assertEquals(List.of("CLOSE cam-1/person/0 0..100 f2 -", "CLOSE cam-1/person/5000 5000..5100 f2 -",
                    "CLOSE cam-1/person@left/0 0..100 f2 left", "OPEN cam-1/person/5000 5000..5100 f2 -"),
                    sorted(lines(h)), "after the tombstone, no zone episode");
        }
    }

    @Test
    void whenTheFramesGoIdleTheIdleConfigInputDoesNotMoveEventTime() throws Exception {
        try (var h = harness(new EpisodeFunction(SETTINGS, new TopClassObservations(0.5)), null)) {
            h.processConfig(new CameraConfig("cam-1", 0, List.of(ALL)));
            h.processElement(event("cam-1", 0, "macaw"), 0);
            h.processElement(event("cam-1", 100, "macaw"), 100);
            h.processWatermark(100);
            assertEquals(2, lines(h).size());
            h.h.processWatermarkStatus1(WatermarkStatus.IDLE); // every frames partition idle
            assertEquals(List.of(), lines(h), "nothing closes: event time stands still");
            h.h.processWatermarkStatus1(WatermarkStatus.ACTIVE);
            h.processElement(event("cam-1", 200, "macaw"), 200); // not late
            h.processWatermark(5000);
            assertEquals(List.of("CLOSE cam-1/macaw/0 0..200 f3 -", "CLOSE cam-1/macaw@all/0 0..200 f3 all"), lines(h));
        }
    }

    @Test
    void theConfigurationSurvivesACheckpointAndARescale() throws Exception {
        List<String> cameras = List.of("cam-a", "cam-b", "cam-c", "cam-d");
        OperatorSubtaskState snap;
        try (var h = harness(new EpisodeFunction(SETTINGS, BOXES), null)) {
            for (String c : cameras) {
                h.processConfig(new CameraConfig(c, 0, List.of(LEFT)));
            }
            snap = h.snapshot(1, 1);
        }
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            OperatorSubtaskState part = AbstractStreamOperatorTestHarness.repartitionOperatorState(snap,
                    EpisodeFunctionTest.MAX_PARALLELISM, 1, 2, i);
            try (var h = new EpisodeHarness(new EpisodeFunction(SETTINGS, BOXES), EpisodeFunctionTest.MAX_PARALLELISM,
                    2, i, part)) {
                for (String c : cameras) {
                    if (KeyGroupRangeAssignment.assignKeyToParallelOperator(c,
                            EpisodeFunctionTest.MAX_PARALLELISM, 2) == i) {
                        h.processElement(event(c, 0, "left"), 0);
                        h.processElement(event(c, 100, "left"), 100);
                    }
                }
                h.processWatermark(100);
                all.addAll(lines(h));
            }
        }
        List<String> expected = new ArrayList<>();
        for (String c : cameras) {
            expected.add("OPEN " + c + "/person/0 0..100 f2 -");
            expected.add("OPEN " + c + "/person@left/0 0..100 f2 left");
        }
        assertEquals(sorted(expected), sorted(all));
    }

    static List<String> sorted(List<String> l) {
        return l.stream().sorted().toList();
    }

    LabeledEvent event(String camera, long pts, String label) {
        return new LabeledEvent(camera, offset, 0, pts, pts, "frames", 0, offset++, "m", "0".repeat(64),
                List.of(new LabeledEvent.Top(1, label, 0.9f)), true, "0-1", 1, new LabeledEvent.Latency(0, 0, 0, 0));
    }

    static List<String> lines(EpisodeHarness h) {
        List<String> out = new ArrayList<>();
        for (Episode e : h.extractOutputValues()) {
            out.add(e.kind() + " " + e.episodeId() + " " + e.startMs() + ".." + e.endMs() + " f" + e.frames() + " "
                    + (e.zone() == null ? "-" : e.zone()));
        }
        h.getOutput().clear();
        return out;
    }

    static EpisodeHarness harness(EpisodeFunction fn, OperatorSubtaskState state) throws Exception {
        return new EpisodeHarness(fn, EpisodeFunctionTest.MAX_PARALLELISM, 1, 0, state);
    }
}
