package io.framewise.pipeline.consume;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One labeled event (the JSON the job writes) as one human line: camera, frame, top label and score
 * (classification) or the classes present with their area (segmentation), end-to-end latency. Read from the JSON tree, so a consumer shows events of any job version.
 */
public final class EventLine {

    private EventLine() {
    }

    /** Classes below this fraction of the picture are left off a segmentation line. */
    public static final double MIN_FRACTION = 0.01;

    /**
     * Classification: {@code cam-1      frame 42.3  tabby, tabby cat            0.812  e2e  45 ms  batch 8};
     * segmentation: {@code cam-1      frame 4+12  person 8.3% car 2.1%         e2e 120 ms  batch 1}
     * (the classes covering at least {@value #MIN_FRACTION} of the picture, background left out, largest
     * first; {@code -} when none).
     */
    public static String format(JsonNode e) {
        // "113" for a JPEG record; "4+12" for the 13th frame of segment record 4
        int index = e.path("indexInSegment").asInt(0);
        String frame = e.path("sequence").asText("?") + (index == 0 ? "" : "+" + index);
        long e2e = e.path("latency").path("endToEndMs").asLong(-1);
        boolean inferred = e.path("inferred").asBoolean(true);
        String tail = inferred ? "  batch " + e.path("batchSize").asInt() : "  (not inferred: last result)";
        if (e.has("classes")) {
            return String.format(Locale.ROOT, "%-10s frame %-8s %-37s e2e %5d ms%s", e.path("camera").asText("?"),
                    frame, classes(e.path("classes")), e2e, tail);
        }
        JsonNode top = e.path("top").path(0);
        String label = top.path("label").asText("?");
        double score = top.path("score").asDouble(Double.NaN);
        return String.format(Locale.ROOT, "%-10s frame %-8s %-30s %6.3f  e2e %5d ms%s",
                e.path("camera").asText("?"), frame, clip(shortLabel(label), 30), score, e2e, tail);
    }

    /** {@code person 8.3% car 2.1%}: the classes of a segmentation event worth a line, largest first. */
    public static String classes(JsonNode classes) {
        List<Map.Entry<String, Double>> present = new ArrayList<>();
        classes.fields().forEachRemaining(c -> {
            double f = c.getValue().path("fraction").asDouble();
            if (c.getValue().path("index").asInt() != 0 && f >= MIN_FRACTION) {
                present.add(Map.entry(c.getKey(), f));
            }
        });
        if (present.isEmpty()) {
            return "-";
        }
        present.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Double> c : present) {
            s.append(s.isEmpty() ? "" : " ").append(c.getKey())
                    .append(String.format(Locale.ROOT, " %.1f%%", 100 * c.getValue()));
        }
        return s.toString();
    }

    /** ImageNet labels list synonyms ("tabby, tabby cat"): the first one is enough on a line. */
    public static String shortLabel(String label) {
        int comma = label.indexOf(',');
        return comma < 0 ? label : label.substring(0, comma);
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
