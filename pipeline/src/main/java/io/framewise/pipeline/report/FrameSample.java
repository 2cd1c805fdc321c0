package io.framewise.pipeline.report;

import io.framewise.inference.exec.Segmentation;
import io.framewise.operators.records.LabeledEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * Which of a camera's events get a thumbnail: every label change (the first event counts as one),
 * then evenly spaced events until {@code max}. When the changes alone are more than {@code max}
 * (a flickering label), they are thinned evenly to {@code max} and the page says so.
 *
 * <p>A segmentation event's "label" is the set of classes (background left out) covering at least
 * {@link #CLASS_SET_MIN} of its class map, e.g. {@code person} or {@code chair+person}, and
 * {@code background} when none does: a label change is a change of that set.
 */
public final class FrameSample {

    private FrameSample() {
    }

    /** Share of the class map a class needs to count in a segmentation event's class set. */
    public static final double CLASS_SET_MIN = 0.01;

    /** The top-1 label of an event, or "" when the event carries no classes; for segmentation its class set. */
    static String label(LabeledEvent e) {
        if (e.classes() != null) {
            StringJoiner set = new StringJoiner("+");
            e.classes().stream().filter(c -> c.index() != 0 && c.fraction() >= CLASS_SET_MIN)
                    .map(Segmentation.ClassArea::label).sorted().forEach(set::add);
            return set.length() == 0 ? "background" : set.toString();
        }
        return e.top().isEmpty() ? "" : e.top().get(0).label();
    }

    /** The number shown beside the label: the top-1 score, or the largest non-background area fraction. */
    static double score(LabeledEvent e) {
        if (e.classes() != null) {
            return e.classes().stream().filter(c -> c.index() != 0).mapToDouble(Segmentation.ClassArea::fraction)
                    .max().orElse(0);
        }
        return e.top().isEmpty() ? 0 : e.top().get(0).score();
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
