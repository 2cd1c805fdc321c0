package io.framewise.inference.tflite;

import java.nio.ByteBuffer;

/** schema.fbs {@code table AddOptions}: fused_activation_function (pot_scale_int16 is irrelevant to float). */
public final class AddOptions extends FlatTable {

    public static AddOptions at(int pos, ByteBuffer bb) {
        AddOptions t = new AddOptions();
        t.bind(pos, bb);
        return t;
    }

    public byte fusedActivationFunction() { return byteField(0, (byte) 0); }
}
