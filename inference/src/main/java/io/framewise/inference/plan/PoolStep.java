package io.framewise.inference.plan;

import io.framewise.inference.kernels.Elementwise;

/**
 * AVERAGE_POOL_2D or MEAN over H and W. A pool whose window covers the whole map with VALID padding
 * (MobileNetV1's 7×7 head) runs as the global average pool.
 */
final class PoolStep extends Step {

    private final Elementwise kernel;
    private final TensorSlot in, out;
    private final int h, w, c, fh, fw, stride, padTop, padLeft, oh, ow;
    private final boolean global;
    private final float lo, hi;

    PoolStep(String name, Elementwise kernel, TensorSlot in, TensorSlot out, int h, int w, int c,
             int fh, int fw, int stride, int padTop, int padLeft, int oh, int ow, float lo, float hi) {
        super(name, Kind.HEAD);
        this.kernel = kernel;
        this.in = in;
        this.out = out;
        this.h = h;
        this.w = w;
        this.c = c;
        this.fh = fh;
        this.fw = fw;
        this.stride = stride;
        this.padTop = padTop;
        this.padLeft = padLeft;
        this.oh = oh;
        this.ow = ow;
        this.global = oh == 1 && ow == 1 && fh == h && fw == w && padTop == 0 && padLeft == 0;
        this.lo = lo;
        this.hi = hi;
    }

    static PoolStep global(String name, Elementwise kernel, TensorSlot in, TensorSlot out, int h, int w, int c,
                           float lo, float hi) {
        return new PoolStep(name, kernel, in, out, h, w, c, h, w, 1, 0, 0, 1, 1, lo, hi);
    }

    @Override
    public void run(Workspace ws, int n) {
        float[] src = ws.slot(in.slot());
        float[] dst = ws.slot(out.slot());
        for (int i = 0; i < n; i++) {
            if (global) {
                kernel.globalAveragePool(src, in.offset(i), h * w, c, dst, out.offset(i), lo, hi);
            } else {
                kernel.averagePool(src, in.offset(i), h, w, c, fh, fw, stride, padTop, padLeft,
                        dst, out.offset(i), oh, ow, lo, hi);
            }
        }
    }

    @Override
    public long macsPerImage() {
        return (long) oh * ow * c * fh * fw;
    }
}
