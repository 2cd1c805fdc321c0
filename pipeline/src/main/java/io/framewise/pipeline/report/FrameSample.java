package io.framewise.pipeline.report;

import io.framewise.operators.records.LabeledEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Which of a camera's events get a thumbnail: every label change (the first event counts as one),
 * then evenly spaced events until {@code max}. When the changes alone are more than {@code max}
 * (a flickering label), they are thinned evenly to {@code max} and the page says so.
 */
public final class FrameSample {

    private FrameSample() {
    }

    /** The top-1 label of an event, or "" when the event carries no classes. */
    static String label(LabeledEvent e) {
        return e.top().isEmpty() ? "" : e.top().get(0).label();
    }

    /** Positions of events whose top label differs from the previous event's (always includes 0). */
    public static List<Integer> changes(List<LabeledEvent> events) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (i == 0 || !label(events.get(i)).equals(label(events.get(i - 1)))) {
                out.add(i);
            }
        }
        return out;
    }

    /** Sorted positions of the sampled events. */
    public static List<Integer> pick(List<LabeledEvent> events, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, got " + max);
        }
        int n = events.size();
        if (n <= max) {
            return java.util.stream.IntStream.range(0, n).boxed().toList();
        }
        List<Integer> changes = changes(events);
        TreeSet<Integer> picked = new TreeSet<>();
        if (changes.size() >= max) {
            for (int k = 0; k < max; k++) {
                picked.add(changes.get((int) ((long) k * changes.size() / max)));
            }
            return List.copyOf(picked);
        }
        picked.addAll(changes);
        // Evenly spaced fill: a stride that leaves room for the changes, then finer ones until full
        // (n > max here, so slots = n would take every event: the loop always fills up).
        for (int slots = max - picked.size(); picked.size() < max; slots++) {
            for (int k = 0; k < slots && picked.size() < max; k++) {
                picked.add((int) ((long) k * n / slots));
            }
        }
        return List.copyOf(picked);
    }
}
