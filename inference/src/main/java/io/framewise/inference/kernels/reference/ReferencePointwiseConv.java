package io.framewise.inference.kernels.reference;

import io.framewise.inference.kernels.PointwiseConv;

/** Triple loop over pixels, output channels, input channels. Weights stay in TFLite's [Cout][Cin]. */
public final class ReferencePointwiseConv implements PointwiseConv {

    @Override
    public float[] pack(float[] weights, int cin, int cout) {
        if (weights.length != cin * cout) {
            throw new IllegalArgumentException("weights " + weights.length + " != " + cout + "x" + cin);
        }
        return weights.clone();
    }

    @Override
    public void run(float[] in, int inOff, int pixels, int cin, float[] packed, float[] bias, int cout,
                    float[] out, int outOff, float lo, float hi, float scale, float grid, int c0, int c1) {
        float inv = grid > 0 ? scale : 0f;
        for (int p = 0; p < pixels; p++) {
            int row = inOff + p * cin;
            for (int co = c0; co < c1; co++) {
                float acc = bias[co];
                int w = co * cin;
                for (int ci = 0; ci < cin; ci++) {
                    acc = Math.fma(in[row + ci], packed[w + ci], acc);
                }
                float v = Math.min(Math.max(acc, lo), hi);
                // + 0f: a rounded-away negative becomes +0, as in the vector twin
                out[outOff + p * cout + co] = grid > 0 ? (float) Math.rint(v * inv) * grid + 0f : v;
            }
        }
    }
}
