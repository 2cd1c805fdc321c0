package io.framewise.inference.tflite;

import java.nio.ByteBuffer;

/** schema.fbs {@code table FullyConnectedOptions}: fused_activation_function, weights_format, keep_num_dims, asymmetric_quantize_inputs. */
public final class FullyConnectedOptions extends FlatTable {

    public static FullyConnectedOptions at(int pos, ByteBuffer bb) {
        FullyConnectedOptions t = new FullyConnectedOptions();
        t.bind(pos, bb);
        return t;
    }

    public byte fusedActivationFunction() { return byteField(0, (byte) 0); }
    /** 0 = DEFAULT; anything else is a shuffled layout we do not read. */
    public byte weightsFormat() { return byteField(1, (byte) 0); }
    public boolean keepNumDims() { return boolField(2); }
    public boolean asymmetricQuantizeInputs() { return boolField(3); }
}
