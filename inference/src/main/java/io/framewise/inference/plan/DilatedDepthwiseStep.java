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
        float[] src = ws.slot(in.slot());
        float[] dst = ws.slot(out.slot());
        for (int i = 0; i < n; i++) {
            kernel.run(src, in.offset(i), h, w, c, kh, kw, stride, dilation, padTop, padLeft, packed, bias,
                    dst, out.offset(i), oh, ow, lo, hi);
        }
    }

    @Override
    public long macsPerImage() {
        return (long) oh * ow * c * kh * kw;
    }
}
