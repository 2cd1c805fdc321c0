package io.framewise.inference.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Unchecked flatbuffer navigation straight from the format rules, written independently of the loader's
 * accessors, used by tests to find and patch fields of real model files. Slots as in schema.fbs.
 */
final class RawTflite {

    final byte[] bytes;
    final ByteBuffer bb;

    RawTflite(byte[] bytes) {
        this.bytes = bytes.clone();
        this.bb = ByteBuffer.wrap(this.bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    int root() {
        return bb.getInt(0);
    }

    /** Absolute position of a table's field, or -1 when the field is absent. */
    int field(int table, int slot) {
        int vt = table - bb.getInt(table);
        int vsize = bb.getShort(vt);
        int off = 4 + 2 * slot;
        if (off >= vsize) {
            return -1;
        }
        int o = bb.getShort(vt + off);
        return o == 0 ? -1 : table + o;
    }

    int deref(int pos) {
        return pos + bb.getInt(pos);
    }

    /** Position of the length word of a vector field. */
    int vector(int table, int slot) {
        return deref(field(table, slot));
    }

    int element(int table, int slot, int i) {
        return deref(vector(table, slot) + 4 + 4 * i);
    }

    int subgraph() {
        return element(root(), 2, 0);
    }

    int operator(int i) {
        return element(subgraph(), 3, i);
    }

    int options(int op) {
        return deref(field(op, 4));
    }

    int tensor(int i) {
        return element(subgraph(), 0, i);
    }

    int operatorInput(int op, int k) {
        return bb.getInt(vector(op, 1) + 4 + 4 * k);
    }

    int operatorOutput(int op) {
        return bb.getInt(vector(op, 2) + 4);
    }

    int opcode(int i) {
        return element(root(), 1, i);
    }

    RawTflite putInt(int pos, int v) {
        bb.putInt(pos, v);
        return this;
    }

    RawTflite put(int pos, byte v) {
        bb.put(pos, v);
        return this;
    }
}
