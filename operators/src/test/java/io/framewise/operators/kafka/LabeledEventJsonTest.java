package io.framewise.operators.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.framewise.operators.records.LabeledEvent;
import io.framewise.operators.records.RecordSamples;
import java.util.List;
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
        for (LabeledEvent e : RecordSamples.labeledEvents()) {
            assertEquals(List.of(), JsonSchemas.problems(JsonSchemas.LABELED_EVENT,
                    MAPPER.readTree(LabeledEventJson.toJson(e))), LabeledEventJson.toJson(e));
        }
    }

    @Test
    void theSchemaCatchesDeviations() throws Exception {
        ObjectNode o = (ObjectNode) MAPPER.readTree(LabeledEventJson.toJson(RecordSamples.labeledEvents()[0]));
        o.put("sequence", "9");
        o.remove("batchId");
        o.put("extra", 1);
        ((ObjectNode) o.get("latency")).put("queueMs", true);
        List<String> problems = JsonSchemas.problems(JsonSchemas.LABELED_EVENT, o);
        assertEquals(4, problems.size(), problems.toString());
    }
}
