package io.framewise.operators.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.framewise.operators.records.GateReading;
import io.framewise.operators.records.LabeledEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of a {@link LabeledEvent}, as written to the labeled topic and documented in
 * {@code docs/labeled-event.schema.json}. Fields are written explicitly (no bean introspection) so
 * the wire names and order only change here, together with the schema.
 */
public final class LabeledEventJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LabeledEventJson() {
    }

    public static ObjectNode toTree(LabeledEvent e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("eventId", e.eventId());
        o.put("camera", e.camera());
        o.put("sequence", e.sequence());
        o.put("indexInSegment", e.indexInSegment());
        o.put("captureTsMs", e.captureTsMs());
        o.put("ptsMs", e.ptsMs());
        o.put("topic", e.topic());
        o.put("partition", e.partition());
        o.put("offset", e.offset());
        o.put("model", e.model());
        o.put("modelSha256", e.modelSha256());
        o.put("task", e.task());
        ArrayNode top = o.putArray("top");
        for (LabeledEvent.Top t : e.top()) {
            top.addObject().put("index", t.index()).put("label", t.label()).put("score", t.score());
        }
        o.put("inferred", e.inferred());
        o.put("batchId", e.batchId());
        o.put("batchSize", e.batchSize());
        LabeledEvent.Latency l = e.latency();
        o.putObject("latency")
                .put("decodeMs", l.decodeMs())
                .put("queueMs", l.queueMs())
                .put("inferenceMs", l.inferenceMs())
                .put("endToEndMs", l.endToEndMs());
        if (e.gate() != null) {
            o.putObject("gate").put("difference", e.gate().difference()).put("blockMax", e.gate().blockMax());
        }
        if (e.classes() != null) {
            o.set("classes", SegmentationJson.classes(e.classes()));
            o.put("mapSha256", e.mapSha256());
        }
        return o;
    }

    public static String toJson(LabeledEvent e) {
        try {
            return MAPPER.writeValueAsString(toTree(e));
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public static byte[] toJsonBytes(LabeledEvent e) {
        return toJson(e).getBytes(StandardCharsets.UTF_8);
    }

    public static LabeledEvent fromJson(byte[] json) {
        return fromJson(new String(json, StandardCharsets.UTF_8));
    }

    /**
     * Parses an event; a missing required field or an {@code eventId} that does not match the
     * provenance fields is an {@link IllegalArgumentException}.
     */
    public static LabeledEvent fromJson(String json) {
        JsonNode o;
        try {
            o = MAPPER.readTree(json);
        } catch (IOException ex) {
            throw new IllegalArgumentException("not JSON: " + ex.getMessage(), ex);
        }
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("labeled event must be a JSON object");
        }
        List<LabeledEvent.Top> top = new ArrayList<>();
        for (JsonNode t : required(o, "top")) {
            top.add(new LabeledEvent.Top(required(t, "index").asInt(), required(t, "label").asText(),
                    (float) required(t, "score").asDouble()));
        }
        JsonNode l = required(o, "latency");
        JsonNode task = o.get("task");
        boolean segmentation = task != null && LabeledEvent.SEGMENTATION.equals(task.asText());
        if (task != null && !segmentation && !LabeledEvent.CLASSIFICATION.equals(task.asText())) {
            throw new IllegalArgumentException("labeled event task '" + task.asText() + "' is neither "
                    + LabeledEvent.CLASSIFICATION + " nor " + LabeledEvent.SEGMENTATION);
        }
        LabeledEvent e = new LabeledEvent(
                required(o, "camera").asText(),
                required(o, "sequence").asLong(),
                required(o, "indexInSegment").asInt(),
                required(o, "captureTsMs").asLong(),
                required(o, "ptsMs").asLong(),
                required(o, "topic").asText(),
                required(o, "partition").asInt(),
                required(o, "offset").asLong(),
                required(o, "model").asText(),
                required(o, "modelSha256").asText(),
                top,
                required(o, "inferred").asBoolean(),
                required(o, "batchId").asText(),
                required(o, "batchSize").asInt(),
                new LabeledEvent.Latency(required(l, "decodeMs").asDouble(), required(l, "queueMs").asDouble(),
                        required(l, "inferenceMs").asDouble(), required(l, "endToEndMs").asDouble()),
                gate(o.get("gate")),
                segmentation ? SegmentationJson.parseClasses(required(o, "classes")) : null,
                segmentation ? required(o, "mapSha256").asText() : null);
        JsonNode id = o.get("eventId");
        if (id != null && !id.asText().equals(e.eventId())) {
            throw new IllegalArgumentException("eventId '" + id.asText() + "' does not match its provenance ("
                    + e.eventId() + ")");
        }
        return e;
    }

    private static GateReading gate(JsonNode g) {
        return g == null || g.isNull() ? null
                : new GateReading(required(g, "difference").asDouble(), required(g, "blockMax").asDouble());
    }

    private static JsonNode required(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("labeled event JSON lacks '" + field + "'");
        }
        return v;
    }
}
