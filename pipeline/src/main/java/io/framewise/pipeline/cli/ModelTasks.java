package io.framewise.pipeline.cli;

import io.framewise.inference.exec.CompiledModel;
import io.framewise.inference.exec.SharedModels;
import io.framewise.inference.model.InputSpec;
import io.framewise.inference.preprocess.ImageFiles;
import io.framewise.inference.preprocess.ResizePlan;
import io.framewise.inference.preprocess.RgbImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What {@code classify} and {@code segment} share: loading a model for one task (a model of the other
 * task is a usage error naming the right command) and reading a picture the way the references do.
 */
final class ModelTasks {

    static final String MODEL_HELP = "Model file or name under $FRAMEWISE_DATA/models, ../shared/models or "
            + "~/.cache/framewise/models (default: ${DEFAULT-VALUE}).";
    static final String LABELS_HELP = "Labels file or name (default: the one that goes with the model).";

    private ModelTasks() {
    }

    /** A classification model (one score vector per image); a segmentation model is a usage error. */
    static CompiledModel classifier(String model, String labels) {
        return load(model, labels, false);
    }

    /** A segmentation model (a graph ending in ARG_MAX); a classifier is a usage error. */
    static CompiledModel segmenter(String model, String labels) {
        return load(model, labels, true);
    }

    private static CompiledModel load(String model, String labels, boolean segmentation) {
        CompiledModel m = SharedModels.load(model, labels);
        if (m.graph().isSegmentation() != segmentation) {
            throw new IllegalArgumentException(m.graph().name() + (segmentation
                    ? " is a classification model (one label per image): use ./framewise classify"
                    : " is a segmentation model (a class per pixel): use ./framewise segment"));
        }
        return m;
    }

    /**
     * Reads {@code file} and writes it at the model's input size into {@code dst} from {@code off}: the
     * whole picture stretched (or a central {@code crop} fraction of it), bilinear with half-pixel
     * centres, the recipe of the TFLite references. Returns the picture as read.
     */
    static RgbImage readInto(Path file, InputSpec in, Double crop, byte[] dst, int off) throws IOException {
        RgbImage img = ImageFiles.read(file);
        ResizePlan plan = crop == null
                ? ResizePlan.full(img.width(), img.height(), in.width(), in.height())
                : ResizePlan.centralCrop(img.width(), img.height(), crop, in.width(), in.height());
        plan.resize(img.pixels(), dst, off);
        return img;
    }
}
