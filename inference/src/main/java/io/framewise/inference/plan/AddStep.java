package io.framewise.inference.plan;

import io.framewise.inference.kernels.Elementwise;

/** Residual add of two same-shaped tensors (unfused path). */
final class AddStep extends Step {

    private final Elementwise kernel;
    private final TensorSlot a, b, out;
    private final int elements; // per image
    private final float lo, hi;

    AddStep(String name, Elementwise kernel, TensorSlot a, TensorSlot b, TensorSlot out, int elements, float lo, float hi) {
        super(name, Kind.ADD);
        this.kernel = kernel;
        this.a = a;
        this.b = b;
        this.out = out;
        this.elements = elements;
        this.lo = lo;
        this.hi = hi;
    }

    @Override
    public void run(Workspace ws, int n) {
        // images are dense in their slots, so the whole batch is one add
        kernel.add(ws.slot(a.slot()), 0, ws.slot(b.slot()), 0, ws.slot(out.slot()), 0, n * elements, lo, hi);
    }

    /** Only large adds: a residual add of one image (at most 56×56×24 floats) is shorter than a fork-join. */
    @Override
    public boolean splits(int n) {
        return n * elements >= 1 << 18;
    }

    @Override
    public void runPart(Workspace ws, Workspace own, int n, int part, int parts) {
        int from = share(n * elements, part, parts, 64);
        int to = share(n * elements, part + 1, parts, 64);
        kernel.add(ws.slot(a.slot()), from, ws.slot(b.slot()), from, ws.slot(out.slot()), from, to - from, lo, hi);
        snapRange(ws, from, to);
    }

    @Override
    public long macsPerImage() {
        return 0;
    }
}
