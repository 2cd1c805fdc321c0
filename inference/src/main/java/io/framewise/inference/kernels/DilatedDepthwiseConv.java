package io.framewise.inference.kernels;

/**
 * Atrous (dilated) depthwise KH×KW convolution, multiplier 1, NHWC, one whole image: tap (ky, kx) of
 * output pixel (oy, ox) reads input pixel {@code (oy * stride - padTop + ky * dilation,
 * ox * stride - padLeft + kx * dilation)}; taps outside the image read a real zero. DeepLab's backbone
 * uses it at output stride 16 (dilation 2) or 8 (dilation 2 and 4).
 */
public interface DilatedDepthwiseConv {

    /** Packs TFLite weights {@code [KH][KW][C]} into this kernel's layout. Called once at load. */
    float[] pack(float[] weights, int kh, int kw, int c);

    /**
     * @param in  {@code [H][W][C]} at {@code inOff}
     * @param out {@code [OH][OW][C]} at {@code outOff}, clamped to [lo, hi]
     */
    void run(float[] in, int inOff, int h, int w, int c, int kh, int kw, int stride, int dilation,
             int padTop, int padLeft, float[] packed, float[] bias,
             float[] out, int outOff, int oh, int ow, float lo, float hi);
}
