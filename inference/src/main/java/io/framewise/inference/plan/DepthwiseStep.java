package io.framewise.inference.plan;

import io.framewise.inference.kernels.DepthwiseConv;
import io.framewise.inference.kernels.KernelSet;
import io.framewise.inference.kernels.PaddedDepthwiseConv;
import io.framewise.inference.model.Layer;

/**
 * An unfused depthwise convolution over whole images; with a {@link PaddedDepthwiseConv}, on an input the
 * previous step stored with {@code pad} zero rows and columns around each image.
 */
final class DepthwiseStep extends Step {

    private final DepthwiseConv kernel;      // null when padded
    private final PaddedDepthwiseConv padded; // null unless the input carries its padding
    private final int pad, dilation;
    private final TensorSlot in;
    private final TensorSlot out;
    private final int h, w, c, kh, kw, stride, padTop, padLeft, oh, ow;
    private final float[] packed;
    private final float[] bias; // [C]
    private final float lo, hi;

    DepthwiseStep(String name, DepthwiseConv kernel, Layer.DepthwiseConv2D l, TensorSlot in, TensorSlot out,
                  int h, int w, int oh, int ow) {
        this(name, kernel, null, -1, l, in, out, h, w, oh, ow);
    }

    /** On an input stored with {@code pad} zero rows and columns around each image ({@link FusedBlockStep#paddedBy}). */
    DepthwiseStep(String name, PaddedDepthwiseConv padded, int pad, Layer.DepthwiseConv2D l, TensorSlot in, TensorSlot out,
                  int h, int w, int oh, int ow) {
        this(name, null, padded, pad, l, in, out, h, w, oh, ow);
    }

    private DepthwiseStep(String name, DepthwiseConv kernel, PaddedDepthwiseConv padded, int pad, Layer.DepthwiseConv2D l,
                          TensorSlot in, TensorSlot out, int h, int w, int oh, int ow) {
        super(name, Kind.DEPTHWISE);
        this.kernel = kernel;
        this.padded = padded;
        this.pad = pad;
        this.dilation = l.dilation();
        this.in = in;
        this.out = out;
        this.h = h;
        this.w = w;
        this.c = l.channels();
        this.kh = l.kh();
        this.kw = l.kw();
        this.stride = l.stride();
        this.padTop = l.padding().padBefore(h, l.effectiveKh(), stride);
        this.padLeft = l.padding().padBefore(w, l.effectiveKw(), stride);
        this.oh = oh;
        this.ow = ow;
        this.packed = padded != null ? padded.pack(l.weights(), c) : kernel.pack(l.weights(), kh, kw, c);
        if (padded == null && dilation != 1) {
            throw new IllegalArgumentException(name + ": dilation " + dilation + " needs a padded input here");
        }
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
        if (padded != null) {
            // the rounding in the kernel's stores: no second pass over the band (450 KB at 14×14×576)
            float grid = kernelGrid(lo, hi);
            padded.run(ws.slot(in.slot()), in.offset(i), (w + 2 * pad) * c, c, stride, dilation, pad - padTop,
                    pad - padLeft, packed, bias, ws.slot(out.slot()), out.offset(i) + oy0 * ow * c, ow, oy0, oy1, lo, hi,
                    snapScale(), grid);
            if (grid == 0) {
                snapRange(ws, out.offset(i) + oy0 * ow * c, out.offset(i) + oy1 * ow * c);
            }
            return;
        }
        kernel.run(ws.slot(in.slot()), in.offset(i), 0, h, w, c, kh, kw, stride, padTop, padLeft, packed, bias,
                ws.slot(out.slot()), out.offset(i), 0, oh, ow, oy0, oy1, lo, hi);
        snapRange(ws, out.offset(i) + oy0 * ow * c, out.offset(i) + oy1 * ow * c);
    }

    @Override
    public long macsPerImage() {
        return (long) oh * ow * c * kh * kw;
    }
}
