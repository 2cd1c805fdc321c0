package io.framewise.inference.kernels;

/**
 * A 1×1 convolution or fully connected layer on one row (a classifier's head at batch 1) with its
 * weights kept as the file's bytes:
 *
 * <pre>out[co] = snap(clamp(bias[co] + sum_ci in[ci] * w[co][ci], lo, hi)),  w[co][ci] = (q[co][ci] - zero) · scale[co]</pre>
 *
 * <p>Why: at batch 1 MobileNetV2's 1280→1001 head multiplies every fp32 weight once, so it streams
 * 5 MB from memory for 1.3 M multiply-adds (10 % of the FMA peak, 0.2-0.3 ms of an 8 ms image); TFLite
 * reads the 1.3 MB of bytes. From bytes the same layer took 121 against 252 µs with the weights evicted
 * from the caches, 81 against 145 µs with them hot (one thread, docs/benchmarks.md, session 21).
 *
 * <p>Same bits as {@link PointwiseConv} on the dequantized weights: {@code q - zero} is an integer of
 * at most 9 bits, so its float is exact, and its product with the float scale rounds once, as the
 * loader's {@code (q - zeroPoint) · (double) scale} rounded to float did; the sums then run in the same
 * order ({@code ci} ascending, one fused multiply-add each, from the bias) with the same epilogue. The
 * packing proves that equality for every weight, or declines.
 */
public interface ByteGemv {

    /**
     * Weights as signed bytes in a kernel's layout, {@code w = (q - zero) · scales[co]}.
     *
     * @param scales {@code [Cout]} (one scale per output channel, a per-tensor scale repeated), padded
     */
    record Packed(byte[] q, float[] scales, int zero) {
    }

    /**
     * Packs TFLite weights {@code [Cout][Cin]} dequantized with {@code scales} (length 1 or Cout), or
     * returns null when this kernel cannot take them: a weight that is not exactly an integer of a
     * 256-wide range times its channel's scale, or a shape the kernel does not handle.
     */
    Packed pack(float[] weights, float[] scales, int cin, int cout);

    /**
     * Output channels {@code [c0, c1)} of one row (multiples of {@link #columnStep}, or {@code c1 ==
     * cout}; the other columns are not written except with the value they have anyway, as in
     * {@link PointwiseConv}), rounded with {@code rint(x · scale) · grid} after the clamp when
     * {@code grid > 0}.
     *
     * @param in  {@code [cin]} from {@code inOff}
     * @param out {@code [cout]} from {@code outOff}
     */
    void run(float[] in, int inOff, int cin, Packed w, float[] bias, int cout, float[] out, int outOff,
             float lo, float hi, float scale, float grid, int c0, int c1);

    /** The granularity of a column range. */
    int columnStep();

    /**
     * The weights as bytes q, {@code [Cout][Cin]}, with {@code w = ((float) (q - zero)) · scale} bit for bit
     * (the zero comes back in {@code zeroOut[0]}), or null when some weight is not {@code (float) d · scale}
     * for an integer d, or the integers span more than 256 values.
     */
    static byte[] integers(float[] weights, float[] scales, int cin, int cout, int[] zeroOut) {
        if (scales == null || (scales.length != 1 && scales.length != cout) || weights.length != cin * cout) {
            return null;
        }
        int[] d = new int[weights.length];
        int min = Integer.MAX_VALUE, max = Integer.MIN_VALUE;
        for (int co = 0; co < cout; co++) {
            float s = scales[scales.length == 1 ? 0 : co];
            if (!(s > 0) || Float.isInfinite(s)) {
                return null;
            }
            for (int ci = 0; ci < cin; ci++) {
                int i = co * cin + ci;
                double r = Math.rint(weights[i] / (double) s);
                if (!(Math.abs(r) <= 1 << 16)) {
                    return null;
                }
                int v = (int) r;
                // what the kernels compute: the integer's float times the scale, rounded once
                if (Float.floatToRawIntBits((float) v * s) != Float.floatToRawIntBits(weights[i])) {
                    return null;
                }
                d[i] = v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if ((long) max - min > 255) {
            return null;
        }
        int zero = -128 - min; // q = d - 128 - min, in [-128, 127]: d = q - zero
        byte[] q = new byte[d.length];
        for (int i = 0; i < d.length; i++) {
            q[i] = (byte) (d[i] + zero);
        }
        zeroOut[0] = zero;
        return q;
    }

    /** {@code scales} as one float per output channel, with {@link KernelSet#ARRAY_PAD} floats of slack. */
    static float[] perChannel(float[] scales, int cout) {
        float[] s = new float[cout + KernelSet.ARRAY_PAD];
        for (int co = 0; co < cout; co++) {
            s[co] = scales[scales.length == 1 ? 0 : co];
        }
        return s;
    }
}
