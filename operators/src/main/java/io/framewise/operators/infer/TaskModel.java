package io.framewise.operators.infer;

import io.framewise.inference.exec.Classification;
import io.framewise.inference.exec.Classifier;
import io.framewise.inference.exec.CompiledModel;
import io.framewise.inference.exec.Segmentation;
import io.framewise.inference.exec.Segmenter;
import io.framewise.operators.records.LabeledEvent;
import io.framewise.operators.records.ModelFrame;

/**
 * The model's task on a batch, chosen from the model itself, not from a flag: a graph ending in ARG_MAX
 * segments (events carry {@code classes}), any other classifies (events carry {@code top}).
 *
 * <p>Segmentation summaries (class areas, boxes in each frame's own pixels, 8-connected regions) are
 * built here, on the thread that ran the batch, so the task thread only emits. They allocate; the
 * forward pass does not.
 */
final class TaskModel implements AutoCloseable {

    private final Classifier classifier; // null when segmenting
    private final Segmenter segmenter;   // null when classifying
    private final double minRegionFraction;

    TaskModel(CompiledModel model, InferenceSettings settings) {
        if (model.graph().isSegmentation()) {
            classifier = null;
            segmenter = new Segmenter(model, settings.classifierOptions());
        } else {
            classifier = new Classifier(model, settings.classifierOptions());
            segmenter = null;
        }
        minRegionFraction = settings.minRegionFraction();
    }

    boolean segmentation() {
        return segmenter != null;
    }

    /**
     * Runs {@code n} images; {@code widths}/{@code heights} are the frames' own sizes (segmentation boxes
     * are given in them). Returns one {@link Classification} or {@link Segmentation} per image.
     */
    Object[] run(byte[][] images, int n, int[] widths, int[] heights) {
        if (classifier != null) {
            return classifier.classify(images, n);
        }
        segmenter.segment(images, n);
        Segmentation[] out = new Segmentation[n];
        for (int i = 0; i < n; i++) {
            out[i] = segmenter.result(i, widths[i], heights[i], minRegionFraction, false);
        }
        return out;
    }

    /** The event of a frame inferred as {@code result} (one of {@link #run}'s). */
    static LabeledEvent event(EventFactory events, ModelFrame f, Object result, String batchId, int batchSize,
                              long startMs, double inferenceMs, long now) {
        return result instanceof Segmentation s
                ? events.inferred(f, s, batchId, batchSize, startMs, inferenceMs, now)
                : events.inferred(f, (Classification) result, batchId, batchSize, startMs, inferenceMs, now);
    }

    @Override
    public void close() {
        if (classifier != null) {
            classifier.close();
        }
        if (segmenter != null) {
            segmenter.close();
        }
    }
}
