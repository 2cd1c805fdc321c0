package io.framewise.operators.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.framewise.operators.records.CameraConfig;
import io.framewise.operators.records.Zone;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of a {@link CameraConfig} ({@code docs/camera-config.schema.json}): the value of a
 * {@code camera-config} record (key = camera id) and, per camera, the zones file.
 *
 * <pre>
 * {"zones": [{"name": "walkway", "polygon": [[0.1, 0.5], [0.9, 0.5], [0.9, 1.0], [0.1, 1.0]]}]}
 * </pre>
 *
 * Strict: an unknown field, a missing one or a value out of range is an {@link IllegalArgumentException}
 * whose message says what and where (a typo must not silently drop a zone).
 */
public final class CameraConfigJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CameraConfigJson() {
    }

    /**
     * A record's value for {@code camera}, applying from {@code sinceMs} (the record's timestamp); a null
     * value (a tombstone) removes the camera's zones.
     */
    public static CameraConfig parse(String camera, long sinceMs, byte[] value) {
        if (value == null) {
            return CameraConfig.none(camera, sinceMs);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(value);
        } catch (IOException e) {
            throw notJson(e);
        }
        if (root == null || root.isMissingNode()) {
            throw new IllegalArgumentException("empty value (a tombstone is a null value)");
        }
        return fromTree(camera, sinceMs, root);
    }

    /** The zones file: {@code {"<camera>": {"zones": [...]}, ...}}; its zones apply {@link CameraConfig#ALWAYS}. */
    public static Map<String, CameraConfig> parseFile(byte[] content) {
        JsonNode root;
        try {
            root = MAPPER.readTree(content);
        } catch (IOException e) {
            throw notJson(e);
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw new IllegalArgumentException("expected an object of cameras: {\"<camera>\": {\"zones\": [...]}}");
        }
        Map<String, CameraConfig> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
                out.put(e.getKey(), fromTree(e.getKey(), CameraConfig.ALWAYS, e.getValue()));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("camera " + e.getKey() + ": " + ex.getMessage(), ex);
            }
        }
        return out;
    }

    private static IllegalArgumentException notJson(IOException e) {
        return new IllegalArgumentException("not JSON: "
                + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }

    static CameraConfig fromTree(String camera, long sinceMs, JsonNode root) {
        if (!root.isObject()) {
            throw new IllegalArgumentException("expected {\"zones\": [...]}");
        }
        onlyFields(root, Set.of("zones"), "the camera config");
        JsonNode zs = root.get("zones");
        if (zs == null || !zs.isArray()) {
            throw new IllegalArgumentException("\"zones\" must be an array");
        }
        List<Zone> zones = new ArrayList<>();
        for (int i = 0; i < zs.size(); i++) {
            JsonNode z = zs.get(i);
            String where = "zones[" + i + "]";
            if (!z.isObject()) {
                throw new IllegalArgumentException(where + " must be an object {\"name\", \"polygon\"}");
            }
            onlyFields(z, Set.of("name", "polygon"), where);
            JsonNode name = z.get("name");
            JsonNode poly = z.get("polygon");
            if (name == null || !name.isTextual()) {
                throw new IllegalArgumentException(where + ".name must be a string");
            }
            if (poly == null || !poly.isArray()) {
                throw new IllegalArgumentException(where + ".polygon must be an array of [x, y] points");
            }
            float[] p = new float[2 * poly.size()];
            for (int k = 0; k < poly.size(); k++) {
                JsonNode pt = poly.get(k);
                if (!pt.isArray() || pt.size() != 2 || !pt.get(0).isNumber() || !pt.get(1).isNumber()) {
                    throw new IllegalArgumentException(where + ".polygon[" + k + "] must be [x, y] (two numbers)");
                }
                p[2 * k] = (float) pt.get(0).asDouble();
                p[2 * k + 1] = (float) pt.get(1).asDouble();
            }
            try {
                zones.add(new Zone(name.asText(), p));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        return new CameraConfig(camera, sinceMs, zones);
    }

    private static void onlyFields(JsonNode o, Set<String> known, String where) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new IllegalArgumentException(where + " has an unknown field \"" + f + "\" (known: " + known + ")");
            }
        }
    }

    public static ObjectNode toTree(CameraConfig c) {
        ObjectNode o = MAPPER.createObjectNode();
        ArrayNode zones = o.putArray("zones");
        for (Zone z : c.zones()) {
            ObjectNode zn = zones.addObject().put("name", z.name());
            ArrayNode poly = zn.putArray("polygon");
            for (int i = 0; i < z.points(); i++) {
                poly.addArray().add(z.x(i)).add(z.y(i));
            }
        }
        return o;
    }

    public static byte[] toJsonBytes(CameraConfig c) {
        try {
            return MAPPER.writeValueAsString(toTree(c)).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
