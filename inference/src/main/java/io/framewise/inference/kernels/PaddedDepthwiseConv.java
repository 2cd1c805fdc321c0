package io.framewise.inference.kernels;

/**
 * Depthwise 3×3 (multiplier 1, NHWC, one image) over an input that carries its zero padding with it:
 * rows of {@code pitch} floats holding padding columns on both sides, and padding rows above and below,
 * all real zeros. So no output pixel is a border case: every 4-pixel strip runs the interior code.
 *
 * <p>Why: with the padding implicit, {@code DwConv3x3RowTiled} runs its first and last strip of every
 * row through selects of a zero row (at 7×7 every strip is a border strip) and the atrous kernel four of
 * nine strips per 33-pixel row; on the network's shapes the same arithmetic on a padded input ran
 * 1.4-2.4× as fast (docs/benchmarks.md, session 19). The producer (the expansion's GEMM,
 * {@link PointwiseConv#runRows}) writes the interior; the caller keeps the padding zero.
 *
 * <p>Output pixel (oy, ox) is {@code clamp(bias + Σ_ky Σ_kx in[r][x] · w[ky][kx], lo, hi)} with
 * {@code r = oy · stride + rowOff + ky · dilation}, {@code x = ox · stride + colOff + kx · dilation}, the
 * taps in row-major order: the same FMA chain as the implicit-padding kernels, so the same bits. With
 * {@code grid > 0} the value stored is {@code rint(clamped · scale) · grid} (a zero is +0), what
 * {@link Elementwise#snap} would make of it in a second pass; the caller passes a grid only when
 * {@link Elementwise#snapsInRange(float, float, float, float)} holds. Done in the registers that are
 * stored, it saves that pass over the output (a whole unfused layer: 450 KB at 14×14×576).
 * The clamp is {@code x <= lo ? lo : x}, then {@code x > hi ? hi : x}; a NaN sum may come out of the
 * vector kernels as a bound (they clamp on the bits: {@code simd.IntClamp}), where the twins keep it.
 */
public interface PaddedDepthwiseConv {

    /** Packs TFLite weights {@code [3][3][C]} into this kernel's layout. Called once at load. */
    float[] pack(float[] weights, int c);

    /** Whether {@link #run} takes this stride and dilation (the planner pads only for those). */
    boolean supports(int stride, int dilation);

    /**
     * @param in     padded input: padded row r, column x, channel ch at {@code inOff + r * pitch + x * c + ch}
     * @param out    output rows {@code [oy0, oy1)}, row oy at {@code outOff + (oy - oy0) * ow * c}
     * @param grid   the output's quantization grid, or 0: no rounding
     */
    void run(float[] in, int inOff, int pitch, int c, int stride, int dilation, int rowOff, int colOff,
             float[] packed, float[] bias, float[] out, int outOff, int ow, int oy0, int oy1, float lo, float hi,
             float scale, float grid);
}
