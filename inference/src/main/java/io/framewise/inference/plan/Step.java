package io.framewise.inference.plan;

import io.framewise.inference.kernels.Elementwise;

/**
 * One unit of the execution plan. Steps hold immutable packed weights and shapes (shared by all
 * threads); every mutable byte they touch lives in the {@link Workspace} of the calling thread, so a
 * step may run on many threads at once.
 */
public abstract class Step {

    /** What a step spends its time on, for the per-layer breakdown. */
    public enum Kind { STEM, EXPAND, DEPTHWISE, PROJECT, POINTWISE, ADD, HEAD, FUSED_BLOCK, SHAPE }

    private final String name;
    private final Kind kind;
    private TensorSlot snapSlot; // null: no snapping after this step
    private int snapElements;    // per image
    private float snapGrid;
    private Elementwise snapKernel;

    protected Step(String name, Kind kind) {
        this.name = name;
        this.kind = kind;
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    /** Asks {@link #snapOutput} to round this step's output to {@code grid} (set once, by the planner). */
    void snapAfter(Elementwise kernel, TensorSlot out, int elements, float grid) {
        if (grid > 0) {
            this.snapKernel = kernel;
            this.snapSlot = out;
            this.snapElements = elements;
            this.snapGrid = grid;
        }
    }

    /** Rounds the output of the last {@link #run} to its quantization grid, when the plan asks for it. */
    public void snapOutput(Workspace ws, int n) {
        if (snapSlot != null) {
            snapKernel.snap(ws.slot(snapSlot.slot()), 0, n * snapElements, snapGrid);
        }
    }

    /** Runs the step on the first {@code n} images held in the workspace's slots. */
    public abstract void run(Workspace ws, int n);

    /** Multiply-adds per image, for GFLOP/s figures. */
    public abstract long macsPerImage();
}
