package io.framewise.inference.kernels;

/**
 * Regular KH×KW convolution, NHWC, one image (the stem: 3×3, stride 2, 3 → 32 channels).
 *
 * <pre>out[oy][ox][co] = clamp(bias[co] + sum_{ky,kx,ci} in[oy*s+ky-padTop][ox*s+kx-padLeft][ci] * W[co][ky][kx][ci], lo, hi)</pre>
 * Out-of-bounds input is real zero. With {@code grid > 0} the value stored is
 * {@code rint(out · scale) · grid} (a zero is +0), what {@link Elementwise#snap} would make of it in a
 * second pass; callers pass a grid only when {@link Elementwise#snapsInRange(float, float, float, float)}
 * holds. In the stem's registers that saves a pass over its 112×112×32 output (1.6 MB, past L2).
 * The clamp is {@code x <= lo ? lo : x}, then {@code x > hi ? hi : x}; a NaN sum may come out of the
 * vector kernels as a bound (they clamp on the bits: {@code simd.IntClamp}), where the twins keep it.
 */
public interface Conv2d {

    /** Packs TFLite weights {@code [Cout][KH][KW][Cin]} into this kernel's layout. Called once at load. */
    float[] pack(float[] weights, int cout, int kh, int kw, int cin);

    void run(float[] in, int inOff, int h, int w, int cin,
             int kh, int kw, int stride, int padTop, int padLeft,
             float[] packed, float[] bias, int cout,
             float[] out, int outOff, int oh, int ow, float lo, float hi, float scale, float grid);
}
