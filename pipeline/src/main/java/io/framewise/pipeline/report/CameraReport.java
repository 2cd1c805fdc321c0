package io.framewise.pipeline.report;

import io.framewise.operators.records.LabeledEvent;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the pages and the contact sheet show for one camera. */
public final class CameraReport {

    /** Colours for the most frequent labels, in rank order (Tableau 10); the rest share {@link #OTHER}. */
    static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
            "#ff9da7", "#9c755f"};
    static final String OTHER = "#bab0ac";

    /**
     * One sampled event.
     *
     * @param position  index into the camera's events
     * @param change    its top label differs from the previous event's
     * @param file      thumbnail path relative to the output folder, null when missing
     * @param image     the thumbnail, null when missing
     * @param missing   why there is no thumbnail, null when there is one
     */
    public record Shot(int position, LabeledEvent event, boolean change, String file, BufferedImage image, String missing) {
    }

    public final String camera;
    public final String slug;
    public final List<LabeledEvent> events;
    public final List<Shot> shots = new ArrayList<>();
    public final int changes;
    /** Label changes left out because there were more than the thumbnail budget. */
    public int changesNotShown;
    /** Top-1 label counts, most frequent first. */
    final Map<String, Integer> labelCounts;

    public CameraReport(String camera, String slug, List<LabeledEvent> events) {
        this.camera = camera;
        this.slug = slug;
        this.events = events;
        this.changes = Math.max(0, FrameSample.changes(events).size() - 1);
        Map<String, Integer> counts = new LinkedHashMap<>();
        events.forEach(e -> counts.merge(FrameSample.label(e), 1, Integer::sum));
        this.labelCounts = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(en -> labelCounts.put(en.getKey(), en.getValue()));
    }

    public String pageFile() {
        return "camera-" + slug + ".html";
    }

    public String contactSheetFile() {
        return "camera-" + slug + "-contact.png";
    }

    public long missing() {
        return shots.stream().filter(s -> s.missing() != null).count();
    }

    public long thumbnails() {
        return shots.size() - missing();
    }

    /** The colour of a label: by frequency rank, the tail shares one grey. */
    String color(String label) {
        int rank = 0;
        for (String l : labelCounts.keySet()) {
            if (l.equals(label)) {
                return rank < PALETTE.length ? PALETTE[rank] : OTHER;
            }
            rank++;
        }
        return OTHER;
    }

    /** Capture-relative time of an event in seconds (presentation time since the camera's first event). */
    double seconds(LabeledEvent e) {
        return (e.ptsMs() - events.get(0).ptsMs()) / 1000.0;
    }

    /** A file-name-safe camera id; a hash keeps ids that differ only in unsafe characters apart. */
    public static String slug(String camera) {
        String s = camera.replaceAll("[^A-Za-z0-9_-]", "_");
        if (s.length() > 60) {
            s = s.substring(0, 60);
        }
        return s.equals(camera) ? s : s + "-" + String.format("%08x", camera.hashCode());
    }
}
