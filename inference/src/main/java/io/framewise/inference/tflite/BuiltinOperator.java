package io.framewise.inference.tflite;

import java.util.Map;

/** The schema.fbs {@code BuiltinOperator} codes the MobileNet files use, and names for error messages. */
public final class BuiltinOperator {

    public static final int ADD = 0;
    public static final int AVERAGE_POOL_2D = 1;
    public static final int CONCATENATION = 2;
    public static final int CONV_2D = 3;
    public static final int DEPTHWISE_CONV_2D = 4;
    public static final int DEQUANTIZE = 6;
    public static final int FULLY_CONNECTED = 9;
    public static final int LOGISTIC = 14;
    public static final int MAX_POOL_2D = 17;
    public static final int MUL = 18;
    public static final int RELU = 19;
    public static final int RELU6 = 21;
    public static final int RESHAPE = 22;
    public static final int SOFTMAX = 25;
    public static final int CUSTOM = 32;
    public static final int PAD = 34;
    public static final int MEAN = 40;
    public static final int SQUEEZE = 43;
    public static final int HARD_SWISH = 117;
    public static final int QUANTIZE = 114;
    public static final int RESIZE_BILINEAR = 23;
    public static final int ARG_MAX = 56;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(ADD, "ADD"), Map.entry(AVERAGE_POOL_2D, "AVERAGE_POOL_2D"),
            Map.entry(CONCATENATION, "CONCATENATION"), Map.entry(CONV_2D, "CONV_2D"),
            Map.entry(DEPTHWISE_CONV_2D, "DEPTHWISE_CONV_2D"), Map.entry(DEQUANTIZE, "DEQUANTIZE"),
            Map.entry(FULLY_CONNECTED, "FULLY_CONNECTED"), Map.entry(LOGISTIC, "LOGISTIC"),
            Map.entry(MAX_POOL_2D, "MAX_POOL_2D"), Map.entry(MUL, "MUL"), Map.entry(RELU, "RELU"),
            Map.entry(RELU6, "RELU6"), Map.entry(RESHAPE, "RESHAPE"), Map.entry(SOFTMAX, "SOFTMAX"),
            Map.entry(CUSTOM, "CUSTOM"), Map.entry(PAD, "PAD"), Map.entry(MEAN, "MEAN"),
            Map.entry(SQUEEZE, "SQUEEZE"), Map.entry(QUANTIZE, "QUANTIZE"), Map.entry(HARD_SWISH, "HARD_SWISH"),
            Map.entry(RESIZE_BILINEAR, "RESIZE_BILINEAR"), Map.entry(ARG_MAX, "ARG_MAX"));

    private BuiltinOperator() {
    }

    public static String name(int code) {
        return NAMES.getOrDefault(code, "builtin op " + code);
    }
}
