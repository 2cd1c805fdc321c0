package io.framewise.inference.plan;

import io.framewise.inference.kernels.DilatedDepthwiseConv;
import io.framewise.inference.kernels.KernelSet;
import io.framewise.inference.model.Layer;

/**
 * An atrous depthwise convolution over whole images (DeepLab's backbone after output stride 16).
 * Never fused into its block: at 33×33 the maps are small and the fused path's row tiles would have to
 * carry 2·dilation overlapping rows.
 */
final class DilatedDepthwiseStep extends Step {

    private final DilatedDepthwiseConv kernel;
    private final TensorSlot in;
    private final TensorSlot out;
    private final int h, w, c, kh, kw, stride, dilation, padTop, padLeft, oh, ow;
    private final float[] packed;
    private final float[] bias; // [C]
    private final float lo, hi;

    DilatedDepthwiseStep(String name, DilatedDepthwiseConv kernel, Layer.DepthwiseConv2D l, TensorSlot in,
                         TensorSlot out, int h, int w, int oh, int ow) {
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
        this.dilation = l.dilation();
        this.padTop = l.padding().padBefore(h, l.effectiveKh(), stride);
        this.padLeft = l.padding().padBefore(w, l.effectiveKw(), stride);
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

    /**
     * Each part computes a band of output rows of every image (intra-op at batch 1: at 513x513 this is the
     * backbone's largest cost). The kernel has no row range: a band is run as a smaller image that starts at
     * the first input row the band reads, with the top padding left over; every output element still sees
     * the same inputs in the same order, so the bands are bit-identical to the whole.
     */
    @Override
    protected int bandRows() {
        return oh;
    }

    @Override
    protected void runBand(Workspace ws, Workspace own, int i, int oy0, int oy1) {
        int first = oy0 * stride - padTop; // input row of the band's first output row, kernel row 0
        int skip = Math.max(0, first);
        int bandPadTop = skip - first;
        kernel.run(ws.slot(in.slot()), in.offset(i) + skip * w * c, h - skip, w, c, kh, kw, stride, dilation,
                bandPadTop, padLeft, packed, bias, ws.slot(out.slot()), out.offset(i) + oy0 * ow * c, oy1 - oy0, ow,
                lo, hi);
        snapRange(ws, out.offset(i) + oy0 * ow * c, out.offset(i) + oy1 * ow * c);
    }

    @Override
    public long macsPerImage() {
        return (long) oh * ow * c * kh * kw;
    }
}
