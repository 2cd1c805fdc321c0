package io.framewise.operators.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewise.inference.SegmentReference;
import io.framewise.inference.exec.ClassifierOptions;
import io.framewise.inference.exec.CompiledModel;
import io.framewise.inference.exec.Segmentation;
import io.framewise.inference.exec.Segmenter;
import io.framewise.inference.exec.SharedModels;
import io.framewise.operators.frames.Codec;
import io.framewise.operators.frames.FrameRecordMeta;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shared person videos as the job sees them: the original file decoded by the job's decoder
 * straight to 513x513 (whole frame, bilinear half-pixel, as {@code segment} and the reference), then
 * segmented by the core, with both DeepLab models. Against the TFLite reference frames
 * ({@code reference/segment}): the RGB fed is the reference's bit for bit on every frame, and so is the
 * class map (its SHA-256), because segmentation computes XNNPACK's integers ({@code IntegerDomain}).
 * A mismatch reports the share of pixels that agree (against the recorded maps, full model) and the
 * classes covering at least 1 %.
 */
class DecodedVideoSegmentationITCase {

    static final String MODEL = "deeplabv3_mnv2_pascal_quant.tflite";
    static final String DM05 = "deeplabv3_mnv2_dm05_pascal_quant.tflite";

    @ParameterizedTest
    @CsvSource({"worker-zone-detection, " + MODEL, "person-bicycle-car-detection, " + MODEL,
        "worker-zone-detection, " + DM05, "person-bicycle-car-detection, " + DM05})
    void decodedFramesSegmentAsTflite(String video, String modelName) throws Exception {
        Map<String, JsonNode> ref = SegmentReference.lines(modelName);
        CompiledModel model = SharedModels.load(modelName, null);
        byte[] mp4 = Files.readAllBytes(SharedData.video(video + ".mp4"));
        int sameRgb = 0;
        StringBuilder mismatches = new StringBuilder();
        try (FrameDecoder decoder = new FrameDecoder(model.input().width(), model.input().height());
             Segmenter s = new Segmenter(model, ClassifierOptions.defaults().withMaxBatch(1))) {
            DecodeResult r = decoder.decode(FrameRecordMeta.of(Codec.MP4, 0, 0), mp4);
            assertTrue(r.isOk(), r::toString);
            int n = r.frames().size();
            for (int i = 0; i < n; i++) {
                DecodedFrame f = r.frames().get(i);
                String key = String.format("%s-%04d", video, i);
                JsonNode fr = ref.get(key + ".png");
                if (fr.get("input_rgb_sha256").asText().equals(Segmentation.sha256(f.rgb(), f.rgb().length))) {
                    sameRgb++;
                }
                byte[] map = s.segment(new byte[][] {f.rgb()}, 1)[0];
                if (!Segmentation.sha256(map, map.length).equals(fr.get("map_sha256").asText())) {
                    Set<Integer> ours = SegmentReference.present(s.result(0, f.sourceWidth(), f.sourceHeight(), 1, false));
                    mismatches.append(String.format(" [#%d: classes >= 1%% TFLite %s ours %s%s]", i,
                            SegmentReference.present(fr), ours, modelName.equals(MODEL)
                                    ? String.format(", %.4f of pixels agree",
                                    SegmentReference.agreement(map, SegmentReference.map(key))) : ""));
                }
            }
            String report = String.format("%s, %s: %d frames, fed RGB identical %d", video, modelName, n, sameRgb);
            System.out.println(report + (mismatches.length() == 0 ? ", every class map TFLite's" : mismatches));
            assertEquals(n, ref.keySet().stream().filter(k -> k.startsWith(video + "-")).count(), report);
            assertEquals(n, sameRgb, "the job's decoder feeds the reference's RGB: " + report);
            assertEquals("", mismatches.toString(), report + ": class maps that are not TFLite's");
        }
    }
}
