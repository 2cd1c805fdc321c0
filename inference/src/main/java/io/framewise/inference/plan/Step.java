package io.framewise.inference.plan;

import io.framewise.inference.exec.Workspace;

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

    /** Runs the step on the first {@code n} images held in the workspace's slots. */
    public abstract void run(Workspace ws, int n);

    /** Multiply-adds per image, for GFLOP/s figures. */
    public abstract long macsPerImage();
}
