package io.framewise.inference.kernels;

/**
 * 1×1 convolution as a GEMM over (batch × pixels) × channels; also serves FULLY_CONNECTED
 * (pixels = batch). NHWC: a pixel's channels are contiguous.
 *
 * <pre>out[p][co] = snap(clamp(bias[co] + sum_ci in[p][ci] * W[co][ci], lo, hi), grid),  p in [0, pixels)</pre>
 *
 * <p>{@code snap} is {@link Elementwise#snap}'s rounding to the output's quantization grid, done by the
 * kernel on each tile while it is in L1 instead of a second pass over the whole output (that pass cost
 * 12 % of a MobileNetV2 image: 11.07 vs 9.78 ms at b8t1 with and without rounding, docs/benchmarks.md).
 * With {@code grid == 0} nothing is rounded. Callers pass a grid only when
 * {@link Elementwise#snapsInRange} holds for {@code [lo, hi]}, so the result is bit-identical to
 * {@code run} then {@code snap}.
 */
public interface PointwiseConv {

    /** Packs TFLite weights {@code [Cout][Cin]} into this kernel's layout. Called once at load. */
    float[] pack(float[] weights, int cin, int cout);

    /**
     * @param in     {@code [pixels][cin]} starting at {@code inOff}
     * @param packed weights from {@link #pack}
     * @param bias   {@code [cout]}
     * @param out    {@code [pixels][cout]} starting at {@code outOff}
     * @param grid   the output's quantization step, or 0: no rounding
     */
    default void run(float[] in, int inOff, int pixels, int cin,
                     float[] packed, float[] bias, int cout,
                     float[] out, int outOff, float lo, float hi, float grid) {
        run(in, inOff, pixels, cin, packed, bias, cout, out, outOff, lo, hi, grid, 0, cout);
    }

    /**
     * Output channels {@code [c0, c1)} of every pixel only (the other columns of {@code out} are not
     * written, except that a kernel storing whole vectors may rewrite a neighbouring column with the
     * value it has there anyway): each column is computed exactly as by the full run, so splitting Cout
     * between threads is bit-identical. {@code c0} and {@code c1} are multiples of {@link #columnStep},
     * or {@code c1 == cout}.
     */
    default void run(float[] in, int inOff, int pixels, int cin,
                     float[] packed, float[] bias, int cout,
                     float[] out, int outOff, float lo, float hi, float grid, int c0, int c1) {
        run(in, inOff, pixels, cin, packed, bias, cout, out, outOff, lo, hi, grid > 0 ? 1f / grid : 1f, grid, c0, c1);
    }

    /**
     * As {@link #run(float[], int, int, int, float[], float[], int, float[], int, float, float, float, int, int)},
     * rounding with {@code rint(x * scale) * grid} ({@link Elementwise#snap(float[], int, int, float, float)}):
     * the integer domain passes a layer's requantization scale and grid 1. Each output element is
     * rounded exactly once (that rounding is not idempotent).
     */
    void run(float[] in, int inOff, int pixels, int cin,
             float[] packed, float[] bias, int cout,
             float[] out, int outOff, float lo, float hi, float scale, float grid, int c0, int c1);

    /**
     * As {@link #run(float[], int, int, int, float[], float[], int, float[], int, float, float, float, float, int, int)}
     * on all columns, for pixels {@code [p0, p0 + pixels)} of a tensor whose rows and images are padded:
     * input pixel {@code p0 + j} is dense at {@code inOff + j * cin}, output pixel p lands at
     * {@code outOff + (p / imagePixels) * imagePitch + (p % imagePixels / rowPixels) * rowPitch + (p % rowPixels) * cout}.
     * Used to write a depthwise convolution's input with its zero padding around it
     * ({@link PaddedDepthwiseConv}); the padding itself is not written. This default runs row segment by
     * row segment; a kernel with a pixel tile overrides it so tiles straddle rows.
     */
    default void runRows(float[] in, int inOff, int p0, int pixels, int cin, float[] packed, float[] bias, int cout,
                         float[] out, int outOff, int rowPixels, int rowPitch, int imagePixels, int imagePitch,
                         float lo, float hi, float scale, float grid) {
        for (int j = 0; j < pixels; ) {
            int p = p0 + j;
            int x = p % rowPixels;
            int n = Math.min(pixels - j, rowPixels - x);
            int at = outOff + p / imagePixels * imagePitch + p % imagePixels / rowPixels * rowPitch + x * cout;
            run(in, inOff + j * cin, n, cin, packed, bias, cout, out, at, lo, hi, scale, grid, 0, cout);
            j += n;
        }
    }

    /** The granularity of a column range (the kernel's widest tile of output channels). */
    default int columnStep() {
        return 1;
    }

    /** {@link #run(float[], int, int, int, float[], float[], int, float[], int, float, float, float)} without rounding. */
    default void run(float[] in, int inOff, int pixels, int cin,
                     float[] packed, float[] bias, int cout,
                     float[] out, int outOff, float lo, float hi) {
        run(in, inOff, pixels, cin, packed, bias, cout, out, outOff, lo, hi, 0f);
    }
}
