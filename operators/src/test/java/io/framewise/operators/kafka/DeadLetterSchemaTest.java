package io.framewise.operators.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.framewise.operators.records.DeadLetter;
import io.framewise.operators.records.DeadLetterReason;
import io.framewise.operators.records.RecordSamples;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** Dead-letter records as the sink writes them conform to docs/dead-letter.schema.json. */
class DeadLetterSchemaTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void everyReasonIsInTheSchema() {
        List<String> documented = new ArrayList<>();
        JsonSchemas.read(JsonSchemas.DEAD_LETTER).at("/properties/headers/properties/fw-dlq-reason/enum")
                .forEach(n -> documented.add(n.asText()));
        assertEquals(Arrays.stream(DeadLetterReason.values()).map(Enum::name).sorted().toList(),
                documented.stream().sorted().toList());
    }

    @Test
    void writtenRecordsConform() {
        List<DeadLetter> letters = new ArrayList<>(List.of(RecordSamples.deadLetters()));
        DeadLetter first = letters.get(0);
        for (DeadLetterReason r : DeadLetterReason.values()) {
            letters.add(new DeadLetter(first.key(), first.value(), first.headers(), r, "why", "frames", 2, 7,
                    first.camera(), 1L));
        }
        for (DeadLetter d : letters) {
            JsonNode record = asJson(new DeadLetterSerialization("frames-dlq").serialize(d, null, 1L));
            assertEquals(List.of(), JsonSchemas.problems(JsonSchemas.DEAD_LETTER, record), record.toString());
        }
    }

    @Test
    void theSchemaCatchesDeviations() {
        ObjectNode record = (ObjectNode) asJson(new DeadLetterSerialization("frames-dlq")
                .serialize(RecordSamples.deadLetters()[0], null, 1L));
        ObjectNode headers = (ObjectNode) record.get("headers");
        headers.put("fw-dlq-reason", "NOT_A_REASON");
        headers.remove("fw-dlq-source");
        assertFalse(JsonSchemas.problems(JsonSchemas.DEAD_LETTER, record).isEmpty());
        assertEquals(2, JsonSchemas.problems(JsonSchemas.DEAD_LETTER, record).size(),
                JsonSchemas.problems(JsonSchemas.DEAD_LETTER, record).toString());
    }

    /** A Kafka record in the schema's terms: key, value length, headers as name to UTF-8 text. */
    static JsonNode asJson(ProducerRecord<byte[], byte[]> r) {
        ObjectNode o = MAPPER.createObjectNode();
        if (r.key() == null) {
            o.putNull("key");
        } else {
            o.put("key", new String(r.key(), StandardCharsets.UTF_8));
        }
        o.put("valueBytes", r.value() == null ? 0 : r.value().length);
        ObjectNode h = o.putObject("headers");
        for (Header x : r.headers()) {
            h.put(x.key(), x.value() == null ? "" : new String(x.value(), StandardCharsets.UTF_8));
        }
        return o;
    }
}
