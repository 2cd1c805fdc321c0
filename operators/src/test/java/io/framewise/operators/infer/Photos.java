package io.framewise.operators.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.inference.preprocess.ResizePlan;
import io.framewise.operators.decode.MediaFixtures;
import io.framewise.operators.decode.SharedData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The shared photos as model input (224x224 RGB, resized exactly as the TFLite reference was) and
 * the reference's top-1 label for each, read from ../shared/reference/tflite-top5.json.
 */
final class Photos {

    static final String MODEL = "mobilenet_v2_1.0_224_quant.tflite";
    static final int SIZE = 224;
    static final String PARROT = "parrot.jpg";
    static final String BIRD = "bird.bmp";
    static final String CAT = "cat.bmp";
    static final String HOT_DOG = "hot_dog.jpg";

    private static final Map<String, byte[]> PIXELS = new HashMap<>();
    private static Map<String, String> top1;

    private Photos() {
    }

    /** // [224][224][3] RGB */
    static synchronized byte[] pixels(String image) {
        return PIXELS.computeIfAbsent(image, name -> {
            BufferedImage img = MediaFixtures.readImage(name);
            byte[] rgb = MediaFixtures.rgbSamples(img);
            byte[] out = new byte[SIZE * SIZE * 3];
            ResizePlan.full(img.getWidth(), img.getHeight(), SIZE, SIZE).resize(rgb, out, 0);
            return out;
        });
    }

    /** TFLite's top-1 label of the image with {@link #MODEL}, whole image stretched to 224x224. */
    static synchronized String referenceTop1(String image) {
        if (top1 == null) {
            top1 = new HashMap<>();
            try {
                JsonNode root = new ObjectMapper().readTree(SharedData.reference().toFile());
                for (JsonNode img : root.get("images")) {
                    for (JsonNode r : img.get("results")) {
                        if (!MODEL.equals(r.get("model").asText())) {
                            continue;
                        }
                        for (JsonNode v : r.get("variants")) {
                            if ("full".equals(v.get("variant").asText()) && !v.get("ambiguous").asBoolean()) {
                                String file = img.get("image").asText();
                                top1.put(file.substring(file.lastIndexOf('/') + 1), v.get("top5").get(0).get("label").asText());
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String label = top1.get(image);
        if (label == null) {
            throw new IllegalArgumentException("no unambiguous reference for " + image);
        }
        return label;
    }
}
