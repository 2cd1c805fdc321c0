package io.framewise.inference.kernels.reference;

import io.framewise.inference.kernels.PaddedDepthwiseConv;

/** Plain loops over output pixels, channels and the 9 taps; weights stay in TFLite's [3][3][C]. */
public final class ReferencePaddedDepthwiseConv implements PaddedDepthwiseConv {

    @Override
    public float[] pack(float[] weights, int c) {
        if (weights.length != 9 * c) {
            throw new IllegalArgumentException("weights " + weights.length + " != 3x3x" + c);
        }
        return weights.clone();
    }

    @Override
    public boolean supports(int stride, int dilation) {
        return stride >= 1 && dilation >= 1;
    }

    @Override
    public void run(float[] in, int inOff, int pitch, int c, int stride, int dilation, int rowOff, int colOff,
                    float[] packed, float[] bias, float[] out, int outOff, int ow, int oy0, int oy1, float lo, float hi,
                    float scale, float grid) {
        for (int oy = oy0; oy < oy1; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                for (int ch = 0; ch < c; ch++) {
                    float acc = bias[ch];
                    for (int ky = 0; ky < 3; ky++) {
                        int r = oy * stride + rowOff + ky * dilation;
                        for (int kx = 0; kx < 3; kx++) {
                            int x = ox * stride + colOff + kx * dilation;
                            acc = Math.fma(in[inOff + r * pitch + x * c + ch], packed[(ky * 3 + kx) * c + ch], acc);
                        }
                    }
                    float v = Math.min(Math.max(acc, lo), hi);
                    out[outOff + ((oy - oy0) * ow + ox) * c + ch] = grid > 0 ? (float) Math.rint(v * scale) * grid + 0f : v;
                }
            }
        }
    }
}
