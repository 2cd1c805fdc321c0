package io.framewise.inference.plan;

import io.framewise.inference.kernels.Elementwise;

/** Residual add of two same-shaped tensors (unfused path). */
final class AddStep extends Step {

    private final Elementwise kernel;
    private final TensorSlot a, b, out;
    private final int elements; // per image
    private final int channels;
    private final float lo, hi;
    private final int aMultiplier, bMultiplier, shift; // the integer domain's fixed point; shift 0: a real add

    AddStep(String name, Elementwise kernel, TensorSlot a, TensorSlot b, TensorSlot out, int elements, int channels,
            float lo, float hi, int aMultiplier, int bMultiplier, int shift) {
        super(name, Kind.ADD);
        this.kernel = kernel;
        this.a = a;
        this.b = b;
        this.out = out;
        this.elements = elements;
        this.channels = channels;
        this.lo = lo;
        this.hi = hi;
        this.aMultiplier = aMultiplier;
        this.bMultiplier = bMultiplier;
        this.shift = shift;
    }

    /** Elements {@code [from, from + len)} of the batch, counted from each slot's first image. */
    private void add(Workspace ws, int from, int len) {
        int ao = a.offset(0) + from, bo = b.offset(0) + from, oo = out.offset(0) + from;
        if (shift > 0) {
            kernel.addFixedPoint(ws.slot(a.slot()), ao, ws.slot(b.slot()), bo, ws.slot(out.slot()), oo, len,
                    aMultiplier, bMultiplier, shift, lo, hi);
        } else {
            kernel.add(ws.slot(a.slot()), ao, ws.slot(b.slot()), bo, ws.slot(out.slot()), oo, len, lo, hi);
        }
    }

    @Override
    public void run(Workspace ws, int n) {
        // images are dense in their slots, so the whole batch is one add
        add(ws, 0, n * elements);
    }

    /**
     * Splits on the pixel rows the GEMM before it split on ({@link PointwiseStep#runPart}), so each part
     * adds the rows its own core just wrote. Not split, a 14×14×96 add ran 0.6× as fast on 2 threads
     * as on one: the caller read the other core's half from its cache.
     */
    @Override
    public boolean splits(int n) {
        return n * elements / channels >= 2 * PointwiseStep.ROWS;
    }

    @Override
    public void runPart(Workspace ws, Workspace own, int n, int part, int parts) {
        int pixels = n * elements / channels;
        int from = share(pixels, part, parts, PointwiseStep.ROWS) * channels;
        int to = share(pixels, part + 1, parts, PointwiseStep.ROWS) * channels;
        if (to > from) {
            add(ws, from, to - from);
            snapRange(ws, out.offset(0) + from, out.offset(0) + to);
        }
    }

    @Override
    public long macsPerImage() {
        return 0;
    }
}
