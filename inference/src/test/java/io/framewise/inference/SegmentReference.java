package io.framewise.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.inference.exec.Segmentation;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;

/**
 * The TFLite segmentation reference in {@code ../shared/reference/segment/}, as the agreement tests of
 * the core (photos) and of the decoder (video frames, in the operators module through this test jar)
 * read it: the per-image lines, the recorded class maps, and the two measures the issue sets.
 */
public final class SegmentReference {

    /** A class is present when it covers at least this fraction of the map. */
    public static final double PRESENT = 0.01;

    private SegmentReference() {
    }

    /** The reference lines of {@code model} (a file name), by image name ({@code grace_hopper.bmp}, {@code <video>-0007.png}). */
    public static Map<String, JsonNode> lines(String model) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> out = new HashMap<>();
        for (String line : Files.readAllLines(SharedData.reference().resolve("segment/tflite-"
                + model.replace(".tflite", "") + ".jsonl"))) {
            JsonNode n = json.readTree(line);
            out.put(n.get("image").asText(), n);
        }
        return out;
    }

    /** The recorded class map of an image (its name without extension), row-major, one class per byte. */
    public static byte[] map(String stem) throws Exception {
        Path png = SharedData.reference().resolve("segment/maps/" + stem + ".classmap.png");
        BufferedImage img = ImageIO.read(png.toFile());
        Raster r = img.getRaster();
        byte[] map = new byte[img.getWidth() * img.getHeight()];
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                map[y * img.getWidth() + x] = (byte) r.getSample(x, y, 0);
            }
        }
        return map;
    }

    /** The share of pixels where {@code ours} has the class {@code theirs} has. */
    public static double agreement(byte[] ours, byte[] theirs) {
        long same = 0;
        for (int i = 0; i < theirs.length; i++) {
            if (ours[i] == theirs[i]) {
                same++;
            }
        }
        return (double) same / theirs.length;
    }

    /** Class indices covering at least {@link #PRESENT} in a reference line. */
    public static Set<Integer> present(JsonNode line) {
        Set<Integer> s = new TreeSet<>();
        line.get("classes").forEach(c -> {
            if (c.get("fraction").asDouble() >= PRESENT) {
                s.add(c.get("index").asInt());
            }
        });
        return s;
    }

    /** Class indices covering at least {@link #PRESENT} in our result. */
    public static Set<Integer> present(Segmentation seg) {
        Set<Integer> s = new TreeSet<>();
        for (Segmentation.ClassArea c : seg.classes()) {
            if (c.fraction() >= PRESENT) {
                s.add(c.index());
            }
        }
        return s;
    }

    /** Class indices covering at least {@link #PRESENT} of a class map (one class index per pixel). */
    public static Set<Integer> present(byte[] map) {
        long[] count = new long[256];
        for (byte b : map) {
            count[b & 0xFF]++;
        }
        Set<Integer> s = new TreeSet<>();
        for (int k = 0; k < count.length; k++) {
            if (count[k] > 0 && (double) count[k] / map.length >= PRESENT) {
                s.add(k);
            }
        }
        return s;
    }

    /** A peer's ARG_MAX output (class indices as floats) as a class map, written into {@code map}. */
    public static byte[] classMap(float[] peerOutput, byte[] map) {
        for (int p = 0; p < peerOutput.length; p++) {
            map[p] = (byte) (int) peerOutput[p];
        }
        return map;
    }
}
