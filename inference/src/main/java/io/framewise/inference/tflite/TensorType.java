package io.framewise.inference.tflite;

/** schema.fbs {@code TensorType} codes we read, with their element sizes. */
public final class TensorType {

    public static final int FLOAT32 = 0;
    public static final int FLOAT16 = 1;
    public static final int INT32 = 2;
    public static final int UINT8 = 3;
    public static final int INT64 = 4;
    public static final int INT16 = 7;
    public static final int INT8 = 9;

    private static final String[] NAMES = {"FLOAT32", "FLOAT16", "INT32", "UINT8", "INT64", "STRING", "BOOL",
        "INT16", "COMPLEX64", "INT8", "FLOAT64", "COMPLEX128", "UINT64", "RESOURCE", "VARIANT", "UINT32",
        "UINT16", "INT4"};

    private TensorType() {
    }

    public static String name(int type) {
        return type >= 0 && type < NAMES.length ? NAMES[type] : "type " + type;
    }

    /** Bytes per element, or -1 for types the loader does not read. */
    public static int size(int type) {
        return switch (type) {
            case FLOAT32, INT32 -> 4;
            case UINT8, INT8 -> 1;
            case INT64 -> 8;
            case INT16, FLOAT16 -> 2;
            default -> -1;
        };
    }
}
