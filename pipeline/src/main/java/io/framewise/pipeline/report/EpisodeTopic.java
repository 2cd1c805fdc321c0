package io.framewise.pipeline.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The episodes topic ({@code docs/episode.schema.json}) as a snapshot, like {@link LabeledTopic}:
 * committed records from the beginning up to the end offsets at start. An episode's open and close
 * records are one bar (the close wins; an episode with only its open record is still open). A topic
 * that does not exist or is empty gives no episodes: the report then has no bars, it does not fail.
 */
public final class EpisodeTopic {

    /**
     * One episode of a class on a camera, in event time (the events' {@code ptsMs}).
     *
     * @param closed       false when only the open record was read (the episode was still running)
     * @param firstEventId the event where it opened: {@code <topic>-<partition>-<offset>-<indexInSegment>}
     */
    public record Bar(String camera, String label, long startMs, long endMs, int frames, String measure, double mean,
                      boolean closed, String firstEventId) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private EpisodeTopic() {
    }

    /** Episodes per camera, by start time; empty when the topic does not exist. */
    public static Map<String, List<Bar>> read(Properties base, String topic, Set<String> cameras, Duration timeout) {
        Map<String, Bar> byId = new LinkedHashMap<>();
        TopicSnapshot.read(base, "framewise-report-episodes", topic, timeout, r -> {
            Bar b = r.value() == null ? null : parse(r.value());
            if (b != null && (cameras.isEmpty() || cameras.contains(b.camera()))) {
                String id = b.camera() + "/" + b.label() + "/" + b.startMs();
                Bar had = byId.get(id);
                if (had == null || !had.closed()) {
                    byId.put(id, b);
                }
            }
        });
        Map<String, List<Bar>> out = new TreeMap<>();
        byId.values().forEach(b -> out.computeIfAbsent(b.camera(), k -> new ArrayList<>()).add(b));
        out.values().forEach(l -> l.sort(Comparator.comparingLong(Bar::startMs).thenComparing(Bar::label)));
        return out;
    }

    /** An episode record, or null for anything else (a record of another shape is skipped). */
    static Bar parse(byte[] value) {
        JsonNode o;
        try {
            o = JSON.readTree(value);
        } catch (IOException bad) {
            return null;
        }
        if (o == null || !o.has("episodeId") || !o.has("camera") || !o.has("class") || !o.has("startMs")) {
            return null;
        }
        String kind = o.path("kind").asText();
        if (!kind.equals("open") && !kind.equals("close")) {
            return null;
        }
        return new Bar(o.path("camera").asText(), o.path("class").asText(), o.path("startMs").asLong(),
                o.path("endMs").asLong(o.path("startMs").asLong()), o.path("frames").asInt(),
                o.path("measure").asText("score"), o.path("mean").asDouble(), kind.equals("close"),
                o.path("firstEventId").asText(""));
    }
}
