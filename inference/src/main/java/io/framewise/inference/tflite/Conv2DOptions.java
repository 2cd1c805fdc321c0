package io.framewise.inference.tflite;

import java.nio.ByteBuffer;

/** schema.fbs {@code table Conv2DOptions}: padding, stride_w, stride_h, fused_activation_function, dilation_w_factor, dilation_h_factor. */
public final class Conv2DOptions extends FlatTable {

    public static Conv2DOptions at(int pos, ByteBuffer bb) {
        Conv2DOptions t = new Conv2DOptions();
        t.bind(pos, bb);
        return t;
    }

    public byte padding() { return byteField(0, (byte) 0); }
    public int strideW() { return intField(1, 0); }
    public int strideH() { return intField(2, 0); }
    public byte fusedActivationFunction() { return byteField(3, (byte) 0); }
    public int dilationWFactor() { return intField(4, 1); }
    public int dilationHFactor() { return intField(5, 1); }
}
