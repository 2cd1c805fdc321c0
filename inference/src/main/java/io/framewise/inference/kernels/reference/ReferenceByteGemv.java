package io.framewise.inference.kernels.reference;

import io.framewise.inference.kernels.ByteGemv;

/** Two loops over output and input channels; bytes stay in TFLite's [Cout][Cin]. */
public final class ReferenceByteGemv implements ByteGemv {

    @Override
    public Packed pack(float[] weights, float[] scales, int cin, int cout) {
        int[] zero = new int[1];
        byte[] q = ByteGemv.integers(weights, scales, cin, cout, zero);
        return q == null ? null : new Packed(q, ByteGemv.perChannel(scales, cout), zero[0]);
    }

    @Override
    public void run(float[] in, int inOff, int cin, Packed w, float[] bias, int cout, float[] out, int outOff,
                    float lo, float hi, float scale, float grid, int c0, int c1) {
        float inv = grid > 0 ? scale : 0f;
        byte[] q = w.q();
        for (int co = c0; co < c1; co++) {
            float s = w.scales()[co];
            float acc = bias[co];
            for (int ci = 0; ci < cin; ci++) {
                acc = Math.fma(in[inOff + ci], (float) (q[co * cin + ci] - w.zero()) * s, acc);
            }
            float v = Math.min(Math.max(acc, lo), hi);
            // + 0f: a rounded-away negative becomes +0, as in the vector twin (and ReferencePointwiseConv)
            out[outOff + co] = grid > 0 ? (float) Math.rint(v * inv) * grid + 0f : v;
        }
    }

    @Override
    public int columnStep() {
        return 1;
    }
}
