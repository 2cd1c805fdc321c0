package io.framewise.pipeline.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.inference.exec.Segmentation;
import io.framewise.operators.kafka.LabeledEventJson;
import io.framewise.operators.records.LabeledEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** consume's one-line form of labeled events, both tasks, from the JSON the job writes. */
class EventLineTest {

    @Test
    void aClassificationEventShowsItsTopLabelAndScore() throws Exception {
        LabeledEvent e = new LabeledEvent("cam-1", 42, 3, 0, 0, "frames", 0, 7, "m", "0".repeat(64),
                List.of(new LabeledEvent.Top(281, "tabby, tabby cat", 0.8125f)), true, "0-1", 8,
                new LabeledEvent.Latency(1, 2, 3, 45));
        assertEquals("cam-1      frame 42+3     tabby                           0.813  e2e    45 ms  batch 8",
                EventLine.format(json(e)));
    }

    @Test
    void aSegmentationEventShowsTheClassesOfAtLeastOnePercentLargestFirstWithoutBackground() throws Exception {
        LabeledEvent e = segmentation(List.of(area(0, "background", 0.88), area(7, "car", 0.021),
                area(15, "person", 0.083), area(2, "bicycle", 0.004)));
        assertEquals("cam-2      frame 5        person 8.3% car 2.1%                  e2e   120 ms  batch 1",
                EventLine.format(json(e)));
    }

    @Test
    void aSegmentationEventWithOnlyBackgroundShowsADash() throws Exception {
        String line = EventLine.format(json(segmentation(List.of(area(0, "background", 1.0)))));
        assertTrue(line.contains("frame 5        -   "), line);
    }

    private static LabeledEvent segmentation(List<Segmentation.ClassArea> classes) {
        return new LabeledEvent("cam-2", 5, 0, 0, 0, "frames", 0, 9, "deeplab", "0".repeat(64), List.of(), true,
                "0-2", 1, new LabeledEvent.Latency(1, 2, 100, 120), null, classes, "1".repeat(64));
    }

    private static Segmentation.ClassArea area(int index, String label, double fraction) {
        return new Segmentation.ClassArea(index, label, Math.round(fraction * 1000), fraction,
                new int[] {0, 0, 9, 9}, new double[] {0, 0, 0.5, 0.5}, List.of());
    }

    private static JsonNode json(LabeledEvent e) throws Exception {
        return new ObjectMapper().readTree(LabeledEventJson.toJson(e));
    }
}
