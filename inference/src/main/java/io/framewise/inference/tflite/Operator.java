package io.framewise.inference.tflite;

import java.nio.ByteBuffer;

/** schema.fbs {@code table Operator}: opcode_index, inputs, outputs, builtin_options_type, builtin_options, custom_options. */
public final class Operator extends FlatTable {

    /** No supported operator has more than 3 inputs or 1 output. */
    static final int MAX_OPERANDS = 16;

    public static Operator at(int pos, ByteBuffer bb) {
        Operator t = new Operator();
        t.bind(pos, bb);
        return t;
    }

    public long opcodeIndex() { return Integer.toUnsignedLong(intField(0, 0)); }
    /** Tensor indices; -1 marks an omitted optional input. */
    public int[] inputs() { return intVector(1, MAX_OPERANDS); }
    public int[] outputs() { return intVector(2, MAX_OPERANDS); }
    /** A {@link BuiltinOptions} constant; 0 when the operator carries no options table. */
    public int builtinOptionsType() { return Byte.toUnsignedInt(byteField(3, (byte) 0)); }
    /** Position of the options table, 0 when absent. */
    public int builtinOptionsPos() { return tableField(4); }
    public boolean hasCustomOptions() { return field(5, 4) != 0; }
}
