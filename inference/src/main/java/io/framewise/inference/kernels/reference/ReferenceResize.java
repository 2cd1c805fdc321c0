package io.framewise.inference.kernels.reference;

import io.framewise.inference.kernels.Resize;

/** Plain loops over output pixels and channels; the definition the vector kernel is tested against. */
public final class ReferenceResize implements Resize {

    @Override
    public void bilinear(float[] in, int inOff, int h, int w, int c, float[] out, int outOff, int oh, int ow,
                         boolean alignCorners, boolean halfPixelCenters) {
        float sy = Resize.scale(h, oh, alignCorners);
        float sx = Resize.scale(w, ow, alignCorners);
        for (int y = 0; y < oh; y++) {
            float fy = Resize.sourceCoordinate(y, sy, halfPixelCenters);
            int y0 = Math.max((int) Math.floor(fy), 0);
            int y1 = Math.min((int) Math.ceil(fy), h - 1);
            float wy = fy - y0;
            for (int x = 0; x < ow; x++) {
                float fx = Resize.sourceCoordinate(x, sx, halfPixelCenters);
                int x0 = Math.max((int) Math.floor(fx), 0);
                int x1 = Math.min((int) Math.ceil(fx), w - 1);
                float wx = fx - x0;
                for (int ch = 0; ch < c; ch++) {
                    out[outOff + (y * ow + x) * c + ch] = sample(in, inOff, w, c, ch, y0, y1, wy, x0, x1, wx);
                }
            }
        }
    }

    @Override
    public void bilinearArgMax(float[] in, int inOff, int h, int w, int c, float grid, int zeroPoint,
                               float[] out, int outOff, int oh, int ow, boolean alignCorners,
                               boolean halfPixelCenters, int oy0, int oy1, float[] rows) {
        float sy = Resize.scale(h, oh, alignCorners);
        float sx = Resize.scale(w, ow, alignCorners);
        for (int y = oy0; y < oy1; y++) {
            float fy = Resize.sourceCoordinate(y, sy, halfPixelCenters);
            int y0 = Math.max((int) Math.floor(fy), 0);
            int y1 = Math.min((int) Math.ceil(fy), h - 1);
            float wy = fy - y0;
            for (int x = 0; x < ow; x++) {
                float fx = Resize.sourceCoordinate(x, sx, halfPixelCenters);
                int x0 = Math.max((int) Math.floor(fx), 0);
                int x1 = Math.min((int) Math.ceil(fx), w - 1);
                float wx = fx - x0;
                int best = 0;
                float bestValue = Float.NEGATIVE_INFINITY;
                for (int ch = 0; ch < c; ch++) {
                    float v = grid > 0
                            ? quantizedSample(in, inOff, w, c, ch, y0, y1, wy, x0, x1, wx, grid, zeroPoint)
                            : sample(in, inOff, w, c, ch, y0, y1, wy, x0, x1, wx);
                    if (v > bestValue) { // strictly greater: the first maximum wins, as in TFLite's ARG_MAX
                        bestValue = v;
                        best = ch;
                    }
                }
                out[outOff + y * ow + x] = best;
            }
        }
    }

    @Override
    public void argMax(float[] in, int inOff, int pixels, int c, float[] out, int outOff) {
        for (int p = 0; p < pixels; p++) {
            int best = 0;
            float bestValue = in[inOff + p * c];
            for (int ch = 1; ch < c; ch++) {
                float v = in[inOff + p * c + ch];
                if (v > bestValue) {
                    bestValue = v;
                    best = ch;
                }
            }
            out[outOff + p] = best;
        }
    }

    private static float sample(float[] in, int inOff, int w, int c, int ch, int y0, int y1, float wy,
                                int x0, int x1, float wx) {
        float a = in[inOff + (y0 * w + x0) * c + ch];
        float b = in[inOff + (y0 * w + x1) * c + ch];
        float top = Math.fma(wx, b - a, a);
        a = in[inOff + (y1 * w + x0) * c + ch];
        b = in[inOff + (y1 * w + x1) * c + ch];
        float bottom = Math.fma(wx, b - a, a);
        return Math.fma(wy, bottom - top, top);
    }

    /**
     * The interpolated score in quantized units, rounded half up as XNNPACK's uint8 resize does
     * ((acc + 2^21) >> 22 on Q11 weights); the interpolation runs on q (integers), so it is exact.
     */
    private static float quantizedSample(float[] in, int inOff, int w, int c, int ch, int y0, int y1, float wy,
                                         int x0, int x1, float wx, float grid, int zeroPoint) {
        float inv = 1f / grid;
        float a = q(in[inOff + (y0 * w + x0) * c + ch], inv, zeroPoint);
        float b = q(in[inOff + (y0 * w + x1) * c + ch], inv, zeroPoint);
        float top = Math.fma(wx, b - a, a);
        a = q(in[inOff + (y1 * w + x0) * c + ch], inv, zeroPoint);
        b = q(in[inOff + (y1 * w + x1) * c + ch], inv, zeroPoint);
        float bottom = Math.fma(wx, b - a, a);
        return (float) Math.floor(Math.fma(wy, bottom - top, top) + 0.5f);
    }

    /** The quantized value q = x / grid + zeroPoint, an integer for a value on the grid. */
    static float q(float x, float inv, int zeroPoint) {
        return (float) Math.rint(x * inv) + zeroPoint;
    }
}
