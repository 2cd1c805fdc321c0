package io.framewise.pipeline.consume;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * One labeled event (the JSON the job writes) as one human line: camera, frame, top label, score,
 * end-to-end latency. Read from the JSON tree, so a consumer shows events of any job version.
 */
public final class EventLine {

    private EventLine() {
    }

    /** e.g. {@code cam-1      frame 42.3  tabby, tabby cat            0.812  e2e  45 ms  batch 8}. */
    public static String format(JsonNode e) {
        JsonNode top = e.path("top").path(0);
        String label = top.path("label").asText("?");
        double score = top.path("score").asDouble(Double.NaN);
        // "113" for a JPEG record; "4+12" for the 13th frame of segment record 4
        int index = e.path("indexInSegment").asInt(0);
        String frame = e.path("sequence").asText("?") + (index == 0 ? "" : "+" + index);
        long e2e = e.path("latency").path("endToEndMs").asLong(-1);
        boolean inferred = e.path("inferred").asBoolean(true);
        return String.format(Locale.ROOT, "%-10s frame %-8s %-30s %6.3f  e2e %5d ms%s",
                e.path("camera").asText("?"), frame, clip(shortLabel(label), 30), score, e2e,
                inferred ? "  batch " + e.path("batchSize").asInt() : "  (not inferred: last result)");
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
