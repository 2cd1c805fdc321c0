package io.framewise.inference.kernels;

/**
 * Depthwise KH×KW convolution, multiplier 1, NHWC, one image, computing a range of output rows so
 * callers can tile (the fused inverted-residual path feeds it a tile of expanded rows).
 *
 * <p>The input may be a window of rows: row {@code iy} of the image lives at
 * {@code inOff + (iy - inRow0) * w * c}. Rows outside [0, h) and columns outside [0, w) are padding
 * (real zero); rows inside [0, h) but outside the window must not be read (callers guarantee the
 * window covers every row the requested output rows need).
 */
public interface DepthwiseConv {

    /** Packs TFLite weights {@code [KH][KW][C]} into this kernel's layout. Called once at load. */
    float[] pack(float[] weights, int kh, int kw, int c);

    /**
     * @param in     input rows, see class comment
     * @param h      full image height
     * @param w      image width
     * @param c      channels
     * @param out    {@code [OH][OW][C]} at {@code outOff}; only rows [oy0, oy1) are written, at
     *               {@code outOff + (oy - outRow0) * ow * c}
     */
    void run(float[] in, int inOff, int inRow0, int h, int w, int c,
             int kh, int kw, int stride, int padTop, int padLeft,
             float[] packed, float[] bias,
             float[] out, int outOff, int outRow0, int oh, int ow, int oy0, int oy1,
             float lo, float hi);
}
