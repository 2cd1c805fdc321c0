package io.framewise.operators.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.framewise.operators.records.LabeledEvent;
import io.framewise.operators.records.RecordSamples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The JSON form of labeled events: round trip, and conformance to docs/labeled-event.schema.json. */
class LabeledEventJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void roundTripKeepsEveryField() {
        for (LabeledEvent e : RecordSamples.labeledEvents()) {
            String json = LabeledEventJson.toJson(e);
            assertEquals(e, LabeledEventJson.fromJson(json), json);
            assertEquals(e, LabeledEventJson.fromJson(LabeledEventJson.toJsonBytes(e)));
        }
    }

    @Test
    void eventIdIsDerivedFromProvenance() throws Exception {
        LabeledEvent e = RecordSamples.labeledEvents()[0];
        JsonNode o = MAPPER.readTree(LabeledEventJson.toJson(e));
        assertEquals("frames-3-77-2", o.get("eventId").asText());
        ((ObjectNode) o).put("eventId", "frames-3-78-2");
        assertThrows(IllegalArgumentException.class, () -> LabeledEventJson.fromJson(o.toString()));
        ((ObjectNode) o).remove("camera");
        var missing = assertThrows(IllegalArgumentException.class, () -> LabeledEventJson.fromJson(o.toString()));
        assertTrue(missing.getMessage().contains("camera"), missing.getMessage());
    }

    @Test
    void outputConformsToTheDocumentedSchema() throws Exception {
        JsonNode schema = MAPPER.readTree(schemaFile().toFile());
        for (LabeledEvent e : RecordSamples.labeledEvents()) {
            List<String> problems = new ArrayList<>();
            check(schema, MAPPER.readTree(LabeledEventJson.toJson(e)), "$", problems);
            assertEquals(List.of(), problems, LabeledEventJson.toJson(e));
        }
    }

    @Test
    void theSchemaCheckCatchesDeviations() throws Exception {
        JsonNode schema = MAPPER.readTree(schemaFile().toFile());
        ObjectNode o = (ObjectNode) MAPPER.readTree(LabeledEventJson.toJson(RecordSamples.labeledEvents()[0]));
        o.put("sequence", "9");
        o.remove("batchId");
        o.put("extra", 1);
        ((ObjectNode) o.get("latency")).put("queueMs", true);
        List<String> problems = new ArrayList<>();
        check(schema, o, "$", problems);
        assertEquals(4, problems.size(), problems.toString());
    }

    /** A small JSON Schema subset: type, required, properties, additionalProperties=false, items, pattern. */
    private static void check(JsonNode schema, JsonNode value, String path, List<String> problems) {
        String type = schema.path("type").asText();
        boolean typeOk = switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> throw new IllegalArgumentException("schema type '" + type + "' at " + path);
        };
        if (!typeOk) {
            problems.add(path + ": expected " + type + ", got " + value.getNodeType());
            return;
        }
        if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
            problems.add(path + ": '" + value.asText() + "' does not match " + schema.get("pattern").asText());
        }
        if (value.isObject()) {
            for (JsonNode r : schema.path("required")) {
                if (!value.has(r.asText())) {
                    problems.add(path + ": missing required '" + r.asText() + "'");
                }
            }
            JsonNode props = schema.path("properties");
            for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (props.has(f)) {
                    check(props.get(f), value.get(f), path + "." + f, problems);
                } else if (schema.path("additionalProperties").isBoolean() && !schema.get("additionalProperties").asBoolean()) {
                    problems.add(path + ": property '" + f + "' not in the schema");
                }
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    private static Path schemaFile() {
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path f = p.resolve("docs").resolve("labeled-event.schema.json");
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new IllegalStateException("docs/labeled-event.schema.json not found above " + Paths.get("").toAbsolutePath());
    }
}
