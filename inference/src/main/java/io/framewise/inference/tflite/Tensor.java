package io.framewise.inference.tflite;

import java.nio.ByteBuffer;

/** schema.fbs {@code table Tensor}: shape, type, buffer, name, quantization, is_variable, sparsity, shape_signature. */
public final class Tensor extends FlatTable {

    public static Tensor at(int pos, ByteBuffer bb) {
        Tensor t = new Tensor();
        t.bind(pos, bb);
        return t;
    }

    /** At most 16 dimensions are read; the loader accepts rank 8 at most. */
    public int[] shape() { return intVector(0, 16); }
    public byte type() { return byteField(1, (byte) 0); }
    /** Index into {@link Model#buffer}; 0 is the empty sentinel buffer (no constant data). */
    public long buffer() { return Integer.toUnsignedLong(intField(2, 0)); }
    public String name() { return stringField(3, 256); }
    /** Null when the tensor is not quantized. */
    public QuantizationParameters quantization() {
        int p = tableField(4);
        return p == 0 ? null : QuantizationParameters.at(p, bb);
    }
    public boolean isVariable() { return boolField(5); }
    public boolean isSparse() { return field(6, 4) != 0; }
}
