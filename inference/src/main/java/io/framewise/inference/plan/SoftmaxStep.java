package io.framewise.inference.plan;

import io.framewise.inference.exec.Workspace;
import io.framewise.inference.kernels.Elementwise;

/** Softmax over the class vector of each image. */
final class SoftmaxStep extends Step {

    private final Elementwise kernel;
    private final TensorSlot in, out;
    private final int classes;
    private final float beta;

    SoftmaxStep(String name, Elementwise kernel, TensorSlot in, TensorSlot out, int classes, float beta) {
        super(name, Kind.HEAD);
        this.kernel = kernel;
        this.in = in;
        this.out = out;
        this.classes = classes;
        this.beta = beta;
    }

    @Override
    public void run(Workspace ws, int n) {
        float[] src = ws.slot(in.slot());
        float[] dst = ws.slot(out.slot());
        for (int i = 0; i < n; i++) {
            kernel.softmax(src, in.offset(i), classes, beta, dst, out.offset(i));
        }
    }

    @Override
    public long macsPerImage() {
        return classes;
    }
}
