package io.framewise.inference.tflite;

import java.nio.ByteBuffer;

/** schema.fbs {@code table SoftmaxOptions}: beta. */
public final class SoftmaxOptions extends FlatTable {

    public static SoftmaxOptions at(int pos, ByteBuffer bb) {
        SoftmaxOptions t = new SoftmaxOptions();
        t.bind(pos, bb);
        return t;
    }

    public float beta() { return floatField(0, 0f); }
}
