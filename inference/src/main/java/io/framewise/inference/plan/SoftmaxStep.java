package io.framewise.inference.plan;

import io.framewise.inference.kernels.Elementwise;

/**
 * Softmax over the class vector of each image. When the model's logits are quantized (grid > 0), they
 * are first snapped to that grid: in a quantized model the softmax sees only those values, and on
 * low-margin images the difference moves scores by several hundredths (measured on MobileNetV1 0.25).
 */
final class SoftmaxStep extends Step {

    private final Elementwise kernel;
    private final TensorSlot in, out;
    private final int classes;
    private final float beta;
    private final float grid;

    SoftmaxStep(String name, Elementwise kernel, TensorSlot in, TensorSlot out, int classes, float beta, float grid) {
        super(name, Kind.HEAD);
        this.kernel = kernel;
        this.in = in;
        this.out = out;
        this.classes = classes;
        this.beta = beta;
        this.grid = grid;
    }

    @Override
    public void run(Workspace ws, int n) {
        float[] src = ws.slot(in.slot());
        float[] dst = ws.slot(out.slot());
        for (int i = 0; i < n; i++) {
            if (grid > 0) {
                int o = in.offset(i);
                for (int c = 0; c < classes; c++) {
                    src[o + c] = (float) Math.rint(src[o + c] / grid) * grid; // the input's last use: safe in place
                }
            }
            kernel.softmax(src, in.offset(i), classes, beta, dst, out.offset(i));
        }
    }

    @Override
    public long macsPerImage() {
        return classes;
    }
}
