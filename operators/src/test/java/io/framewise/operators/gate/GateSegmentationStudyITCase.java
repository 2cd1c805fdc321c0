package io.framewise.operators.gate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.inference.exec.ClassifierOptions;
import io.framewise.inference.exec.CompiledModel;
import io.framewise.inference.exec.Segmentation;
import io.framewise.inference.exec.Segmenter;
import io.framewise.inference.exec.SharedModels;
import io.framewise.operators.decode.FrameDecoder;
import io.framewise.operators.decode.MediaFixtures;
import io.framewise.operators.frames.FrameHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * {@link GateStudyTest} with the segmentation model (README, "Change gate"): the shared videos as the job
 * sees them (JPEG q90 per frame, decoded straight to 513x513), every frame segmented (the ungated run),
 * then the gate replayed at several thresholds: the fraction of frames inferred, and the share of frames
 * whose set of classes covering at least 1 % (background left out) in the gated stream equals the
 * ungated one. An ITCase: ~230 frames at 513x513 take a while on one core.
 */
class GateSegmentationStudyITCase {

    static final String MODEL = "deeplabv3_mnv2_pascal_quant.tflite";
    static final List<String> VIDEOS = List.of("person-bicycle-car-detection.mp4", "worker-zone-detection.mp4",
            "car-detection.mp4");
    static final int MAX_FRAMES = 120;

    @Test
    void fractionInferredAndClassSetAgreementPerVideo() throws Exception {
        CompiledModel model = SharedModels.load(MODEL, null);
        int size = model.input().width();
        List<double[]> results = new ArrayList<>();
        StringBuilder table = new StringBuilder("| video | frames | classes same as previous frame (ungated) "
                + "| mean/block | inferred | class-set agreement |\n");
        try (Segmenter segmenter = new Segmenter(model, ClassifierOptions.defaults().withMaxBatch(1));
             FrameDecoder decoder = new FrameDecoder(size, size)) {
            for (String video : VIDEOS) {
                List<byte[]> jpegs = MediaFixtures.jpegFrames(video, 0, MAX_FRAMES, 0.9f);
                RecordHeaders h = new RecordHeaders();
                h.add(FrameHeaders.CODEC, "jpeg".getBytes(StandardCharsets.UTF_8));
                h.add(FrameHeaders.CAPTURE_TS, "0".getBytes(StandardCharsets.UTF_8));
                h.add(FrameHeaders.SEQUENCE, "0".getBytes(StandardCharsets.UTF_8));
                List<byte[]> pixels = new ArrayList<>();
                List<Set<String>> present = new ArrayList<>();
                for (byte[] j : jpegs) {
                    var f = decoder.decode(h, j).frames().get(0);
                    pixels.add(f.rgb());
                    segmenter.segment(new byte[][] {f.rgb()}, 1);
                    present.add(present(segmenter.result(0, f.sourceWidth(), f.sourceHeight(), 1, false)));
                }
                int stable = 0;
                for (int i = 1; i < present.size(); i++) {
                    stable += present.get(i).equals(present.get(i - 1)) ? 1 : 0;
                }
                double fStable = (double) stable / Math.max(1, present.size() - 1);
                for (double[] t : GateStudyTest.THRESHOLDS) {
                    ChangeGate gate = new ChangeGate(new GateSettings(true, t[0], t[1], GateStudyTest.MAX_SKIP_MS));
                    byte[] ref = null;
                    Long refPts = null;
                    Set<String> carried = null;
                    int inferred = 0;
                    int agree = 0;
                    for (int i = 0; i < pixels.size(); i++) {
                        long pts = Math.round(i * 1000 / 12.5);
                        byte[] thumb = ChangeGate.thumbnail(pixels.get(i), size, size);
                        if (!gate.decide(thumb, pts, ref, refPts).skip()) {
                            ref = thumb;
                            refPts = pts;
                            carried = present.get(i);
                            inferred++;
                        }
                        agree += carried.equals(present.get(i)) ? 1 : 0;
                    }
                    double fInferred = (double) inferred / pixels.size();
                    double fAgree = (double) agree / pixels.size();
                    table.append(String.format(Locale.ROOT, "| %s | %d | %.1f %% | %.1f / %.0f | %.1f %% | %.1f %% |%n",
                            video, pixels.size(), 100 * fStable, t[0], t[1], 100 * fInferred, 100 * fAgree));
                    results.add(new double[] {fInferred, fAgree});
                }
            }
        }
        System.out.println(table);
        int k = GateStudyTest.THRESHOLDS.length;
        for (int v = 0; v < VIDEOS.size(); v++) {
            double[] atDefault = results.get(v * k);
            assertTrue(atDefault[1] >= 0.8, VIDEOS.get(v) + ": class-set agreement at the default " + atDefault[1]
                    + "\n" + table);
            for (int j = 1; j < k; j++) {
                assertTrue(results.get(v * k + j)[0] <= results.get(v * k + j - 1)[0],
                        VIDEOS.get(v) + ": higher thresholds never infer more");
            }
        }
    }

    /** Classes covering at least 1 %, background (class 0) left out. */
    static Set<String> present(Segmentation s) {
        Set<String> out = new TreeSet<>();
        for (Segmentation.ClassArea c : s.classes()) {
            if (c.index() != 0 && c.fraction() >= 0.01) {
                out.add(c.label());
            }
        }
        return out;
    }
}
