package io.framewise.operators.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.framewise.inference.exec.Segmentation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documented shape of a segmentation in JSON, on a 4×4 class map of an 8×8 frame. */
class SegmentationJsonTest {

    static final Map<Integer, String> NAMES = Map.of(0, "background", 3, "bird", 15, "person");

    static Segmentation sample() {
        byte[] map = {
            0, 0, 0, 0,
            0, 15, 15, 0,
            0, 15, 0, 0,
            0, 0, 0, 3};
        return Segmentation.of(map, 4, 4, 8, 8, NAMES::get, 21, 0.1, false);
    }

    @Test
    void classesAndMapHash() throws Exception {
        Segmentation s = sample();
        ObjectNode o = SegmentationJson.put(new ObjectMapper().createObjectNode(), s);
        assertEquals(List.of("classes", "mapSha256"), iterable(o.fieldNames()));
        assertEquals(s.mapSha256(), o.get("mapSha256").asText());
        assertEquals(List.of("background", "bird", "person"), iterable(o.get("classes").fieldNames()));
        // person: 3 of 16 map pixels, map box [1,1,2,2] = frame pixels [2,2,5,5]; one region of 3 >= 0.1 * 16
        assertEquals("{\"index\":15,\"pixels\":3,\"fraction\":0.1875,\"box\":[2,2,5,5],"
                + "\"boxFraction\":[0.25,0.25,0.75,0.75],\"regions\":[{\"pixels\":3,\"fraction\":0.1875,"
                + "\"box\":[2,2,5,5],\"boxFraction\":[0.25,0.25,0.75,0.75]}]}",
                o.get("classes").get("person").toString());
        // bird: one pixel, below the minimum area: present, but no region
        assertEquals("{\"index\":3,\"pixels\":1,\"fraction\":0.0625,\"box\":[6,6,7,7],"
                + "\"boxFraction\":[0.75,0.75,1.0,1.0],\"regions\":[]}", o.get("classes").get("bird").toString());
        assertEquals(12, o.get("classes").get("background").get("regions").get(0).get("pixels").asInt());
    }

    @Test
    void fractionsRoundedToSixAndFourDecimals() {
        byte[] map = new byte[7 * 7];
        map[0] = 15;
        ObjectNode c = SegmentationJson.classes(Segmentation.of(map, 7, 7, 7, 7, NAMES::get, 21, 0, false));
        assertEquals(0.020408, c.get("person").get("fraction").asDouble());
        assertEquals(0.1429, c.get("person").get("boxFraction").get(2).asDouble());
    }

    static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
