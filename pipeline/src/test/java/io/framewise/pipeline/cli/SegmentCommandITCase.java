package io.framewise.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.inference.exec.ClassifierOptions;
import io.framewise.inference.exec.CompiledModel;
import io.framewise.inference.exec.SharedModels;
import io.framewise.inference.exec.Segmenter;
import io.framewise.inference.preprocess.RgbImage;
import io.framewise.operators.decode.SharedData;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code framewise segment} in-process through picocli on the two segmentation photos and a person
 * photo: the documented JSON shape, the person found on grace_hopper.bmp with a box inside the picture,
 * the {@code --masks} overlay, and the usage errors between {@code classify} and {@code segment}.
 */
@Timeout(300)
class SegmentCommandITCase {

    static final String DEEPLAB = SegmentCommand.DEFAULT_MODEL;
    static final Path GRACE = SharedData.image("grace_hopper.bmp");
    static final Path BIRD = SharedData.image("segmentation/bird_segmentation.bmp");
    static final Path DOG = SharedData.image("segmentation/dog_segmentation.bmp");
    static final List<String> LINE_FIELDS = List.of("image", "width", "height", "model", "classes", "mapSha256");
    static final List<String> CLASS_FIELDS = List.of("index", "pixels", "fraction", "box", "boxFraction", "regions");
    static final List<String> REGION_FIELDS = List.of("pixels", "fraction", "box", "boxFraction");

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void segmentsPhotosAndWritesMasks(@TempDir Path masks) throws Exception {
        CliRun r = run("segment", "--masks", masks.toString(), GRACE.toString(), BIRD.toString(), DOG.toString());
        assertEquals(0, r.exit(), r.err());
        List<JsonNode> lines = new ArrayList<>();
        for (String l : r.out().strip().split("\n")) {
            lines.add(new ObjectMapper().readTree(l));
        }
        assertEquals(3, lines.size(), r.out());
        String[] expected = {"person", "bird", "dog"};
        Path[] files = {GRACE, BIRD, DOG};
        for (int i = 0; i < 3; i++) {
            JsonNode line = lines.get(i);
            assertShape(line);
            assertEquals(files[i].toString(), line.get("image").asText());
            RgbImage img = io.framewise.inference.preprocess.ImageFiles.read(files[i]);
            assertEquals(img.width(), line.get("width").asInt());
            assertEquals(img.height(), line.get("height").asInt());
            assertEquals(DEEPLAB, line.get("model").asText());
            JsonNode c = line.get("classes").get(expected[i]);
            assertTrue(c != null && c.get("fraction").asDouble() >= 0.1, expected[i] + " in " + line);
            assertTrue(Files.isRegularFile(masks.resolve(files[i].getFileName().toString()
                    .replaceFirst("\\.bmp$", ".mask.png"))));
        }
        JsonNode person = lines.get(0).get("classes").get("person");
        assertEquals(15, person.get("index").asInt());
        int[] box = ints(person.get("box"));
        assertTrue(box[0] >= 0 && box[1] >= 0 && box[0] <= box[2] && box[1] <= box[3] && box[2] < 512 && box[3] < 600,
                "person box " + person.get("box"));
        assertOverlay(GRACE, masks.resolve("grace_hopper.mask.png"), 15);
    }

    /** Field names and order, types, boxes inside the frame, fractions summing to 1. */
    static void assertShape(JsonNode line) {
        assertEquals(LINE_FIELDS, names(line));
        assertTrue(line.get("mapSha256").asText().matches("[0-9a-f]{64}"));
        int w = line.get("width").asInt();
        int h = line.get("height").asInt();
        double sum = 0;
        for (JsonNode c : iterable(line.get("classes").elements())) {
            assertEquals(CLASS_FIELDS, names(c));
            assertInside(c, w, h);
            sum += c.get("fraction").asDouble();
            for (JsonNode region : iterable(c.get("regions").elements())) {
                assertEquals(REGION_FIELDS, names(region));
                assertInside(region, w, h);
                assertTrue(region.get("fraction").asDouble() <= c.get("fraction").asDouble() + 1e-9);
            }
        }
        assertEquals(1.0, sum, 1e-4, "class fractions of " + line.get("image"));
    }

    static void assertInside(JsonNode area, int w, int h) {
        int[] b = ints(area.get("box"));
        assertTrue(b.length == 4 && b[0] >= 0 && b[1] >= 0 && b[0] <= b[2] && b[1] <= b[3] && b[2] < w && b[3] < h,
                "box " + area.get("box") + " in " + w + "x" + h);
        JsonNode f = area.get("boxFraction");
        assertEquals(4, f.size());
        for (JsonNode v : iterable(f.elements())) {
            assertTrue(v.asDouble() >= 0 && v.asDouble() <= 1);
        }
    }

    /** The mask PNG differs from the photo on the class's pixels and equals it on the background's. */
    static void assertOverlay(Path photo, Path png, int cls) throws Exception {
        BufferedImage mask = ImageIO.read(png.toFile());
        CompiledModel m = SharedModels.load(DEEPLAB, null);
        byte[][] in = {new byte[m.imageBytes()]};
        RgbImage img = ModelTasks.readInto(photo, m.input(), null, in[0], 0);
        assertEquals(img.width(), mask.getWidth());
        assertEquals(img.height(), mask.getHeight());
        byte[] map;
        int mw;
        int mh;
        try (Segmenter s = new Segmenter(m, ClassifierOptions.defaults().withMaxBatch(1))) {
            map = s.segment(in, 1)[0].clone();
            mw = s.mapWidth();
            mh = s.mapHeight();
        }
        long inside = 0;
        long insideChanged = 0;
        long outside = 0;
        long outsideSame = 0;
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                int c = map[Math.min(mh - 1, (int) ((y + 0.5) * mh / img.height())) * mw
                        + Math.min(mw - 1, (int) ((x + 0.5) * mw / img.width()))];
                int i = (y * img.width() + x) * 3;
                int rgb = mask.getRGB(x, y);
                int d = Math.max(Math.abs(((rgb >> 16) & 0xFF) - (img.pixels()[i] & 0xFF)),
                        Math.max(Math.abs(((rgb >> 8) & 0xFF) - (img.pixels()[i + 1] & 0xFF)),
                                Math.abs((rgb & 0xFF) - (img.pixels()[i + 2] & 0xFF))));
                if (c == cls) {
                    inside++;
                    insideChanged += d > 8 ? 1 : 0;
                } else if (c == 0) {
                    outside++;
                    outsideSame += d <= 2 ? 1 : 0;
                }
            }
        }
        assertTrue(inside > 0 && outside > 0);
        assertTrue(insideChanged >= 0.8 * inside, insideChanged + " of " + inside + " class pixels changed");
        // box lines and labels cover a few background pixels; the rest is the photo
        assertTrue(outsideSame >= 0.9 * outside, outsideSame + " of " + outside + " background pixels unchanged");
    }

    @Test
    void classifyGivenASegmentationModelNamesSegment() {
        CliRun r = run("classify", "--model", DEEPLAB, GRACE.toString());
        assertUsageError(r, "segment");
    }

    @Test
    void segmentGivenAClassifierNamesClassify() {
        CliRun r = run("segment", "--model", "mobilenet_v2_1.0_224_quant.tflite", GRACE.toString());
        assertUsageError(r, "classify");
    }

    @Test
    void minAreaOutOfRangeIsAUsageError() {
        assertUsageError(run("segment", "--min-area", "1.5", GRACE.toString()), "--min-area");
    }

    static void assertUsageError(CliRun r, String names) {
        assertEquals(2, r.exit(), r.err());
        assertEquals("", r.out());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains(names), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), err);
    }

    static List<String> names(JsonNode o) {
        List<String> out = new ArrayList<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
        return () -> it;
    }
}
