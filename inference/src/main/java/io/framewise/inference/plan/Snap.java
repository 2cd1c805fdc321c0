package io.framewise.inference.plan;

/**
 * Snaps activations to their tensor's quantization grid ({@code x -> rint(x / scale) * scale}), so a
 * quantized model computed in fp32 sees the same activation values the model defines, not finer ones.
 * Clamping to the representable range is the kernels' epilogue; this adds only the rounding.
 */
final class Snap {

    private Snap() {
    }

    static void snap(float[] a, int off, int len, float grid) {
        if (grid <= 0) {
            return;
        }
        float inv = 1f / grid;
        for (int i = off, end = off + len; i < end; i++) {
            a[i] = (float) Math.rint(a[i] * inv) * grid;
        }
    }
}
