package io.framewise.inference.tflite;

import java.nio.ByteBuffer;

/** schema.fbs {@code table Pool2DOptions}: padding, stride_w, stride_h, filter_width, filter_height, fused_activation_function. */
public final class Pool2DOptions extends FlatTable {

    public static Pool2DOptions at(int pos, ByteBuffer bb) {
        Pool2DOptions t = new Pool2DOptions();
        t.bind(pos, bb);
        return t;
    }

    public byte padding() { return byteField(0, (byte) 0); }
    public int strideW() { return intField(1, 0); }
    public int strideH() { return intField(2, 0); }
    public int filterWidth() { return intField(3, 0); }
    public int filterHeight() { return intField(4, 0); }
    public byte fusedActivationFunction() { return byteField(5, (byte) 0); }
}
