package io.framewise.operators.episode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.framewise.operators.records.Episode;
import io.framewise.operators.records.LabeledEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** EpisodeFunction in a keyed harness with event time under the test's control (watermarks by hand). */
class EpisodeFunctionTest {

    static final int MAX_PARALLELISM = 128;
    static final EpisodeSettings SETTINGS = new EpisodeSettings(2, 1000, 3_600_000);

    private long offset;

    @Test
    void opensAfterMinFramesAndClosesAfterTheGapOfEventTime() throws Exception {
        try (var h = harness(1, 0, null)) {
            for (long t = 0; t <= 400; t += 100) {
                h.processElement(event("cam-1", t, "macaw"), t);
            }
            h.processElement(event("cam-1", 500, "goldfish"), 500);
            h.processWatermark(499);
            assertEquals(List.of("OPEN cam-1/macaw/0 0..100 f2"), lines(h));
            h.processWatermark(1399);
            assertEquals(List.of(), lines(h), "absent for 900 ms of event time only");
            h.processWatermark(1400);
            assertEquals(List.of("CLOSE cam-1/macaw/0 0..400 f5"), lines(h));
        }
    }

    @Test
    void outOfOrderWithinTheBoundIsAppliedInEventTimeOrder() throws Exception {
        try (var h = harness(1, 0, null)) {
            h.processElement(event("cam-1", 0, "macaw"), 0);
            h.processElement(event("cam-1", 200, "macaw"), 200);
            h.processElement(event("cam-1", 100, "goldfish"), 100); // arrives last, belongs in the middle
            h.processElement(event("cam-1", 300, "macaw"), 300);
            h.processWatermark(300);
            // in arrival order macaw would have opened at 200 from 0; in event time goldfish broke it
            assertEquals(List.of("OPEN cam-1/macaw/200 200..300 f2"), lines(h));
        }
    }

    @Test
    void lateFramesAreCountedAndNeverReopenAClosedEpisode() throws Exception {
        EpisodeFunction fn = new EpisodeFunction(SETTINGS, new TopClassObservations(0.5));
        try (var h = harness(fn, 1, 0, null)) {
            h.processElement(event("cam-1", 0, "macaw"), 0);
            h.processElement(event("cam-1", 100, "macaw"), 100);
            h.processWatermark(5000);
            assertEquals(List.of("OPEN cam-1/macaw/0 0..100 f2", "CLOSE cam-1/macaw/0 0..100 f2"), lines(h));
            h.processElement(event("cam-1", 4000, "macaw"), 4000);
            h.processElement(event("cam-1", 5000, "macaw"), 5000);
            h.processWatermark(20_000);
            assertEquals(List.of(), lines(h));
            assertEquals(2, fn.lateFrames());
        }
    }

    @Test
    void aQuietCameraClosesAsOtherCamerasMoveTheWatermark() throws Exception {
        try (var h = harness(1, 0, null)) {
            h.processElement(event("quiet", 0, "macaw"), 0);
            h.processElement(event("quiet", 100, "macaw"), 100);
            for (long t = 0; t <= 2000; t += 100) { // only the busy camera sends from now on
                h.processElement(event("busy", t, "goldfish", 0.1f), t);
                h.processWatermark(t);
            }
            assertEquals(List.of("OPEN quiet/macaw/0 0..100 f2", "CLOSE quiet/macaw/0 0..100 f2"), lines(h));
        }
    }

    @Test
    void anObservationExactlyAtTheGapStartsANewEpisode() throws Exception {
        try (var h = harness(1, 0, null)) {
            for (long t : new long[] {0, 100, 1099, 2099, 2100}) {
                h.processElement(event("cam-1", t, "macaw"), t);
            }
            h.processWatermark(10_000);
            assertEquals(List.of("OPEN cam-1/macaw/0 0..100 f2", "CLOSE cam-1/macaw/0 0..1099 f3",
                    "OPEN cam-1/macaw/2099 2099..2100 f2", "CLOSE cam-1/macaw/2099 2099..2100 f2"), lines(h));
        }
    }

    @Test
    void lowScoresAreNoObservation() throws Exception {
        try (var h = harness(1, 0, null)) {
            for (long t = 0; t <= 500; t += 100) {
                h.processElement(event("cam-1", t, "macaw", 0.3f), t);
            }
            h.processWatermark(10_000);
            assertEquals(List.of(), lines(h));
        }
    }

    @Test
    void restoredMidEpisodeNeitherOpensNorClosesTwice() throws Exception {
        List<String> all = new ArrayList<>();
        OperatorSubtaskState snap;
        try (var h = harness(1, 0, null)) {
            h.processElement(event("cam-1", 0, "macaw"), 0);
            h.processElement(event("cam-1", 100, "macaw"), 100);
            h.processElement(event("cam-1", 200, "macaw"), 200); // pending: behind no watermark yet
            h.processWatermark(100);
            all.addAll(lines(h));
            snap = h.snapshot(1, 1);
            h.processElement(event("cam-1", 300, "macaw"), 300); // after the checkpoint: lost with the failure
        }
        try (var h = harness(1, 0, snap)) {
            h.processElement(event("cam-1", 300, "macaw"), 300); // the source replays it
            h.processWatermark(10_000);
            all.addAll(lines(h));
        }
        assertEquals(List.of("OPEN cam-1/macaw/0 0..100 f2", "CLOSE cam-1/macaw/0 0..300 f4"), all);
    }

    @Test
    void rescaledOneToTwoToOneMidEpisode() throws Exception {
        List<String> cameras = List.of("cam-a", "cam-b", "cam-c", "cam-d", "cam-e", "cam-f");
        List<String> all = new ArrayList<>();
        OperatorSubtaskState one;
        try (var h = harness(1, 0, null)) {
            for (String c : cameras) {
                h.processElement(event(c, 0, "macaw"), 0);
                h.processElement(event(c, 100, "macaw"), 100);
            }
            h.processWatermark(100);
            all.addAll(lines(h));
            one = h.snapshot(1, 1);
        }
        OperatorSubtaskState[] two = new OperatorSubtaskState[2];
        for (int i = 0; i < 2; i++) {
            OperatorSubtaskState part = AbstractStreamOperatorTestHarness.repartitionOperatorState(one,
                    MAX_PARALLELISM, 1, 2, i);
            try (var h = harness(2, i, part)) {
                for (String c : cameras) {
                    if (KeyGroupRangeAssignment.assignKeyToParallelOperator(c, MAX_PARALLELISM, 2) == i) {
                        h.processElement(event(c, 500, "macaw"), 500);
                    }
                }
                h.processWatermark(500);
                all.addAll(lines(h));
                two[i] = h.snapshot(2, 2);
            }
        }
        OperatorSubtaskState merged = AbstractStreamOperatorTestHarness.repartitionOperatorState(
                AbstractStreamOperatorTestHarness.repackageState(two), MAX_PARALLELISM, 2, 1, 0);
        try (var h = harness(1, 0, merged)) {
            h.processWatermark(10_000);
            all.addAll(lines(h));
        }
        List<String> expected = new ArrayList<>();
        for (String c : cameras) {
            expected.add("OPEN " + c + "/macaw/0 0..100 f2");
            expected.add("CLOSE " + c + "/macaw/0 0..500 f3");
        }
        assertEquals(expected.stream().sorted().toList(), all.stream().sorted().toList());
    }

    @Test
    void aCameraHoldsAtMostMaxPendingFramesForTheWatermark() throws Exception {
        // a partition far ahead of the others: the watermark stays at 0 while cam-1 sends 11 frames
        EpisodeFunction fn = new EpisodeFunction(new EpisodeSettings(2, 1000, 3_600_000, 10),
                new TopClassObservations(0.5));
        try (var h = harness(fn, 1, 0, null)) {
            h.processWatermark(0);
            for (long t = 100; t <= 1000; t += 100) {
                h.processElement(event("cam-1", t, "macaw"), t);
            }
            assertEquals(List.of(), lines(h), "10 pending frames: within the cap, waiting for the watermark");
            assertEquals(0, fn.framesReleasedEarly());
            h.processElement(event("cam-1", 1100, "macaw"), 1100);
            // 11 > 10: the oldest 6 (100..600) are applied now, in capture-time order
            assertEquals(List.of("OPEN cam-1/macaw/100 100..200 f2"), lines(h));
            assertEquals(6, fn.framesReleasedEarly());
            h.processElement(event("cam-1", 600, "goldfish"), 600); // at the released time: late
            h.processElement(event("cam-1", 650, "goldfish"), 650); // after it, within the pending ones
            assertEquals(1, fn.lateFrames());
            h.processWatermark(5000);
            // 650 (goldfish) broke nothing: the episode was open; it closes after the last macaw at 1100
            assertEquals(List.of("CLOSE cam-1/macaw/100 100..1100 f11"), lines(h));
        }
    }

    @Test
    void framesOfOneInstantAreReleasedTogether() throws Exception {
        EpisodeFunction fn = new EpisodeFunction(new EpisodeSettings(2, 1000, 3_600_000, 4),
                new TopClassObservations(0.5));
        try (var h = harness(fn, 1, 0, null)) {
            h.processWatermark(0);
            h.processElement(event("cam-1", 100, "macaw"), 100);
            for (String c : List.of("a", "b", "c")) {
                h.processElement(event("cam-1", 200, c), 200); // three frames captured at the same instant
            }
            h.processElement(event("cam-1", 300, "macaw"), 300);
            // 5 > 4: half the cap leaves 3 due (100, 200, 200), and the third 200 goes with them: 4
            assertEquals(4, fn.framesReleasedEarly());
            h.processElement(event("cam-1", 200, "late"), 200);
            assertEquals(1, fn.lateFrames());
        }
    }

    LabeledEvent event(String camera, long pts, String label) {
        return event(camera, pts, label, 0.9f);
    }

    LabeledEvent event(String camera, long pts, String label, float score) {
        return new LabeledEvent(camera, offset, 0, pts, pts, "frames", 0, offset++, "m", "0".repeat(64),
                List.of(new LabeledEvent.Top(1, label, score)), true, "0-1", 1, new LabeledEvent.Latency(0, 0, 0, 0));
    }

    static List<String> lines(EpisodeHarness h) {
        List<String> out = new ArrayList<>();
        for (Episode e : h.extractOutputValues()) {
            out.add(e.kind() + " " + e.episodeId() + " " + e.startMs() + ".." + e.endMs() + " f" + e.frames());
        }
        h.getOutput().clear();
        return out;
    }

    static EpisodeHarness harness(int parallelism, int subtask, OperatorSubtaskState state) throws Exception {
        return harness(new EpisodeFunction(SETTINGS, new TopClassObservations(0.5)), parallelism, subtask, state);
    }

    static EpisodeHarness harness(EpisodeFunction fn, int parallelism, int subtask, OperatorSubtaskState state)
            throws Exception {
        return new EpisodeHarness(fn, MAX_PARALLELISM, parallelism, subtask, state);
    }
}
