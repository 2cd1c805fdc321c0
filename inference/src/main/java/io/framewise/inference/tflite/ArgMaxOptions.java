package io.framewise.inference.tflite;

import java.nio.ByteBuffer;

/** schema.fbs {@code table ArgMaxOptions}: output_type (a TensorType). */
public final class ArgMaxOptions extends FlatTable {

    public static ArgMaxOptions at(int pos, ByteBuffer bb) {
        ArgMaxOptions t = new ArgMaxOptions();
        t.bind(pos, bb);
        return t;
    }

    public byte outputType() { return byteField(0, (byte) 0); }
}
