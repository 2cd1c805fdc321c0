package io.framewise.operators.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.operators.records.CameraStatus;
import io.framewise.operators.records.Episode;
import io.framewise.operators.records.RecordSamples;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Episode and camera-status records as their sinks write them conform to their docs/*.schema.json. */
class EpisodeSchemaTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void episodeRecordsConform() throws Exception {
        for (Episode e : RecordSamples.episodes()) {
            if (e.kind() == Episode.Kind.CANDIDATE) {
                assertThrows(IllegalArgumentException.class, () -> EpisodeJson.toJson(e));
                continue;
            }
            ProducerRecord<byte[], byte[]> r = CameraJsonSerialization.episodes("episodes").serialize(e, null, 5L);
            assertEquals("episodes", r.topic());
            assertEquals(e.camera(), new String(r.key(), StandardCharsets.UTF_8));
            JsonNode json = MAPPER.readTree(r.value());
            assertEquals(List.of(), JsonSchemas.problems(JsonSchemas.EPISODE, json), json::toString);
            assertEquals(e.episodeId(), json.get("episodeId").asText());
        }
    }

    @Test
    void theSchemaRejectsWhatTheWriterNeverWrites() throws Exception {
        JsonNode bad = MAPPER.readTree("{\"kind\":\"candidate\",\"camera\":\"c\"}");
        assertFalse(JsonSchemas.problems(JsonSchemas.EPISODE, bad).isEmpty());
    }

    @Test
    void cameraStatusRecordsConform() throws Exception {
        for (CameraStatus s : RecordSamples.cameraStatuses()) {
            ProducerRecord<byte[], byte[]> r = CameraJsonSerialization.cameraStatus("camera-status").serialize(s, null, 5L);
            JsonNode json = MAPPER.readTree(r.value());
            assertEquals(List.of(), JsonSchemas.problems(JsonSchemas.CAMERA_STATUS, json), json::toString);
            assertEquals(s.state().name(), json.get("status").asText());
        }
    }
}
