package io.framewise.pipeline.consume;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Locale;

/**
 * One record of the episodes or camera-status topic (the JSON the job writes) as one human line. Read
 * from the JSON tree, so a consumer shows records of any job version.
 */
public final class EpisodeLine {

    private EpisodeLine() {
    }

    /** True for an episode record ({@code docs/episode.schema.json}). */
    public static boolean isEpisode(JsonNode o) {
        return o.has("episodeId") && o.has("kind");
    }

    /** True for a camera status record ({@code docs/camera-status.schema.json}). */
    public static boolean isCameraStatus(JsonNode o) {
        return o.has("status") && o.has("gapMs");
    }

    /** e.g. {@code cam-1      close macaw @door     2026-12-02T10:01:02Z .. 10:01:40Z  38.0 s  95 frames  score 0.91}. */
    public static String format(JsonNode e) {
        String end = Instant.ofEpochMilli(e.path("endMs").asLong()).toString();
        return String.format(Locale.ROOT, "%-10s %-5s %-24s %s .. %s %7.1f s %5d frames  %s %.3f",
                e.path("camera").asText("?"), e.path("kind").asText("?"),
                EventLine.shortLabel(e.path("class").asText("?"))
                        + (e.hasNonNull("zone") ? " @" + e.path("zone").asText() : ""),
                Instant.ofEpochMilli(e.path("startMs").asLong()), end.substring(end.indexOf('T') + 1),
                e.path("durationMs").asLong() / 1000.0, e.path("frames").asInt(), e.path("measure").asText("score"),
                e.path("mean").asDouble());
    }

    /** e.g. {@code cam-1      STALLED  at 2026-12-02T10:01:02Z  silent for 10.0 s}. */
    public static String formatStatus(JsonNode s) {
        return String.format(Locale.ROOT, "%-10s %-8s at %s  silent for %.1f s", s.path("camera").asText("?"),
                s.path("status").asText("?"), Instant.ofEpochMilli(s.path("atMs").asLong()),
                s.path("gapMs").asLong() / 1000.0);
    }
}
