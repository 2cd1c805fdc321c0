package io.framewise.inference.tflite;

import java.nio.ByteBuffer;

/** schema.fbs {@code table OperatorCode}: deprecated_builtin_code (byte), custom_code, version, builtin_code (int). */
public final class OperatorCode extends FlatTable {

    public static OperatorCode at(int pos, ByteBuffer bb) {
        OperatorCode t = new OperatorCode();
        t.bind(pos, bb);
        return t;
    }

    public byte deprecatedBuiltinCode() { return byteField(0, (byte) 0); }
    public String customCode() { return stringField(1, 128); }
    public int version() { return intField(2, 1); }
    public int builtinCode() { return intField(3, 0); }

    /** Old writers fill only the byte, new ones both (the int for codes past 127): the larger is the real code. */
    public int effectiveBuiltinCode() { return Math.max(deprecatedBuiltinCode(), builtinCode()); }
}
