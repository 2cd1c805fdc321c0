package io.framewise.inference.tflite;

import java.nio.ByteBuffer;

/** schema.fbs {@code table Buffer}: data, and offset/size for data stored after the flatbuffer (large models). */
public final class Buffer extends FlatTable {

    public static Buffer at(int pos, ByteBuffer bb) {
        Buffer t = new Buffer();
        t.bind(pos, bb);
        return t;
    }

    public int dataLength() { return vectorLength(0, 1); }
    /** Absolute position of the first data byte; only meaningful when {@link #dataLength()} is positive. */
    public int dataStart() { return vectorData(0); }
    public long offset() { return longField(1, 0L); }
    public long size() { return longField(2, 0L); }
}
