package io.framewise.operators.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.operators.records.CameraConfig;
import io.framewise.operators.records.Zone;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** camera-config values and the zones file: parsed strictly, written as docs/camera-config.schema.json says. */
class CameraConfigJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aValueParsesAndWritesBackConformingToTheSchema() throws Exception {
        String v = "{\"zones\":[{\"name\":\"walkway\",\"polygon\":[[0.1,0.5],[0.9,0.5],[0.9,1.0],[0.1,1]]}]}";
        CameraConfig c = CameraConfigJson.parse("cam-1", 7, utf8(v));
        assertEquals(new CameraConfig("cam-1", 7, List.of(new Zone("walkway",
                new float[] {0.1f, 0.5f, 0.9f, 0.5f, 0.9f, 1, 0.1f, 1}))), c);
        JsonNode written = MAPPER.readTree(CameraConfigJson.toJsonBytes(c));
        assertEquals(List.of(), JsonSchemas.problems(JsonSchemas.CAMERA_CONFIG, written), written::toString);
        assertEquals(c, CameraConfigJson.parse("cam-1", 7, CameraConfigJson.toJsonBytes(c)));
        assertEquals(List.of(), JsonSchemas.problems(JsonSchemas.CAMERA_CONFIG, MAPPER.readTree(v)));
    }

    @Test
    void aTombstoneAndAnEmptyListRemoveTheZones() {
        assertEquals(CameraConfig.none("cam-1", 7), CameraConfigJson.parse("cam-1", 7, null));
        assertEquals(CameraConfig.none("cam-1", 7), CameraConfigJson.parse("cam-1", 7, utf8("{\"zones\":[]}")));
    }

    @Test
    void badValuesSayWhatIsWrong() throws Exception {
        Map<String, String> bad = Map.of(
                "not json", "not JSON",
                "", "empty value",
                "[1,2]", "expected {\"zones\": [...]}",
                "{\"zone\":[]}", "unknown field \"zone\"",
                "{\"zones\":[{\"name\":\"a\",\"polygon\":[[0,0],[1,1]]}]}", "zones[0]: zone a: a polygon needs 3",
                "{\"zones\":[{\"name\":\"a\",\"polygon\":[[0,0],[2,0],[1,1]]}]}", "normalized",
                "{\"zones\":[{\"name\":\"a\",\"polygon\":[[0,0],[\"x\",0],[1,1]]}]}", "zones[0].polygon[1] must be [x, y]",
                "{\"zones\":[{\"name\":\"a\",\"polygon\":[[0,0],[1,1],[1,0],[0,1]]}]}", "cross",
                "{\"zones\":[{\"polygon\":[[0,0],[1,0],[1,1]]}]}", "zones[0].name must be a string");
        for (Map.Entry<String, String> b : bad.entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CameraConfigJson.parse("cam-1", 7, utf8(b.getKey())), b.getKey());
            assertTrue(e.getMessage().contains(b.getValue()), b.getKey() + " -> " + e.getMessage());
            if (!b.getKey().isEmpty() && !b.getKey().startsWith("not") && !b.getValue().equals("cross")) {
                assertFalse(JsonSchemas.problems(JsonSchemas.CAMERA_CONFIG, MAPPER.readTree(b.getKey())).isEmpty(),
                        "the schema rejects " + b.getKey());
            }
        }
    }

    @Test
    void theZonesFileIsAnObjectOfCameras() {
        Map<String, CameraConfig> f = CameraConfigJson.parseFile(utf8("{\"cam-1\":{\"zones\":[{\"name\":\"door\","
                + "\"polygon\":[[0,0],[0.5,0],[0.5,0.5]]}]},\"cam-2\":{\"zones\":[]}}"));
        assertEquals(List.of("cam-1", "cam-2"), List.copyOf(f.keySet()));
        assertEquals("door", f.get("cam-1").zones().get(0).name());
        assertEquals(CameraConfig.ALWAYS, f.get("cam-1").sinceMs());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CameraConfigJson.parseFile(utf8("{\"cam-1\":{\"zones\":[{\"name\":\"a b\",\"polygon\":[]}]}}")));
        assertTrue(e.getMessage().startsWith("camera cam-1: zones[0]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CameraConfigJson.parseFile(utf8("[]")));
    }
}
