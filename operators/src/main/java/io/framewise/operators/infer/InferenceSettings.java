package io.framewise.operators.infer;

import io.framewise.inference.exec.ClassifierOptions;
import java.io.Serializable;

/**
 * What {@link BatchInferenceOperator} needs, shipped with the job graph.
 *
 * @param model           model file (a path, or a name resolved in the shared models folder)
 * @param labels          labels file, or null for the one that goes with the model
 * @param topK            classes per event
 * @param batchSize       frames per forward pass: a batch runs as soon as this many wait
 * @param batchTimeoutMs  a batch also runs this long after its first frame arrived
 * @param threads         intra-batch threads of the classifier
 * @param overlap         run each batch on an inference thread while the task thread decodes the next
 *                        frames (one batch in flight); false runs it on the task thread
 * @param minRegionFraction segmentation: connected regions smaller than this fraction of the class map
 *                        are left out of an event's {@code regions}
 */
public record InferenceSettings(String model, String labels, int topK, int batchSize, long batchTimeoutMs, int threads,
                                boolean overlap, double minRegionFraction) implements Serializable {

    /** The smallest region an event lists by default: the {@code segment} command's {@code --min-area}. */
    public static final double DEFAULT_MIN_REGION = 0.005;

    public InferenceSettings(String model, String labels, int topK, int batchSize, long batchTimeoutMs, int threads,
                             boolean overlap) {
        this(model, labels, topK, batchSize, batchTimeoutMs, threads, overlap, DEFAULT_MIN_REGION);
    }

    /** The classifier these settings ask for: one forward pass takes a whole batch. */
    public ClassifierOptions classifierOptions() {
        return new ClassifierOptions(topK, batchSize, threads, false);
    }

    public InferenceSettings {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model is required");
        }
        if (topK < 1 || batchSize < 1 || threads < 1) {
            throw new IllegalArgumentException("topK, batchSize and threads must be >= 1: " + topK + ", " + batchSize
                    + ", " + threads);
        }
        if (!(minRegionFraction >= 0 && minRegionFraction < 1)) {
            throw new IllegalArgumentException("minRegionFraction must be in [0, 1), got " + minRegionFraction);
        }
        if (batchTimeoutMs < 0) {
            throw new IllegalArgumentException("batchTimeoutMs must be >= 0, got " + batchTimeoutMs);
        }
    }
}
