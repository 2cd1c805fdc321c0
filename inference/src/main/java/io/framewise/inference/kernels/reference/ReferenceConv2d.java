package io.framewise.inference.kernels.reference;

import io.framewise.inference.kernels.Conv2d;

/** Direct convolution over output pixels and channels; weights stay in TFLite's [Cout][KH][KW][Cin]. */
public final class ReferenceConv2d implements Conv2d {

    @Override
    public float[] pack(float[] weights, int cout, int kh, int kw, int cin) {
        if (weights.length != cout * kh * kw * cin) {
            throw new IllegalArgumentException("weights " + weights.length + " != " + cout + "x" + kh + "x" + kw + "x" + cin);
        }
        return weights.clone();
    }

    @Override
    public void run(float[] in, int inOff, int h, int w, int cin,
                    int kh, int kw, int stride, int padTop, int padLeft,
                    float[] packed, float[] bias, int cout,
                    float[] out, int outOff, int oh, int ow, float lo, float hi, float scale, float grid) {
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int o = outOff + (oy * ow + ox) * cout;
                for (int co = 0; co < cout; co++) {
                    float acc = bias[co];
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
                            int i = inOff + (iy * w + ix) * cin;
                            int wi = ((co * kh + ky) * kw + kx) * cin;
                            for (int ci = 0; ci < cin; ci++) {
                                acc = Math.fma(in[i + ci], packed[wi + ci], acc);
                            }
                        }
                    }
                    float v = Math.min(Math.max(acc, lo), hi);
                    out[o + co] = grid > 0 ? (float) Math.rint(v * scale) * grid + 0f : v;
                }
            }
        }
    }
}
