package io.framewise.inference.kernels.reference;

import io.framewise.inference.kernels.DepthwiseConv;

/** Direct depthwise convolution, any KH×KW and stride; weights stay in TFLite's [KH][KW][C]. */
public final class ReferenceDepthwiseConv implements DepthwiseConv {

    @Override
    public float[] pack(float[] weights, int kh, int kw, int c) {
        if (weights.length != kh * kw * c) {
            throw new IllegalArgumentException("weights " + weights.length + " != " + kh + "x" + kw + "x" + c);
        }
        return weights.clone();
    }

    @Override
    public void run(float[] in, int inOff, int inRow0, int h, int w, int c,
                    int kh, int kw, int stride, int padTop, int padLeft,
                    float[] packed, float[] bias,
                    float[] out, int outOff, int outRow0, int oh, int ow, int oy0, int oy1,
                    float lo, float hi) {
        for (int oy = oy0; oy < oy1; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int o = outOff + ((oy - outRow0) * ow + ox) * c;
                for (int ch = 0; ch < c; ch++) {
                    float acc = bias[ch];
                    for (int ky = 0; ky < kh; ky++) {
                        int iy = oy * stride + ky - padTop;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int kx = 0; kx < kw; kx++) {
                            int ix = ox * stride + kx - padLeft;
                            if (ix < 0 || ix >= w) {
                                continue;
                            }
                            float x = in[inOff + ((iy - inRow0) * w + ix) * c + ch];
                            acc = Math.fma(x, packed[(ky * kw + kx) * c + ch], acc);
                        }
                    }
                    out[o + ch] = Math.min(Math.max(acc, lo), hi);
                }
            }
        }
    }
}
