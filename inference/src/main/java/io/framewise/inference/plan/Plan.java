package io.framewise.inference.plan;

import io.framewise.inference.kernels.KernelSet;
import io.framewise.inference.model.ModelGraph;

import java.util.List;

/**
 * The executable form of a model: steps with their packed weights (immutable, shared by every thread
 * and operator instance of a JVM) plus the sizes a per-thread workspace must have.
 *
 * @param steps         the forward pass with one thread per image
 * @param splitSteps    the forward pass of a batch split over threads layer by layer: the same steps,
 *                      but blocks fused down to {@link PlanOptions#fuseSplitAboveBytes} (a fused block
 *                      is one fork-join, and each thread's band of the expanded tensor stays in its own
 *                      core's cache); bit-identical to {@code steps}
 * @param batchFrom     the first step of the batched tail: a batch on one thread runs steps
 *                      {@code [0, batchFrom)} image by image and the rest over the whole batch (see
 *                      {@link Planner}); {@code steps.size()} when every step runs image by image
 * @param batchInput    the one tensor live into step {@code batchFrom} (null without a tail)
 * @param slotFloats    per-image floats of each workspace slot
 * @param input         where the input image goes ({@code [H][W][C]} floats per image)
 * @param output        where the output vector ends up ({@code [classes]} per image)
 * @param expandTile    floats of the fused blocks' expanded-row tile (0 when nothing is fused)
 * @param dwTile        floats of the fused blocks' depthwise output tile
 */
public record Plan(ModelGraph graph, KernelSet kernels, PlanOptions options, List<Step> steps, List<Step> splitSteps,
                   int batchFrom, TensorSlot batchInput, int[] slotFloats,
                   TensorSlot input, TensorSlot output, int expandTile, int dwTile) {

    public long macsPerImage() {
        long m = 0;
        for (Step s : steps) {
            m += s.macsPerImage();
        }
        return m;
    }

    public long fusedBlocks() {
        return steps.stream().filter(s -> s.kind() == Step.Kind.FUSED_BLOCK).count();
    }

    /** Layers that also keep their weights as bytes, for batches of up to {@code PointwiseStep.BYTE_ROWS} rows. */
    public long byteWeightLayers() {
        return steps.stream().filter(s -> s instanceof PointwiseStep p && p.runsOnBytes(1)).count();
    }
}
