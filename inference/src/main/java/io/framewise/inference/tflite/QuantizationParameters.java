package io.framewise.inference.tflite;

import java.nio.ByteBuffer;

/** schema.fbs {@code table QuantizationParameters}: min, max, scale, zero_point, details_type, details, quantized_dimension. */
public final class QuantizationParameters extends FlatTable {

    public static QuantizationParameters at(int pos, ByteBuffer bb) {
        QuantizationParameters t = new QuantizationParameters();
        t.bind(pos, bb);
        return t;
    }

    /** At most {@code maxLength} scales (one per channel). */
    public float[] scale(int maxLength) { return floatVector(2, maxLength); }
    public long[] zeroPoint(int maxLength) { return longVector(3, maxLength); }
    /** Non-zero when custom quantization details replace scale/zero_point (unsupported). */
    public byte detailsType() { return byteField(4, (byte) 0); }
    public int quantizedDimension() { return intField(6, 0); }
}
