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

    /**
     * Whether {@link #runPart} splits this step's work over the first {@code n} images (intra-op
     * parallelism). Steps that do not split are run whole, by {@link #run} and {@link #snapOutput}.
     */
    public boolean splits(int n) {
        return bandRows() >= 2;
    }

    /**
     * Output rows per image that {@link #runPart} may split in bands ({@link #runBand}); 0 (the default):
     * the step splits otherwise or not at all.
     */
    protected int bandRows() {
        return 0;
    }

    /**
     * Part {@code part} of {@code parts} of {@link #run} followed by {@link #snapOutput}: parts write
     * disjoint output and each element is computed by the same operations as in {@code run}, so the
     * union of the parts is bit-identical to it. {@code ws} holds the slots (shared by the parts);
     * {@code own} is the calling part's workspace, for its tiles.
     */
    public void runPart(Workspace ws, Workspace own, int n, int part, int parts) {
        if (bandRows() < 2) {
            throw new UnsupportedOperationException(name + " does not split");
        }
        runBands(ws, own, n, bandRows(), part, parts);
    }

    /** Band {@code part} of {@code parts} of {@code rows} output rows, image by image. */
    private void runBands(Workspace ws, Workspace own, int n, int rows, int part, int parts) {
        int oy0 = share(rows, part, parts, 1);
        int oy1 = share(rows, part + 1, parts, 1);
        for (int i = 0; oy1 > oy0 && i < n; i++) {
            runBand(ws, own, i, oy0, oy1);
        }
    }

    /** Output rows {@code [oy0, oy1)} of image {@code i}, snapped (steps with {@link #bandRows}). */
    protected void runBand(Workspace ws, Workspace own, int i, int oy0, int oy1) {
        throw new UnsupportedOperationException(name + " does not split in bands");
    }

    /** Start of share {@code part} of {@code parts} of {@code total} units, rounded down to {@code align}. */
    protected static int share(int total, int part, int parts, int align) {
        if (part >= parts) {
            return total;
        }
        return (int) ((long) total * part / parts) / align * align;
    }

    /** Snaps elements {@code [from, to)} of the output slot (what {@link #snapOutput} does to all). */
    protected void snapRange(Workspace ws, int from, int to) {
        if (snapSlot != null && to > from) {
            snapKernel.snap(ws.slot(snapSlot.slot()), from, to - from, snapGrid);
        }
    }

    /** Multiply-adds per image, for GFLOP/s figures. */
    public abstract long macsPerImage();
}
