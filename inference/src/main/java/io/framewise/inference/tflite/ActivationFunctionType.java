package io.framewise.inference.tflite;

import io.framewise.inference.model.ModelFormatException;

/** schema.fbs {@code ActivationFunctionType}: the fused activations we can express as a clamp. */
public final class ActivationFunctionType {

    public static final byte NONE = 0;
    public static final byte RELU = 1;
    public static final byte RELU_N1_TO_1 = 2;
    public static final byte RELU6 = 3;

    private ActivationFunctionType() {
    }

    /** The clamp {lo, hi} a fused activation applies; TANH and SIGN_BIT are not clamps and fail. */
    public static float[] clamp(byte activation, String where) {
        return switch (activation) {
            case NONE -> new float[] {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
            case RELU -> new float[] {0f, Float.POSITIVE_INFINITY};
            case RELU_N1_TO_1 -> new float[] {-1f, 1f};
            case RELU6 -> new float[] {0f, 6f};
            default -> throw new ModelFormatException(where + ": unsupported fused activation "
                    + (activation == 4 ? "TANH" : activation == 5 ? "SIGN_BIT" : "code " + activation));
        };
    }
}
