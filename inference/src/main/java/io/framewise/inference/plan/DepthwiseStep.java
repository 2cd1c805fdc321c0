package io.framewise.inference.plan;

import io.framewise.inference.kernels.DepthwiseConv;
import io.framewise.inference.kernels.KernelSet;
import io.framewise.inference.model.Layer;

/** An unfused depthwise convolution over whole images. */
final class DepthwiseStep extends Step {

    private final DepthwiseConv kernel;
    private final TensorSlot in;
    private final TensorSlot out;
    private final int h, w, c, kh, kw, stride, padTop, padLeft, oh, ow;
    private final float[] packed;
    private final float[] bias; // [C]
    private final float lo, hi;

    DepthwiseStep(String name, DepthwiseConv kernel, Layer.DepthwiseConv2D l, TensorSlot in, TensorSlot out,
                  int h, int w, int oh, int ow) {
        super(name, Kind.DEPTHWISE);
        this.kernel = kernel;
        this.in = in;
        this.out = out;
        this.h = h;
        this.w = w;
        this.c = l.channels();
        this.kh = l.kh();
        this.kw = l.kw();
        this.stride = l.stride();
        this.padTop = l.padding().padBefore(h, kh, stride);
        this.padLeft = l.padding().padBefore(w, kw, stride);
        this.oh = oh;
        this.ow = ow;
        this.packed = kernel.pack(l.weights(), kh, kw, c);
        this.bias = KernelSet.padded(l.bias());
        this.lo = l.lo();
        this.hi = l.hi();
    }

    @Override
    public void run(Workspace ws, int n) {
        runInBands(ws, n, oh, ow * c);
    }

    @Override
    protected boolean roundsInRun() {
        return true;
    }

    /** Each part computes a band of output rows of every image. */
    @Override
    protected int bandRows() {
        return oh;
    }

    @Override
    protected void runBand(Workspace ws, Workspace own, int i, int oy0, int oy1) {
        kernel.run(ws.slot(in.slot()), in.offset(i), 0, h, w, c, kh, kw, stride, padTop, padLeft, packed, bias,
                ws.slot(out.slot()), out.offset(i), 0, oh, ow, oy0, oy1, lo, hi);
        snapRange(ws, out.offset(i) + oy0 * ow * c, out.offset(i) + oy1 * ow * c);
    }

    @Override
    public long macsPerImage() {
        return (long) oh * ow * c * kh * kw;
    }
}
