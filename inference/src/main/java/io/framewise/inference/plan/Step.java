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
    private float snapScale; // rint(x * snapScale) * snapGrid: 1/grid, or the integer domain's requantization scale
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

    /**
     * Asks {@link #snapOutput} to round this step's output with {@code rint(x * scale) * grid} (set once, by
     * the planner): to the output's grid ({@code scale} = 1/grid), or in the integer domain to integers
     * with a convolution's requantization scale (grid 1).
     */
    void snapAfter(Elementwise kernel, TensorSlot out, int elements, float scale, float grid) {
        if (grid > 0) {
            this.snapKernel = kernel;
            this.snapSlot = out;
            this.snapElements = elements;
            this.snapScale = scale;
            this.snapGrid = grid;
        }
    }

    /** Rounds the output of the last {@link #run} to its quantization grid, when the plan asks for it. */
    public void snapOutput(Workspace ws, int n) {
        if (snapSlot != null && !roundsInRun()) {
            snapKernel.snap(ws.slot(snapSlot.slot()), snapSlot.offset(0), n * snapElements, snapScale, snapGrid);
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

    /**
     * The grid a kernel should round its stores to itself (its clamp then {@code rint(x · scale) · grid},
     * scale from {@link #snapScale}) in place of {@link #snapRange}'s pass: the output's grid when this
     * step is asked to snap and that rounding is exact on {@code [lo, hi]}; otherwise 0.
     */
    protected final float kernelGrid(float lo, float hi) {
        return snapSlot != null && Elementwise.snapsInRange(lo, hi, snapScale, snapGrid) ? snapGrid : 0f;
    }

    /** The scale of the output's rounding, {@code rint(x · scale) · grid} (1 when the step does not snap). */
    protected final float snapScale() {
        return snapSlot != null ? snapScale : 1f;
    }

    /** Whether {@link #snapOutput} has a separate rounding pass to make. */
    protected final boolean snapsSeparately() {
        return snapSlot != null && !roundsInRun();
    }

    /** Whether {@link #run} rounds its output itself ({@link #runInBands}), leaving {@link #snapOutput} nothing to do. */
    protected boolean roundsInRun() {
        return false;
    }

    /** Outputs per band of {@link #runInBands}: 64 KB, so a band is still in L1/L2 when it is rounded. */
    private static final int BAND_FLOATS = 16 * 1024;

    /**
     * Runs image after image in bands of output rows through {@link #runBand}, which rounds each band to
     * the grid right after the kernel wrote it. Rounding the whole output after the layer re-read
     * tensors of up to 112×112×96 floats from memory: the unfused depthwise steps of MobileNetV2 took
     * 1.82 ms per image that way and 1.32-1.36 ms in bands (b8t1, docs/benchmarks.md part 4).
     */
    protected final void runInBands(Workspace ws, int n, int rows, int rowFloats) {
        int band = Math.max(2, BAND_FLOATS / Math.max(1, rowFloats));
        for (int i = 0; i < n; i++) {
            for (int oy0 = 0; oy0 < rows; oy0 += band) {
                runBand(ws, ws, i, oy0, Math.min(rows, oy0 + band));
            }
        }
    }

    /**
     * Start of share {@code part} of {@code parts} of {@code total} units, rounded to the nearest multiple
     * of {@code align}. Rounded down, the classifier's 1001 columns in 64-column groups split 448 + 553
     * on 2 threads (41-46 against 51-60 µs an image); to the nearest, 512 + 489.
     */
    protected static int share(int total, int part, int parts, int align) {
        if (part >= parts) {
            return total;
        }
        long at = Math.round((double) total * part / parts / align) * align;
        return (int) Math.min(at, total);
    }

    /** Snaps elements {@code [from, to)} of the output slot (what {@link #snapOutput} does to all). */
    protected void snapRange(Workspace ws, int from, int to) {
        if (snapSlot != null && to > from) {
            snapKernel.snap(ws.slot(snapSlot.slot()), from, to - from, snapScale, snapGrid);
        }
    }

    /** Multiply-adds per image, for GFLOP/s figures. */
    public abstract long macsPerImage();

    /**
     * The multiply-adds per image this step does as kind {@code k}: all of them under its own kind. A
     * fused block overrides this with its phases (expand, depthwise, project), the kinds its profile
     * times them under ({@link Workspace#nanosByKind}), so a per-kind GFLOP/s figure covers fused and
     * unfused layers alike.
     */
    public long macsPerImage(Kind k) {
        return k == kind() ? macsPerImage() : 0;
    }
}
