package io.framewise.inference.tflite;

import io.framewise.inference.model.ModelFormatException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** schema.fbs {@code table Model} (the root): version, operator_codes, subgraphs, description, buffers. */
public final class Model extends FlatTable {

    /** Smallest buffer that can hold a root offset, the file identifier and one table header. */
    private static final int MIN_FILE_BYTES = 16;

    /** Binds the root table of a whole .tflite file, after checking the "TFL3" file identifier. */
    public static Model root(ByteBuffer bb) {
        bb = bb.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (bb.limit() < MIN_FILE_BYTES) {
            throw new ModelFormatException("not a TFLite model: only " + bb.limit() + " bytes");
        }
        if (bb.get(4) != 'T' || bb.get(5) != 'F' || bb.get(6) != 'L' || bb.get(7) != '3') {
            throw new ModelFormatException("not a TFLite model: file identifier is not \"TFL3\"");
        }
        long root = Integer.toUnsignedLong(bb.getInt(0));
        if (root > bb.limit() - 4L) {
            throw new ModelFormatException("root table offset " + root + " lies outside the file ("
                    + bb.limit() + " bytes)");
        }
        Model m = new Model();
        m.bind((int) root, bb);
        return m;
    }

    public long version() { return Integer.toUnsignedLong(intField(0, 0)); }

    public int operatorCodesLength() { return vectorLength(1, 4); }

    public OperatorCode operatorCode(int i) {
        return OperatorCode.at(tableElement(1, i, operatorCodesLength()), bb);
    }

    public int subgraphsLength() { return vectorLength(2, 4); }

    public SubGraph subgraph(int i) { return SubGraph.at(tableElement(2, i, subgraphsLength()), bb); }

    public String description() { return stringField(3, 256); }

    public int buffersLength() { return vectorLength(4, 4); }

    public Buffer buffer(int i) { return Buffer.at(tableElement(4, i, buffersLength()), bb); }

    /** The little-endian view of the whole file all accessors read from. */
    public ByteBuffer bytes() { return bb; }
}
