package io.framewise.inference.preprocess;

import io.framewise.inference.model.InputSpec;

/**
 * Maps raw pixel bytes to the real values the model's first layer sees, through the model's own
 * input quantization: {@code real = (p - zeroPoint) * scale}. A 256-entry table, built once.
 */
public final class InputQuantization {

    private final float[] table = new float[256];

    public InputQuantization(InputSpec spec) {
        for (int p = 0; p < 256; p++) {
            table[p] = (float) ((p - (double) spec.zeroPoint()) * spec.scale());
        }
    }

    /** {@code dst[dstOff + i] = real(src[srcOff + i])} for {@code len} bytes. */
    public void map(byte[] src, int srcOff, float[] dst, int dstOff, int len) {
        float[] t = table;
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = t[src[srcOff + i] & 0xFF];
        }
    }

    public float real(int pixel) {
        return table[pixel & 0xFF];
    }
}
