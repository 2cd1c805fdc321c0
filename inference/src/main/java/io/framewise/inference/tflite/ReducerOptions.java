package io.framewise.inference.tflite;

import java.nio.ByteBuffer;

/** schema.fbs {@code table ReducerOptions} (MEAN): keep_dims. */
public final class ReducerOptions extends FlatTable {

    public static ReducerOptions at(int pos, ByteBuffer bb) {
        ReducerOptions t = new ReducerOptions();
        t.bind(pos, bb);
        return t;
    }

    public boolean keepDims() { return boolField(0); }
}
