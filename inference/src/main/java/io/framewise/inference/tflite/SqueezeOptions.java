package io.framewise.inference.tflite;

import java.nio.ByteBuffer;

/** schema.fbs {@code table SqueezeOptions}: squeeze_dims. */
public final class SqueezeOptions extends FlatTable {

    public static SqueezeOptions at(int pos, ByteBuffer bb) {
        SqueezeOptions t = new SqueezeOptions();
        t.bind(pos, bb);
        return t;
    }

    public int[] squeezeDims() { return intVector(0, 16); }
}
