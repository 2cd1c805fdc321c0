package io.framewise.inference.kernels.reference;

import io.framewise.inference.kernels.Elementwise;

/** Scalar loops. Sums run in ascending index order; means divide the finished sum once. */
public final class ReferenceElementwise implements Elementwise {

    @Override
    public void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int len, float lo, float hi) {
        for (int i = 0; i < len; i++) {
            out[outOff + i] = Math.min(Math.max(a[aOff + i] + b[bOff + i], lo), hi);
        }
    }

    @Override
    public void globalAveragePool(float[] in, int inOff, int pixels, int c, float[] out, int outOff, float lo, float hi) {
        for (int ch = 0; ch < c; ch++) {
            float sum = 0f;
            for (int p = 0; p < pixels; p++) {
                sum += in[inOff + p * c + ch];
            }
            out[outOff + ch] = Math.min(Math.max(sum / pixels, lo), hi);
        }
    }

    @Override
    public void averagePool(float[] in, int inOff, int h, int w, int c, int fh, int fw, int stride,
                            int padTop, int padLeft, float[] out, int outOff, int oh, int ow, float lo, float hi) {
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                for (int ch = 0; ch < c; ch++) {
                    float sum = 0f;
                    int count = 0;
                    for (int ky = 0; ky < fh; ky++) {
                        int iy = oy * stride + ky - padTop;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int kx = 0; kx < fw; kx++) {
                            int ix = ox * stride + kx - padLeft;
                            if (ix < 0 || ix >= w) {
                                continue;
                            }
                            sum += in[inOff + (iy * w + ix) * c + ch];
                            count++;
                        }
                    }
                    float mean = count == 0 ? 0f : sum / count;
                    out[outOff + (oy * ow + ox) * c + ch] = Math.min(Math.max(mean, lo), hi);
                }
            }
        }
    }

    @Override
    public void softmax(float[] in, int inOff, int n, float beta, float[] out, int outOff) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, in[inOff + i]);
        }
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp((in[inOff + i] - max) * beta);
            out[outOff + i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int i = 0; i < n; i++) {
            out[outOff + i] *= inv;
        }
    }

    @Override
    public void snap(float[] a, int off, int len, float scale, float grid) {
        for (int i = off, end = off + len; i < end; i++) {
            a[i] = (float) Math.rint(a[i] * scale) * grid + 0f; // + 0f: a rounded-away negative becomes +0, as in the vector twin
        }
    }

    @Override
    public void addFixedPoint(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int len,
                              int aMultiplier, int bMultiplier, int shift, float lo, float hi) {
        int rounding = 1 << (shift - 1);
        for (int i = 0; i < len; i++) {
            int acc = (int) a[aOff + i] * aMultiplier + (int) b[bOff + i] * bMultiplier + rounding;
            out[outOff + i] = Math.min(Math.max((float) (acc >> shift), lo), hi);
        }
    }
}
