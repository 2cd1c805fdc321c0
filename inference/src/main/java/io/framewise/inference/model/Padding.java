package io.framewise.inference.model;

/** TFLite padding modes. SAME puts the odd extra pixel at the bottom/right, as TFLite does. */
public enum Padding {
    SAME,
    VALID;

    /** Output extent along one axis. */
    public int outputSize(int in, int filter, int stride) {
        return this == SAME ? (in + stride - 1) / stride : (in - filter + stride) / stride;
    }

    /** Padding before the first element along one axis (top or left). */
    public int padBefore(int in, int filter, int stride) {
        if (this == VALID) {
            return 0;
        }
        int out = outputSize(in, filter, stride);
        int total = Math.max((out - 1) * stride + filter - in, 0);
        return total / 2;
    }
}
