package io.framewise.inference.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.inference.SharedData;
import io.framewise.inference.kernels.select.KernelSelection;
import io.framewise.inference.model.Labels;
import io.framewise.inference.peer.TflitePeer;
import io.framewise.inference.plan.PlanOptions;
import io.framewise.inference.preprocess.ImageFiles;
import io.framewise.inference.preprocess.ResizePlan;
import io.framewise.inference.preprocess.RgbImage;
import io.framewise.inference.tflite.TfliteModelLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every shared model on every shared photo against live TFLite (XNNPACK) in the same JVM: the same
 * top-1, and each of our top-5 scores within 0.05 of TFLite's dequantized score for that class. The
 * two ImageNet V2 models are also held to the recorded reference file.
 *
 * <p>One documented exception (docs/inference.md, "Agreement with TFLite"): on an image the reference
 * file calls ambiguous (TFLite's top-1 minus top-2 below {@link #AMBIGUOUS_MARGIN}), where TFLite's
 * own two backends differ by up to 0.09 on a score, TFLite's top-1 must be among our top two (and the
 * score tolerance still holds). This happens once in the shared set: MobileNetV1 0.5/160 on
 * grace_hopper, TFLite 0.230 vs 0.199, ours a tie at 0.211.
 */
class PeerAgreementTest {

    static final double SCORE_TOLERANCE = 0.05;
    static final double AMBIGUOUS_MARGIN = 0.10;
    /** docs/inference.md: 0.053 on dragonfly.bmp (a low-confidence image where TFLite's backends differ by 0.117). */
    static final double BIRD_SCORE_TOLERANCE = 0.06;

    @ParameterizedTest
    @ValueSource(strings = {"mobilenet_v2_1.0_224_quant.tflite", "tf2_mobilenet_v2_1.0_224_ptq.tflite",
            "mobilenet_v2_1.0_224_inat_bird_quant.tflite", "mobilenet_v1_0.25_128_quant.tflite",
            "mobilenet_v1_0.5_160_quant.tflite"})
    void agreesWithLiveTflite(String name) throws Exception {
        Path file = SharedData.model(name);
        CompiledModel m = CompiledModel.compile(TfliteModelLoader.load(file), Integer::toString, KernelSelection.get(),
                PlanOptions.defaults());
        List<Path> images = photos();
        int w = m.input().width();
        int h = m.input().height();
        try (Classifier c = new Classifier(m, ClassifierOptions.defaults().withMaxBatch(images.size()).withScores(true));
             TflitePeer peer = new TflitePeer(file, 1)) {
            byte[] batch = new byte[images.size() * m.imageBytes()];
            for (int i = 0; i < images.size(); i++) {
                RgbImage img = ImageFiles.read(images.get(i));
                ResizePlan.full(img.width(), img.height(), w, h).resize(img.pixels(), batch, i * m.imageBytes());
            }
            Classification[] ours = c.classify(batch, images.size());
            for (int i = 0; i < images.size(); i++) {
                byte[] one = java.util.Arrays.copyOfRange(batch, i * m.imageBytes(), (i + 1) * m.imageBytes());
                float[] theirs = peer.run(one);
                int theirTop = argmax(theirs);
                int theirSecond = second(theirs, theirTop);
                String where = name + " on " + images.get(i).getFileName() + ": ours " + ours[i] + ", TFLite top-1 "
                        + theirTop + "=" + theirs[theirTop] + ", top-2 " + theirSecond + "=" + theirs[theirSecond];
                if (theirs[theirTop] - theirs[theirSecond] < AMBIGUOUS_MARGIN) {
                    assertTrue(ours[i].index(0) == theirTop || ours[i].index(1) == theirTop, where);
                } else {
                    assertEquals(theirTop, ours[i].index(0), where);
                }
                double tolerance = name.contains("inat_bird") ? BIRD_SCORE_TOLERANCE : SCORE_TOLERANCE;
                for (int k = 0; k < ours[i].k(); k++) {
                    int cls = ours[i].index(k);
                    assertTrue(Math.abs(ours[i].score(k) - theirs[cls]) <= tolerance,
                            where + ": class " + cls + " ours " + ours[i].score(k) + " vs TFLite " + theirs[cls]);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mobilenet_v2_1.0_224_quant.tflite", "tf2_mobilenet_v2_1.0_224_ptq.tflite"})
    void agreesWithRecordedReference(String name) throws Exception {
        JsonNode ref = new ObjectMapper().readTree(SharedData.reference().resolve("tflite-top5.json").toFile());
        CompiledModel m = CompiledModel.compile(TfliteModelLoader.load(SharedData.model(name)),
                Labels.load(SharedData.model("imagenet_labels.txt"))::label, KernelSelection.get(), PlanOptions.defaults());
        int checked = 0;
        try (Classifier c = new Classifier(m, ClassifierOptions.defaults().withMaxBatch(1).withScores(true))) {
            for (JsonNode image : ref.get("images")) {
                for (JsonNode result : image.get("results")) {
                    if (!result.get("model").asText().equals(name)) {
                        continue;
                    }
                    for (JsonNode v : result.get("variants")) {
                        if (!v.get("variant").asText().equals("full")) {
                            continue;
                        }
                        RgbImage img = ImageFiles.read(SharedData.reference().getParent().resolve(image.get("image").asText()));
                        byte[] px = new byte[m.imageBytes()];
                        ResizePlan.full(img.width(), img.height(), 224, 224).resize(img.pixels(), px, 0);
                        Classification r = c.classify(px, 1)[0];
                        JsonNode top5 = v.get("top5");
                        String where = name + " on " + image.get("image").asText() + ": ours " + r;
                        assertEquals(top5.get(0).get("index").asInt(), r.index(0), where);
                        assertEquals(top5.get(0).get("label").asText(), r.label(0), where);
                        for (JsonNode t : top5) {
                            float ourScore = r.scores()[t.get("index").asInt()];
                            assertTrue(Math.abs(ourScore - t.get("score").asDouble()) <= SCORE_TOLERANCE,
                                    where + ": class " + t.get("index").asInt() + " ours " + ourScore + " vs reference "
                                            + t.get("score").asDouble());
                        }
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked >= 6, "reference entries checked: " + checked);
    }

    static List<Path> photos() throws Exception {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(SharedData.images())) {
            s.filter(p -> p.toString().matches(".*\\.(bmp|jpg)$")).sorted().forEach(out::add);
        }
        assertTrue(out.size() >= 6, "shared photos: " + out);
        return out;
    }

    static int second(float[] v, int top) {
        int best = top == 0 ? 1 : 0;
        for (int i = 0; i < v.length; i++) {
            if (i != top && v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
