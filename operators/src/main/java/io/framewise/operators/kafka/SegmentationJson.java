package io.framewise.operators.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.framewise.inference.exec.Segmentation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of a {@link Segmentation}: the {@code classes} object and the {@code mapSha256} that
 * {@code framewise segment} prints per image and that segmentation events carry. Fields are written
 * explicitly here, and only here, so the CLI line and the event cannot drift apart:
 *
 * <pre>
 * "classes": {                       only the classes present in the class map, by class index
 *   "person": {
 *     "index": 15,                   class index (the model's output channel)
 *     "pixels": 180018,              class-map pixels of this class
 *     "fraction": 0.68404,           pixels / class-map pixels (6 decimals)
 *     "box": [x0, y0, x1, y1],       inclusive bounding box in the original frame's pixel coordinates
 *     "boxFraction": [..4],          the same box as fractions of the frame's width / height
 *                                    ([x0 / W, y0 / H, (x1 + 1) / W, (y1 + 1) / H], 4 decimals)
 *     "regions": [ {"pixels", "fraction", "box", "boxFraction"}, ... ]
 *                                    8-connected regions at least the minimum area, largest first
 *   }, ...
 * },
 * "mapSha256": HEX                   SHA-256 of the class map (row-major, one byte per pixel)
 * </pre>
 */
public final class SegmentationJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SegmentationJson() {
    }

    /** Adds {@code classes} and {@code mapSha256} of {@code s} to {@code target}; returns {@code target}. */
    public static ObjectNode put(ObjectNode target, Segmentation s) {
        target.set("classes", classes(s));
        target.put("mapSha256", s.mapSha256());
        return target;
    }

    /** The {@code classes} object: one member per class present, named by its label, in index order. */
    public static ObjectNode classes(Segmentation s) {
        return classes(s.classes());
    }

    /** The {@code classes} object of {@code list} (a segmentation's or an event's classes). */
    public static ObjectNode classes(List<Segmentation.ClassArea> list) {
        ObjectNode classes = MAPPER.createObjectNode();
        for (Segmentation.ClassArea c : list) {
            ObjectNode o = classes.putObject(c.label());
            o.put("index", c.index());
            area(o, c.pixels(), c.fraction(), c.box(), c.boxFraction());
            ArrayNode regions = o.putArray("regions");
            for (Segmentation.Region r : c.regions()) {
                area(regions.addObject(), r.pixels(), r.fraction(), r.box(), r.boxFraction());
            }
        }
        return classes;
    }

    /**
     * Parses a {@code classes} object back (consumers of the labeled topic). Fractions come back rounded
     * as written (6 decimals, boxes 4).
     *
     * @throws IllegalArgumentException when a member lacks a field or a box is not four numbers
     */
    public static List<Segmentation.ClassArea> parseClasses(JsonNode classes) {
        if (classes == null || !classes.isObject()) {
            throw new IllegalArgumentException("'classes' must be a JSON object");
        }
        List<Segmentation.ClassArea> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = classes.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> m = it.next();
            JsonNode c = m.getValue();
            List<Segmentation.Region> regions = new ArrayList<>();
            JsonNode rs = c.get("regions");
            if (rs != null) {
                for (JsonNode r : rs) {
                    regions.add(new Segmentation.Region(field(r, "pixels").asLong(), field(r, "fraction").asDouble(),
                            box(r), boxFraction(r)));
                }
            }
            out.add(new Segmentation.ClassArea(field(c, "index").asInt(), m.getKey(), field(c, "pixels").asLong(),
                    field(c, "fraction").asDouble(), box(c), boxFraction(c), regions));
        }
        return out;
    }

    private static int[] box(JsonNode o) {
        JsonNode b = field(o, "box");
        if (!b.isArray() || b.size() != 4) {
            throw new IllegalArgumentException("'box' must be [x0, y0, x1, y1]");
        }
        return new int[] {b.get(0).asInt(), b.get(1).asInt(), b.get(2).asInt(), b.get(3).asInt()};
    }

    private static double[] boxFraction(JsonNode o) {
        JsonNode b = field(o, "boxFraction");
        if (!b.isArray() || b.size() != 4) {
            throw new IllegalArgumentException("'boxFraction' must be four numbers");
        }
        return new double[] {b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble(), b.get(3).asDouble()};
    }

    private static JsonNode field(JsonNode o, String name) {
        JsonNode v = o.get(name);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("segmentation class JSON lacks '" + name + "'");
        }
        return v;
    }

    private static void area(ObjectNode o, long pixels, double fraction, int[] box, double[] boxFraction) {
        o.put("pixels", pixels);
        o.put("fraction", round(fraction, 1e6));
        ArrayNode b = o.putArray("box");
        for (int v : box) {
            b.add(v);
        }
        ArrayNode f = o.putArray("boxFraction");
        for (double v : boxFraction) {
            f.add(round(v, 1e4));
        }
    }

    private static double round(double v, double scale) {
        return Math.round(v * scale) / scale;
    }
}
