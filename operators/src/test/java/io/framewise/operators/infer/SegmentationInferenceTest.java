package io.framewise.operators.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.inference.exec.Segmentation;
import io.framewise.inference.preprocess.ResizePlan;
import io.framewise.operators.decode.MediaFixtures;
import io.framewise.operators.decode.SharedData;
import io.framewise.operators.records.LabeledEvent;
import io.framewise.operators.records.LabeledEventSerializer;
import io.framewise.operators.records.ModelFrame;
import io.framewise.operators.records.ModelFrameSerializer;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The batching operator with the DeepLabV3 model: the task follows from the model file, events carry
 * {@code classes} with boxes in each frame's own pixels, the classes covering at least 1 % are TFLite's,
 * and a frame not inferred carries its camera's last segmentation.
 */
class SegmentationInferenceTest {

    private static final String MODEL = "deeplabv3_mnv2_pascal_quant.tflite";
    private static final int SIZE = 513;

    @Test
    void segmentationModelMakesSegmentationEvents() throws Exception {
        var op = new BatchInferenceOperator(new InferenceSettings(MODEL, null, 5, 2, 60_000, 1, false));
        try (var h = new OneInputStreamOperatorTestHarness<>(op, ModelFrameSerializer.INSTANCE)) {
            h.setup(LabeledEventSerializer.INSTANCE);
            h.open();
            h.processElement(frame("cam-a", 0, "grace_hopper.bmp", true), 1);
            h.processElement(frame("cam-b", 0, "bird.bmp", true), 2);
            h.processElement(frame("cam-a", 1, "grace_hopper.bmp", false), 3);
            List<LabeledEvent> events = h.extractOutputValues();
            assertEquals(3, events.size());
            for (int i = 0; i < 2; i++) {
                LabeledEvent e = events.get(i);
                String image = i == 0 ? "grace_hopper.bmp" : "bird.bmp";
                assertEquals(LabeledEvent.SEGMENTATION, e.task());
                assertTrue(e.top().isEmpty());
                assertTrue(e.inferred());
                assertEquals(64, e.mapSha256().length());
                JsonNode ref = reference(image);
                assertEquals(referenceClasses(ref), classesAtLeast(e, 0.01), image);
                // boxes in the frame's own pixels: the class box scaled from the 513x513 map
                int w = ref.get("width").asInt();
                int h2 = ref.get("height").asInt();
                for (Segmentation.ClassArea c : e.classes()) {
                    assertTrue(c.box()[2] < w && c.box()[3] < h2, c.toString());
                    JsonNode rb = ref.get("classes").has(c.label()) ? ref.get("classes").get(c.label()).get("box") : null;
                    if (rb != null && c.fraction() >= 0.01) {
                        assertEquals(rb.get(0).asDouble() / SIZE, c.boxFraction()[0], 0.03, image + " " + c.label());
                        assertEquals((rb.get(2).asDouble() + 1) / SIZE, c.boxFraction()[2], 0.03, image + " " + c.label());
                    }
                    assertFalse(c.regions().isEmpty(), c.toString());
                }
            }
            LabeledEvent carried = events.get(2);
            assertFalse(carried.inferred());
            assertEquals(events.get(0).classes(), carried.classes());
            assertEquals(events.get(0).mapSha256(), carried.mapSha256());
            assertNull(carried.gate());
        }
    }

    private static TreeSet<String> classesAtLeast(LabeledEvent e, double fraction) {
        TreeSet<String> s = new TreeSet<>();
        for (Segmentation.ClassArea c : e.classes()) {
            if (c.fraction() >= fraction) {
                s.add(c.label());
            }
        }
        return s;
    }

    private static TreeSet<String> referenceClasses(JsonNode ref) {
        TreeSet<String> s = new TreeSet<>();
        ref.get("classes").fields().forEachRemaining(m -> {
            if (m.getValue().get("fraction").asDouble() >= 0.01) {
                s.add(m.getKey());
            }
        });
        return s;
    }

    private static final Map<String, JsonNode> REFERENCE = new TreeMap<>();

    private static synchronized JsonNode reference(String image) throws Exception {
        if (REFERENCE.isEmpty()) {
            ObjectMapper m = new ObjectMapper();
            for (String line : Files.readAllLines(SharedData.root().resolve("reference/segment/tflite-" + MODEL.replace(
                    ".tflite", ".jsonl")))) {
                JsonNode o = m.readTree(line);
                REFERENCE.put(o.get("image").asText(), o);
            }
        }
        return REFERENCE.get(image);
    }

    private static ModelFrame frame(String camera, long seq, String image, boolean infer) {
        BufferedImage img = MediaFixtures.readImage(image);
        byte[] out = new byte[SIZE * SIZE * 3];
        ResizePlan.full(img.getWidth(), img.getHeight(), SIZE, SIZE).resize(MediaFixtures.rgbSamples(img), out, 0);
        long now = System.currentTimeMillis();
        return new ModelFrame(camera, seq, 0, 1, now - 5, now - 5, "frames", 0, seq, out, img.getWidth(),
                img.getHeight(), 1_500_000, now, infer);
    }
}
