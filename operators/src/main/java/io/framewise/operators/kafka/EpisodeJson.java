package io.framewise.operators.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.framewise.operators.records.Episode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The JSON form of an {@link Episode} record ({@code docs/episode.schema.json}). */
public final class EpisodeJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EpisodeJson() {
    }

    public static ObjectNode toTree(Episode e) {
        if (e.kind() == Episode.Kind.CANDIDATE) {
            throw new IllegalArgumentException("a candidate is state, not a record: " + e);
        }
        ObjectNode o = MAPPER.createObjectNode();
        o.put("kind", e.kind().name().toLowerCase(Locale.ROOT));
        o.put("episodeId", e.episodeId());
        o.put("camera", e.camera());
        o.put("class", e.label());
        if (e.zone() != null) {
            o.put("zone", e.zone());
        }
        o.put("measure", e.measure());
        o.put("startMs", e.startMs());
        o.put("endMs", e.endMs());
        o.put("durationMs", e.durationMs());
        o.put("frames", e.frames());
        o.put("mean", e.valueMean());
        o.put("max", e.valueMax());
        if (e.box() != null) {
            o.putObject("box").put("x0", e.box().x0()).put("y0", e.box().y0()).put("x1", e.box().x1())
                    .put("y1", e.box().y1());
        }
        o.put("firstEventId", e.firstEventId());
        o.put("lastEventId", e.lastEventId());
        return o;
    }

    public static String toJson(Episode e) {
        try {
            return MAPPER.writeValueAsString(toTree(e));
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public static byte[] toJsonBytes(Episode e) {
        return toJson(e).getBytes(StandardCharsets.UTF_8);
    }
}
