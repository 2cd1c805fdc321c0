package io.framewise.operators.infer;

import io.framewise.inference.exec.Classification;
import io.framewise.inference.exec.Segmentation;
import io.framewise.operators.records.DeadLetter;
import io.framewise.operators.records.DeadLetterReason;
import io.framewise.operators.records.GateReading;
import io.framewise.operators.records.LabeledEvent;
import io.framewise.operators.records.ModelFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What {@link BatchInferenceOperator} emits for a frame: an inferred or carried event, or a dead letter. */
final class EventFactory {

    private final String modelName;
    private final String modelSha256;

    EventFactory(String modelName, String modelSha256) {
        this.modelName = modelName;
        this.modelSha256 = modelSha256;
    }

    String modelSha256() {
        return modelSha256;
    }

    LabeledEvent inferred(ModelFrame f, Classification c, String batchId, int batchSize, long startMs,
                          double inferenceMs, long now) {
        List<LabeledEvent.Top> top = new ArrayList<>(c.k());
        for (int r = 0; r < c.k(); r++) {
            top.add(new LabeledEvent.Top(c.index(r), c.label(r), c.score(r)));
        }
        return event(f, top, true, batchId, batchSize, Math.max(0, startMs - f.decodedAtMs()), inferenceMs, now, null,
                null, null);
    }

    LabeledEvent inferred(ModelFrame f, Segmentation s, String batchId, int batchSize, long startMs,
                          double inferenceMs, long now) {
        return event(f, List.of(), true, batchId, batchSize, Math.max(0, startMs - f.decodedAtMs()), inferenceMs, now,
                null, s.classes(), s.mapSha256());
    }

    /** The event of a frame not inferred: its camera's {@code last} result, queue time until now. */
    LabeledEvent carried(ModelFrame f, LabeledEvent last, long now) {
        return event(f, last.top(), false, last.batchId(), last.batchSize(), Math.max(0, now - f.decodedAtMs()), 0,
                now, f.gate(), last.classes(), last.mapSha256());
    }

    private LabeledEvent event(ModelFrame f, List<LabeledEvent.Top> top, boolean inferred, String batchId,
                               int batchSize, double queueMs, double inferenceMs, long now, GateReading gate,
                               List<Segmentation.ClassArea> classes, String mapSha256) {
        LabeledEvent.Latency latency = new LabeledEvent.Latency(f.decodeNanos() / 1e6, queueMs, inferenceMs,
                now - f.captureTsMs());
        return new LabeledEvent(f.camera(), f.sequence(), f.indexInSegment(), f.captureTsMs(), f.ptsMs(), f.topic(),
                f.partition(), f.offset(), modelName, modelSha256, top, inferred, batchId, batchSize, latency, gate,
                classes, mapSha256);
    }

    /**
     * A frame the model cannot take. The encoded record is gone by now: the dead letter keeps the key
     * and the source coordinates.
     */
    DeadLetter rejected(ModelFrame f, int width, int height, int imageBytes, long now) {
        String message = "frame of " + f.pixels().length + " bytes; " + modelName + " takes "
                + width + "x" + height + "x3 = " + imageBytes + " bytes";
        return new DeadLetter(f.camera().getBytes(StandardCharsets.UTF_8), null, Map.of(),
                DeadLetterReason.MODEL_REJECTED, message, f.topic(), f.partition(), f.offset(), f.camera(), now);
    }

    /** {@code f} marked to infer: its camera has no result to carry yet. */
    static ModelFrame withInfer(ModelFrame f) {
        return new ModelFrame(f.camera(), f.sequence(), f.indexInSegment(), f.framesInSegment(), f.captureTsMs(),
                f.ptsMs(), f.topic(), f.partition(), f.offset(), f.pixels(), f.srcWidth(), f.srcHeight(),
                f.decodeNanos(), f.decodedAtMs(), true, null);
    }
}
