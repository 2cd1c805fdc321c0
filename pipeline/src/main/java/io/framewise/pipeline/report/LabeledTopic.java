package io.framewise.pipeline.report;

import io.framewise.operators.kafka.LabeledEventJson;
import io.framewise.operators.records.LabeledEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The labeled topic as a snapshot ({@link TopicSnapshot}): every committed event up to the end
 * offsets taken at start, per camera in frame order.
 */
public final class LabeledTopic {

    /** What was read: events per camera in frame order, and the records that were no labeled event. */
    public record Snapshot(Map<String, List<LabeledEvent>> byCamera, long events, long unreadable) {
    }

    private LabeledTopic() {
    }

    /**
     * @param cameras only these cameras (empty: all)
     * @throws IllegalStateException when the topic does not exist or the end is not reached in time
     */
    public static Snapshot read(Properties base, String topic, Set<String> cameras, Duration timeout) {
        Map<String, List<LabeledEvent>> byCamera = new TreeMap<>();
        long[] counts = new long[2]; // events, unreadable
        boolean exists = TopicSnapshot.read(base, "framewise-report-labels", topic, timeout, r -> {
            LabeledEvent e;
            try {
                e = r.value() == null ? null : LabeledEventJson.fromJson(r.value());
            } catch (IllegalArgumentException bad) {
                e = null;
            }
            if (e == null) {
                counts[1]++;
            } else if (cameras.isEmpty() || cameras.contains(e.camera())) {
                byCamera.computeIfAbsent(e.camera(), k -> new ArrayList<>()).add(e);
                counts[0]++;
            }
        });
        if (!exists) {
            throw new IllegalStateException("labeled topic '" + topic + "' does not exist");
        }
        long events = counts[0];
        long unreadable = counts[1];
        // A camera's events share one partition and arrive in order; sorting makes replays and
        // re-partitioned topics read the same.
        Comparator<LabeledEvent> frameOrder = Comparator.comparingLong(LabeledEvent::sequence)
                .thenComparingInt(LabeledEvent::indexInSegment);
        long duplicates = 0;
        for (List<LabeledEvent> l : byCamera.values()) {
            l.sort(frameOrder);
            // Exactly-once output has no duplicates, but a topic fed by an at-least-once run may:
            // one frame, one thumbnail.
            Set<String> ids = new java.util.HashSet<>();
            int before = l.size();
            l.removeIf(e -> !ids.add(e.eventId()));
            duplicates += before - l.size();
        }
        return new Snapshot(byCamera, events - duplicates, unreadable);
    }
}
