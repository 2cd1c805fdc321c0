package io.framewise.inference.kernels;

/**
 * Bilinear resizing of NHWC feature maps and the per-pixel class choice of a segmentation head.
 *
 * <p>Coordinates follow TFLite's {@code RESIZE_BILINEAR}: output coordinate x maps to
 * {@code x * scale} (or {@code (x + 0.5) * scale - 0.5} with half-pixel centres), {@code scale = in / out},
 * or {@code (in - 1) / (out - 1)} with aligned corners; x0 = max(floor, 0), x1 = min(ceil, in - 1),
 * weight {@code fx = x' - x0}. The value is computed separably, row first:
 * {@code top = fma(fx, in[y0][x1] - in[y0][x0], in[y0][x0])}, likewise {@code bottom} on row y1, then
 * {@code fma(fy, bottom - top, top)}: on values of a quantization grid with DeepLab's ratios (multiples
 * of 1/16) every step is exact, so the result is exactly TFLite's interpolation.
 */
public interface Resize {

    /** {@code in [H][W][C] -> out [OH][OW][C]}. */
    void bilinear(float[] in, int inOff, int h, int w, int c, float[] out, int outOff, int oh, int ow,
                  boolean alignCorners, boolean halfPixelCenters);

    /**
     * Bilinear resize to {@code [OH][OW][C]} fused with ARG_MAX over channels: writes one class index
     * per output pixel ({@code out [OH][OW]}, as floats) and never materializes the resized scores.
     * With {@code grid > 0} the scores are a quantized tensor's (real = (q - zeroPoint) * grid) and each
     * interpolated score is first rounded to its grid as TFLite's uint8 resize does (round half up in
     * q), so the comparison sees TFLite's values and its ties. Ties go to the lowest class index.
     *
     * @param rows scratch of at least {@link #argMaxScratchFloats(int, int, int)} floats
     */
    default void bilinearArgMax(float[] in, int inOff, int h, int w, int c, float grid, int zeroPoint,
                                float[] out, int outOff, int oh, int ow, boolean alignCorners, boolean halfPixelCenters,
                                float[] rows) {
        bilinearArgMax(in, inOff, h, w, c, grid, zeroPoint, out, outOff, oh, ow, alignCorners, halfPixelCenters, 0, oh,
                rows);
    }

    /**
     * Output rows {@code [oy0, oy1)} of {@link #bilinearArgMax}, each computed exactly as there (intra-op
     * parallelism splits the map in bands of rows, each thread with its own {@code rows} scratch).
     */
    void bilinearArgMax(float[] in, int inOff, int h, int w, int c, float grid, int zeroPoint,
                        float[] out, int outOff, int oh, int ow, boolean alignCorners, boolean halfPixelCenters,
                        int oy0, int oy1, float[] rows);

    /**
     * Scratch {@link #bilinearArgMax} needs: two input rows resized in width (channel-major), one input
     * row channel-major ({@code c·w}) and the width plan ({@code 3·ow}: first and second source column
     * and weight per output column).
     */
    static int argMaxScratchFloats(int c, int w, int ow) {
        return 2 * c * ow + c * w + 3 * ow + KernelSet.ARRAY_PAD;
    }

    /** ARG_MAX over channels: {@code in [pixels][C] -> out [pixels]} (index as float), first max on ties. */
    void argMax(float[] in, int inOff, int pixels, int c, float[] out, int outOff);

    /** TFLite's source coordinate of output coordinate {@code x} (see the class comment). */
    static float sourceCoordinate(int x, float scale, boolean halfPixelCenters) {
        return halfPixelCenters ? (x + 0.5f) * scale - 0.5f : x * scale;
    }

    /** TFLite's scale for one axis. */
    static float scale(int in, int out, boolean alignCorners) {
        return alignCorners && out > 1 ? (float) (in - 1) / (out - 1) : (float) in / out;
    }
}
