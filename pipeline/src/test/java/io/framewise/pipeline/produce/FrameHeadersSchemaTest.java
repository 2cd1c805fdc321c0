package io.framewise.pipeline.produce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.framewise.operators.frames.Codec;
import io.framewise.operators.kafka.JsonSchemas;
import io.framewise.pipeline.produce.encode.MediaChunk;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The producer's headers conform to docs/frame-record-headers.schema.json, for every codec. */
class FrameHeadersSchemaTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void everyCodecsHeadersConform() {
        List<MediaChunk> chunks = new ArrayList<>();
        for (Codec c : Codec.values()) {
            chunks.add(new MediaChunk(new byte[10], c, 0, c.isStillImage() ? 1 : 12, 960_000, 768, 432));
        }
        chunks.add(new MediaChunk(new byte[10], null, MediaChunk.NO_PTS, 1, 0, 0, 0)); // unknown codec: sniffed
        for (MediaChunk chunk : chunks) {
            ObjectNode h = asJson(FrameRecordSender.headers(chunk, 41, 1_795_800_722_000L, 12.5));
            assertEquals(List.of(), JsonSchemas.problems(JsonSchemas.FRAME_RECORD_HEADERS, h), h.toString());
        }
    }

    @Test
    void theSchemaCatchesDeviations() {
        ObjectNode h = asJson(FrameRecordSender.headers(
                new MediaChunk(new byte[10], Codec.JPEG, 0, 1, 0, 0, 0), 3, 1_795_800_722_000L, 0));
        h.put("fw-seq", "three");
        h.put("fw-codec", "gif");
        assertEquals(2, JsonSchemas.problems(JsonSchemas.FRAME_RECORD_HEADERS, h).size());
        ObjectNode raw = asJson(FrameRecordSender.headers(
                new MediaChunk(new byte[10], Codec.RAW_RGB24, 0, 1, 0, 4, 2), 3, 1_795_800_722_000L, 0));
        raw.remove("fw-width");
        assertEquals(1, JsonSchemas.problems(JsonSchemas.FRAME_RECORD_HEADERS, raw).size(),
                "raw-rgb24 needs its size");
    }

    private static ObjectNode asJson(RecordHeaders headers) {
        ObjectNode o = MAPPER.createObjectNode();
        for (Header x : headers) {
            o.put(x.key(), new String(x.value(), StandardCharsets.UTF_8));
        }
        return o;
    }
}
