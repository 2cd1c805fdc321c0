package io.framewise.inference.tflite;

import java.nio.ByteBuffer;

/** schema.fbs {@code table ReshapeOptions}: new_shape. */
public final class ReshapeOptions extends FlatTable {

    public static ReshapeOptions at(int pos, ByteBuffer bb) {
        ReshapeOptions t = new ReshapeOptions();
        t.bind(pos, bb);
        return t;
    }

    public int[] newShape() { return intVector(0, 16); }
}
