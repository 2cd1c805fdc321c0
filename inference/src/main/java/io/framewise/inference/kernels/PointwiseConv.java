package io.framewise.inference.kernels;

/**
 * 1×1 convolution as a GEMM over (batch × pixels) × channels; also serves FULLY_CONNECTED
 * (pixels = batch). NHWC: a pixel's channels are contiguous.
 *
 * <pre>out[p][co] = clamp(bias[co] + sum_ci in[p][ci] * W[co][ci], lo, hi),  p in [0, pixels)</pre>
 */
public interface PointwiseConv {

    /** Packs TFLite weights {@code [Cout][Cin]} into this kernel's layout. Called once at load. */
    float[] pack(float[] weights, int cin, int cout);

    /**
     * @param in     {@code [pixels][cin]} starting at {@code inOff}
     * @param packed weights from {@link #pack}
     * @param bias   {@code [cout]}
     * @param out    {@code [pixels][cout]} starting at {@code outOff}
     */
    void run(float[] in, int inOff, int pixels, int cin,
             float[] packed, float[] bias, int cout,
             float[] out, int outOff, float lo, float hi);
}
