package io.framewise.inference.kernels;

/** The small kernels of the graph edges: residual add, pooling, softmax, rounding to quantization grids. */
public interface Elementwise {

    /** {@code out[i] = clamp(a[i] + b[i], lo, hi)}; {@code out} may alias {@code a} or {@code b}. */
    void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int len, float lo, float hi);

    /** Mean over {@code pixels} rows of {@code [pixels][c]}: {@code out[ci] = mean_p in[p][ci]}, then clamp. */
    void globalAveragePool(float[] in, int inOff, int pixels, int c, float[] out, int outOff, float lo, float hi);

    /**
     * AVERAGE_POOL_2D on one image {@code [H][W][C] -> [OH][OW][C]}; each window averages only its
     * in-bounds elements (TFLite semantics).
     */
    void averagePool(float[] in, int inOff, int h, int w, int c, int fh, int fw, int stride,
                     int padTop, int padLeft, float[] out, int outOff, int oh, int ow, float lo, float hi);

    /** Numerically stable softmax of {@code in[inOff..inOff+n)} scaled by beta, into {@code out}. */
    void softmax(float[] in, int inOff, int n, float beta, float[] out, int outOff);

    /**
     * Rounds {@code a[off..off+len)} to multiples of {@code grid} (round half to even:
     * {@code rint(x * (1/grid)) * grid} in float; a zero result is +0), the quantization step of a tensor of a quantized
     * model. Callers pass values already clamped to the tensor's quantized range, so
     * {@code |x / grid| <= 2^16}.
     */
    default void snap(float[] a, int off, int len, float grid) {
        snap(a, off, len, 1f / grid, grid);
    }

    /**
     * {@code a[i] = rint(a[i] * scale) * grid} (a zero result is +0): {@link #snap(float[], int, int, float)}
     * with the scale given. In the integer domain (see {@code ModelGraph#integerDomain}) a convolution's
     * output is its exact int32 accumulator and {@code scale} the layer's requantization scale with
     * {@code grid} 1, which is XNNPACK's fp32 requantization ({@code lrintf(acc * scale)}); that is not
     * idempotent, so every element is rounded exactly once. Callers keep {@code |x * scale| <= 2^16}.
     */
    void snap(float[] a, int off, int len, float scale, float grid);

    /**
     * The integer domain's ADD, XNNPACK's qu8 fixed-point arithmetic: {@code a} and {@code b} hold
     * integers (q minus zero point), and
     * {@code out[i] = clamp((a[i]·aMultiplier + b[i]·bMultiplier + 2^(shift-1)) >> shift, lo, hi)} in 32-bit
     * integers (an arithmetic shift: floor). With {@code bMultiplier} 0 and shift 8 it is XNNPACK's
     * uint8 requantization (QUANTIZE between two grids). {@code out} may alias {@code a} or {@code b}.
     */
    void addFixedPoint(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int len,
                       int aMultiplier, int bMultiplier, int shift, float lo, float hi);

    /**
     * The vector kernels round with {@code (x + SNAP_MAGIC) - SNAP_MAGIC} (JDK 17's Vector API has no
     * lane-wise rint): for |x| below {@link #SNAP_LIMIT} that is x rounded half to even, exactly
     * {@code Math.rint}.
     */
    float SNAP_MAGIC = 12582912f; // 1.5·2^23

    /** Above this |x / grid| the vector kernels' rounding is no longer {@code Math.rint}. */
    float SNAP_LIMIT = 4194304f; // 2^22

    /** Whether every value clamped to {@code [lo, hi]} is rounded to {@code grid} exactly by a kernel's store. */
    static boolean snapsInRange(float lo, float hi, float grid) {
        return grid > 0 && Math.abs(lo) / grid < SNAP_LIMIT && Math.abs(hi) / grid < SNAP_LIMIT;
    }

    /** {@link #snapsInRange(float, float, float)} for a rounding {@code rint(x * scale) * grid}. */
    static boolean snapsInRange(float lo, float hi, float scale, float grid) {
        return grid > 0 && Math.abs(lo * scale) < SNAP_LIMIT && Math.abs(hi * scale) < SNAP_LIMIT;
    }
}
