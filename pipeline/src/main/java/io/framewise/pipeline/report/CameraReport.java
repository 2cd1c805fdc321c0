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
     * @param mapMatches segmentation: whether the class map computed again has the event's {@code mapSha256}
     *                  (null for classification, or when no map could be computed)
     */
    public record Shot(int position, LabeledEvent event, boolean change, String file, BufferedImage image, String missing,
                       Boolean mapMatches) {
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
    /** True when the camera's events are segmentation events (the first event's task). */
    public final boolean segmentation;
    /** The camera's episodes (episodes topic), by start. */
    public final List<EpisodeTopic.Bar> episodes;
    /** The thumbnail of the frame where each episode opened, by the episode's index in {@link #episodes}. */
    public final Map<Integer, Shot> openings = new LinkedHashMap<>();
    /** Why masks could not be drawn (e.g. the model file is not here), null when they were. */
    public String maskProblem;
    /** SHA-256 of the model file the masks were computed with (compare the events' {@code modelSha256}). */
    public String maskModelSha256;

    public CameraReport(String camera, String slug, List<LabeledEvent> events) {
        this(camera, slug, events, List.of());
    }

    public CameraReport(String camera, String slug, List<LabeledEvent> events, List<EpisodeTopic.Bar> episodes) {
        this.camera = camera;
        this.slug = slug;
        this.events = events;
        this.episodes = List.copyOf(episodes);
        this.segmentation = !events.isEmpty() && events.get(0).classes() != null;
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

    /** Sampled segmentation frames whose class map, computed again, is not the event's (another model file?). */
    public long mapMismatches() {
        return java.util.stream.Stream.concat(shots.stream(), openings.values().stream())
                .filter(s -> Boolean.FALSE.equals(s.mapMatches())).map(Shot::position).distinct().count();
    }

    /** Sampled segmentation frames whose map was computed and checked. */
    public long mapsChecked() {
        return java.util.stream.Stream.concat(shots.stream(), openings.values().stream())
                .filter(s -> s.mapMatches() != null).map(Shot::position).distinct().count();
    }

    /** The position of the event with this id, or -1. */
    public int positionOf(String eventId) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).eventId().equals(eventId)) {
                return i;
            }
        }
        return -1;
    }

    /** Seconds of an event time (ms, the events' {@code ptsMs} clock) since the camera's first event. */
    double seconds(long ptsMs) {
        return (ptsMs - events.get(0).ptsMs()) / 1000.0;
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

    /**
     * The colour of a class: for segmentation its mask colour (the PASCAL VOC palette, as on the
     * thumbnails), else the label's colour.
     */
    String classColour(String label) {
        for (LabeledEvent e : events) {
            if (e.classes() == null) {
                break;
            }
            for (io.framewise.inference.exec.Segmentation.ClassArea c : e.classes()) {
                if (c.label().equals(label)) {
                    return String.format("#%06x", MaskOverlay.colour(c.index()).getRGB() & 0xffffff);
                }
            }
        }
        return color(label);
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
