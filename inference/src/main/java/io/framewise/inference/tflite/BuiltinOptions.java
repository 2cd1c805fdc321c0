package io.framewise.inference.tflite;

/** Type tags of the schema.fbs {@code BuiltinOptions} union (its member order, 1-based; 0 = NONE). */
public final class BuiltinOptions {

    public static final int NONE = 0;
    public static final int CONV_2D_OPTIONS = 1;
    public static final int DEPTHWISE_CONV_2D_OPTIONS = 2;
    public static final int POOL_2D_OPTIONS = 5;
    public static final int FULLY_CONNECTED_OPTIONS = 8;
    public static final int SOFTMAX_OPTIONS = 9;
    public static final int CONCATENATION_OPTIONS = 10;
    public static final int ADD_OPTIONS = 11;
    public static final int RESIZE_BILINEAR_OPTIONS = 15;
    public static final int RESHAPE_OPTIONS = 17;
    public static final int PAD_OPTIONS = 22;
    public static final int REDUCER_OPTIONS = 27;
    public static final int SQUEEZE_OPTIONS = 30;
    public static final int DEQUANTIZE_OPTIONS = 38;
    public static final int ARG_MAX_OPTIONS = 40;
    public static final int QUANTIZE_OPTIONS = 89;

    private BuiltinOptions() {
    }
}
