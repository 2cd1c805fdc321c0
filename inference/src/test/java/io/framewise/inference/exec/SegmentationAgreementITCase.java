package io.framewise.inference.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewise.inference.SegmentReference;
import io.framewise.inference.SharedData;
import io.framewise.inference.kernels.select.KernelSelection;
import io.framewise.inference.plan.PlanOptions;
import io.framewise.inference.preprocess.ImageFiles;
import io.framewise.inference.preprocess.ResizePlan;
import io.framewise.inference.preprocess.RgbImage;
import io.framewise.inference.tflite.TfliteModelLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both DeepLab models on the shared photos against the recorded TFLite 2.20 (XNNPACK) reference
 * ({@code reference/segment/*.jsonl}): the RGB fed is the reference's (same SHA-256: whole frame,
 * bilinear half-pixel resize to 513×513), and the class map is TFLite's bit for bit (the same SHA-256 of
 * the 513×513 map), because the models load in the integer domain and compute what XNNPACK's uint8
 * kernels compute ({@code IntegerDomain}). A mismatch reports the share of pixels that agree (against
 * the recorded map, full model) and the classes covering at least 1 %.
 */
class SegmentationAgreementITCase {

    /** The eight shared photos (the six classification photos and the two segmentation samples). */
    static final String[] PHOTOS = {"bird.bmp", "cat.bmp", "grace_hopper.bmp", "parrot.jpg", "hot_dog.jpg",
        "dragonfly.bmp", "segmentation/bird_segmentation.bmp", "segmentation/dog_segmentation.bmp"};

    @ParameterizedTest
    @ValueSource(strings = {"deeplabv3_mnv2_pascal_quant.tflite", "deeplabv3_mnv2_dm05_pascal_quant.tflite"})
    void classMapsAreTflitesBitForBit(String name) throws Exception {
        CompiledModel m = compile(name);
        assertTrue(m.graph().integerDomain(), name + " should load in the integer domain");
        Map<String, JsonNode> ref = SegmentReference.lines(name);
        StringBuilder mismatches = new StringBuilder();
        try (Segmenter s = new Segmenter(m, ClassifierOptions.defaults().withMaxBatch(1))) {
            for (String photo : PHOTOS) {
                Path file = SharedData.images().resolve(photo);
                String key = file.getFileName().toString();
                JsonNode r = ref.get(key);
                byte[] rgb = modelInput(file, m);
                assertEquals(r.get("input_rgb_sha256").asText(), Segmentation.sha256(rgb, rgb.length), key + ": fed RGB");
                byte[] map = s.segment(new byte[][] {rgb}, 1)[0];
                if (!Segmentation.sha256(map, map.length).equals(r.get("map_sha256").asText())) {
                    Set<Integer> ours = SegmentReference.present(
                            s.result(0, r.get("width").asInt(), r.get("height").asInt(), 1, false));
                    mismatches.append(String.format(" [%s: classes >= 1%% TFLite %s ours %s%s]", key,
                            SegmentReference.present(r), ours, full(name) ? String.format(", %.4f of pixels agree",
                                    SegmentReference.agreement(map, SegmentReference.map(key.replaceAll("\\.[a-z]+$", ""))))
                                    : ""));
                }
            }
        }
        assertEquals("", mismatches.toString(), name + ": class maps that are not TFLite's");
    }

    static boolean full(String name) {
        return name.equals("deeplabv3_mnv2_pascal_quant.tflite");
    }

    static CompiledModel compile(String name) {
        return CompiledModel.compile(TfliteModelLoader.load(SharedData.model(name)), Integer::toString,
                KernelSelection.get(), PlanOptions.defaults());
    }

    /** The reference recipe: the whole picture, bilinear half-pixel, to the model's input size. */
    static byte[] modelInput(Path file, CompiledModel m) throws Exception {
        RgbImage img = ImageFiles.read(file);
        byte[] rgb = new byte[m.imageBytes()];
        ResizePlan.full(img.width(), img.height(), m.input().width(), m.input().height()).resize(img.pixels(), rgb, 0);
        return rgb;
    }
}
