package io.framewise.inference.tflite;

import java.nio.ByteBuffer;

/** schema.fbs {@code table ConcatenationOptions}: axis, fused_activation_function. */
public final class ConcatenationOptions extends FlatTable {

    public static ConcatenationOptions at(int pos, ByteBuffer bb) {
        ConcatenationOptions t = new ConcatenationOptions();
        t.bind(pos, bb);
        return t;
    }

    public int axis() { return intField(0, 0); }
    public byte fusedActivationFunction() { return byteField(1, (byte) 0); }
}
