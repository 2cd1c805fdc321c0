package io.framewise.operators.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.framewise.operators.records.CameraStatus;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The JSON form of a {@link CameraStatus} record ({@code docs/camera-status.schema.json}). */
public final class CameraStatusJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CameraStatusJson() {
    }

    public static ObjectNode toTree(CameraStatus s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("camera", s.camera());
        o.put("status", s.state().name());
        o.put("atMs", s.atMs());
        o.put("lastSeenMs", s.lastSeenMs());
        o.put("gapMs", s.gapMs());
        return o;
    }

    public static byte[] toJsonBytes(CameraStatus s) {
        try {
            return MAPPER.writeValueAsBytes(toTree(s));
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public static String toJson(CameraStatus s) {
        return new String(toJsonBytes(s), StandardCharsets.UTF_8);
    }
}
