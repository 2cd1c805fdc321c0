package io.framewise.inference.tflite;

import java.nio.ByteBuffer;

/** schema.fbs {@code table SubGraph}: tensors, inputs, outputs, operators, name. */
public final class SubGraph extends FlatTable {

    public static SubGraph at(int pos, ByteBuffer bb) {
        SubGraph t = new SubGraph();
        t.bind(pos, bb);
        return t;
    }

    public int tensorsLength() { return vectorLength(0, 4); }
    public Tensor tensor(int i) { return Tensor.at(tableElement(0, i, tensorsLength()), bb); }
    public int[] inputs() { return intVector(1, 16); }
    public int[] outputs() { return intVector(2, 16); }
    public int operatorsLength() { return vectorLength(3, 4); }
    public Operator operator(int i) { return Operator.at(tableElement(3, i, operatorsLength()), bb); }
    public String name() { return stringField(4, 256); }
}
