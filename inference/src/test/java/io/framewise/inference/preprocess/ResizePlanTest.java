package io.framewise.inference.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.inference.SharedData;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decode and resize must match the TFLite reference file bit for bit, for every shared image. */
class ResizePlanTest {

    @Test
    void decodeAndResizeMatchReferenceHashes() throws Exception {
        JsonNode ref = new ObjectMapper().readTree(SharedData.reference().resolve("tflite-top5.json").toFile());
        int checked = 0;
        for (JsonNode image : ref.get("images")) {
            Path file = SharedData.reference().getParent().resolve(image.get("image").asText());
            RgbImage img = ImageFiles.read(file);
            assertEquals(image.get("width").asInt(), img.width());
            assertEquals(image.get("height").asInt(), img.height());
            assertEquals(image.get("decoded_rgb_sha256").asText(), sha256(img.pixels()), "decoded RGB of " + file);
            for (JsonNode result : image.get("results")) {
                for (JsonNode variant : result.get("variants")) {
                    JsonNode box = variant.get("crop_box_xywh");
                    String name = variant.get("variant").asText();
                    ResizePlan plan = name.equals("full")
                            ? ResizePlan.full(img.width(), img.height(), 224, 224)
                            : ResizePlan.centralCrop(img.width(), img.height(),
                            Double.parseDouble(name.substring(name.lastIndexOf('_') + 1)), 224, 224);
                    byte[] out = new byte[plan.outputBytes()];
                    plan.resize(img.pixels(), out, 0);
                    assertEquals(variant.get("resized_rgb_sha256").asText(), sha256(out),
                            name + " resize of " + file + " (crop box " + box + ")");
                    checked++;
                }
            }
        }
        assertTrue(checked >= 6, "checked " + checked + " resized images");
    }

    @Test
    void bgrInputGivesTheSameRgbOutput() {
        byte[] rgb = new byte[5 * 3 * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) (i * 37);
        }
        byte[] bgr = rgb.clone();
        for (int p = 0; p < 15; p++) {
            bgr[p * 3] = rgb[p * 3 + 2];
            bgr[p * 3 + 2] = rgb[p * 3];
        }
        ResizePlan plan = ResizePlan.full(5, 3, 4, 7);
        byte[] a = new byte[plan.outputBytes()];
        byte[] b = new byte[plan.outputBytes()];
        plan.resize(rgb, a, 0);
        plan.fromBgr().resize(bgr, b, 0);
        assertEquals(sha256(a), sha256(b));
    }

    @Test
    void rejectsBadGeometry() {
        assertThrows(IllegalArgumentException.class, () -> ResizePlan.full(0, 10, 224, 224));
        assertThrows(IllegalArgumentException.class, () -> ResizePlan.centralCrop(10, 10, 1.5, 224, 224));
        ResizePlan plan = ResizePlan.full(10, 10, 4, 4);
        assertThrows(IllegalArgumentException.class, () -> plan.resize(new byte[10], new byte[48], 0));
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
