package io.framewise.inference.tflite;

import java.nio.ByteBuffer;

/** schema.fbs {@code table DepthwiseConv2DOptions}: padding, stride_w, stride_h, depth_multiplier, fused_activation_function, dilation_w_factor, dilation_h_factor. */
public final class DepthwiseConv2DOptions extends FlatTable {

    public static DepthwiseConv2DOptions at(int pos, ByteBuffer bb) {
        DepthwiseConv2DOptions t = new DepthwiseConv2DOptions();
        t.bind(pos, bb);
        return t;
    }

    public byte padding() { return byteField(0, (byte) 0); }
    public int strideW() { return intField(1, 0); }
    public int strideH() { return intField(2, 0); }
    public int depthMultiplier() { return intField(3, 0); }
    public byte fusedActivationFunction() { return byteField(4, (byte) 0); }
    public int dilationWFactor() { return intField(5, 1); }
    public int dilationHFactor() { return intField(6, 1); }
}
