package io.framewise.inference.kernels.reference;

import io.framewise.inference.kernels.DilatedDepthwiseConv;

/** Direct atrous depthwise convolution, any KH×KW, stride and dilation; weights stay in TFLite's [KH][KW][C]. */
public final class ReferenceDilatedDepthwiseConv implements DilatedDepthwiseConv {

    @Override
    public float[] pack(float[] weights, int kh, int kw, int c) {
        if (weights.length != kh * kw * c) {
            throw new IllegalArgumentException("weights " + weights.length + " != " + kh + "x" + kw + "x" + c);
        }
        return weights.clone();
    }

    @Override
    public void run(float[] in, int inOff, int h, int w, int c, int kh, int kw, int stride, int dilation,
                    int padTop, int padLeft, float[] packed, float[] bias,
                    float[] out, int outOff, int oh, int ow, float lo, float hi) {
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int o = outOff + (oy * ow + ox) * c;
                for (int ch = 0; ch < c; ch++) {
                    float acc = bias[ch];
                    for (int ky = 0; ky < kh; ky++) {
                        int iy = oy * stride - padTop + ky * dilation;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int kx = 0; kx < kw; kx++) {
                            int ix = ox * stride - padLeft + kx * dilation;
                            if (ix < 0 || ix >= w) {
                                continue;
                            }
                            acc = Math.fma(in[inOff + (iy * w + ix) * c + ch], packed[(ky * kw + kx) * c + ch], acc);
                        }
                    }
                    out[o + ch] = Math.min(Math.max(acc, lo), hi);
                }
            }
        }
    }
}
