package io.framewise.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.inference.exec.Segmentation;
import io.framewise.operators.records.LabeledEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FrameSampleTest {

    @Test
    void everyLabelChangeThenEvenlySpacedUpToTheBudget() {
        List<LabeledEvent> ev = events("a".repeat(40) + "b".repeat(3) + "a".repeat(57)); // changes at 0, 40, 43
        List<Integer> picked = FrameSample.pick(ev, 10);
        assertEquals(10, picked.size());
        assertTrue(picked.containsAll(List.of(0, 40, 43)), picked.toString());
        // the fill spreads over the whole run: no gap longer than twice the even spacing
        int prev = 0;
        for (int p : picked) {
            assertTrue(p - prev <= 2 * 100 / 10, picked.toString());
            prev = p;
        }
        assertTrue(100 - prev <= 2 * 100 / 10, picked.toString());
    }

    @Test
    void shortRunsAreShownWhole() {
        assertEquals(List.of(0, 1, 2, 3), FrameSample.pick(events("abba"), 10));
    }

    @Test
    void aFlickeringLabelIsThinnedToTheBudget() {
        List<LabeledEvent> ev = events("ab".repeat(50)); // 100 changes
        List<Integer> picked = FrameSample.pick(ev, 8);
        assertEquals(8, picked.size());
        assertEquals(0, picked.get(0));
        assertTrue(picked.get(7) >= 80, picked.toString());
        assertEquals(99, FrameSample.changes(ev).size() - 1);
    }

    @Test
    void fileNameSafeSlugsAndHtmlEscaping() {
        assertEquals("cam-1", CameraReport.slug("cam-1"));
        assertTrue(CameraReport.slug("../etc/passwd").matches("[A-Za-z0-9_-]+"));
        assertTrue(!CameraReport.slug("a/b").equals(CameraReport.slug("a_b")));
        assertEquals("&lt;img src=x onerror=&quot;a&#39;&quot;&gt; &amp;", HtmlPages.escape("<img src=x onerror=\"a'\"> &"));
    }

    @Test
    void segmentationChangesAreChangesOfTheClassSetAtOnePercent() {
        List<LabeledEvent> ev = new ArrayList<>();
        ev.add(segmentation(0, Map.of()));
        ev.add(segmentation(1, Map.of(15, 0.004)));             // a person below 1 %: still background
        ev.add(segmentation(2, Map.of(15, 0.05)));              // person
        ev.add(segmentation(3, Map.of(15, 0.20)));              // person, larger: no change
        ev.add(segmentation(4, Map.of(15, 0.20, 9, 0.03)));     // chair joins
        ev.add(segmentation(5, Map.of(9, 0.03, 15, 0.30)));     // same set
        assertEquals("background", FrameSample.label(ev.get(1)));
        assertEquals("chair+person", FrameSample.label(ev.get(4)));
        assertEquals(List.of(0, 2, 4), FrameSample.changes(ev));
        assertEquals(0.30, FrameSample.score(ev.get(5)), 1e-9);
    }

    /** A segmentation event: background covers what the classes (index to fraction) leave. */
    private static LabeledEvent segmentation(int i, Map<Integer, Double> classes) {
        List<Segmentation.ClassArea> areas = new ArrayList<>();
        double rest = 1 - classes.values().stream().mapToDouble(Double::doubleValue).sum();
        areas.add(area(0, "background", rest));
        new TreeMap<>(classes).forEach((k, f) -> areas.add(area(k, k == 15 ? "person" : "chair", f)));
        return new LabeledEvent("cam", i, 0, 1000L + 80L * i, 80L * i, "frames", 0, i, "m.tflite", "00", List.of(),
                true, "0-" + i, 1, new LabeledEvent.Latency(1, 2, 3, 40), null, areas, "ab".repeat(32));
    }

    private static Segmentation.ClassArea area(int index, String label, double fraction) {
        return new Segmentation.ClassArea(index, label, Math.round(fraction * 1000), fraction, new int[] {0, 0, 9, 9},
                new double[] {0, 0, 1, 1}, List.of());
    }

    /** One event per character, the character as its top label. */
    private static List<LabeledEvent> events(String labels) {
        List<LabeledEvent> out = new ArrayList<>();
        for (int i = 0; i < labels.length(); i++) {
            out.add(new LabeledEvent("cam", i, 0, 1000L + 80L * i, 80L * i, "frames", 0, i, "m.tflite", "00",
                    List.of(new LabeledEvent.Top(i, String.valueOf(labels.charAt(i)), 0.9f)), true, "0-" + i, 1,
                    new LabeledEvent.Latency(1, 2, 3, 40)));
        }
        return out;
    }
}
