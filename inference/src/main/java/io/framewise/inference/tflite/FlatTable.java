package io.framewise.inference.tflite;

import com.google.flatbuffers.Table;
import io.framewise.inference.model.ModelFormatException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Base of the hand-written TFLite table accessors. Unlike flatc's output, every offset, vtable and
 * vector length is checked against the buffer before it is followed, so a truncated or hostile file
 * fails with {@link ModelFormatException} instead of reading garbage or throwing an index error.
 * Field slots are numbered as in schema.fbs (a union takes two slots: its type, then its value).
 */
public abstract class FlatTable extends Table {

    private int objectSize;

    /** Checks the table header at {@code pos} and binds this accessor to it. */
    protected final void bind(int pos, ByteBuffer buffer) {
        int limit = buffer.limit();
        String what = getClass().getSimpleName();
        if (pos < 0 || pos > limit - 4) {
            throw new ModelFormatException(what + " table at offset " + pos + " lies outside the file ("
                    + limit + " bytes)");
        }
        long vtable = (long) pos - buffer.getInt(pos);
        if (vtable < 0 || vtable > limit - 4) {
            throw new ModelFormatException(what + " table at offset " + pos + " has its vtable outside the file");
        }
        int vt = (int) vtable;
        int vtableSize = Short.toUnsignedInt(buffer.getShort(vt));
        int size = Short.toUnsignedInt(buffer.getShort(vt + 2));
        if (vtableSize < 4 || (vtableSize & 1) != 0 || vtableSize > Short.MAX_VALUE
                || (long) vt + vtableSize > limit) {
            throw new ModelFormatException(what + " table at offset " + pos + " has a corrupt vtable (size "
                    + vtableSize + ")");
        }
        if (size < 4 || (long) pos + size > limit) {
            throw new ModelFormatException(what + " table at offset " + pos + " (" + size
                    + " bytes) runs past the end of the file");
        }
        objectSize = size;
        __reset(pos, buffer);
    }

    /** Absolute position of a scalar/offset field of {@code bytes} bytes, or 0 when the field is absent. */
    protected final int field(int slot, int bytes) {
        int o = __offset(4 + 2 * slot);
        if (o == 0) {
            return 0;
        }
        if (o < 4 || o + bytes > objectSize) {
            throw new ModelFormatException(getClass().getSimpleName() + " field " + slot
                    + " lies outside its table");
        }
        return bb_pos + o;
    }

    protected final byte byteField(int slot, byte dflt) {
        int p = field(slot, 1);
        return p == 0 ? dflt : bb.get(p);
    }

    protected final boolean boolField(int slot) {
        int p = field(slot, 1);
        return p != 0 && bb.get(p) != 0;
    }

    protected final int intField(int slot, int dflt) {
        int p = field(slot, 4);
        return p == 0 ? dflt : bb.getInt(p);
    }

    protected final long longField(int slot, long dflt) {
        int p = field(slot, 8);
        return p == 0 ? dflt : bb.getLong(p);
    }

    protected final float floatField(int slot, float dflt) {
        int p = field(slot, 4);
        return p == 0 ? dflt : bb.getFloat(p);
    }

    /** Follows the unsigned 32-bit offset stored at {@code at}; the target must leave room for 4 bytes. */
    protected final int follow(int at) {
        long target = at + Integer.toUnsignedLong(bb.getInt(at));
        if (target > bb.limit() - 4L) {
            throw new ModelFormatException(getClass().getSimpleName() + ": offset at " + at
                    + " points outside the file (" + bb.limit() + " bytes)");
        }
        return (int) target;
    }

    /** Position of the referenced sub-table, or 0 when absent. */
    protected final int tableField(int slot) {
        int p = field(slot, 4);
        return p == 0 ? 0 : follow(p);
    }

    /** Number of elements of a vector field (0 when absent), checked to fit inside the file. */
    protected final int vectorLength(int slot, int elementBytes) {
        int p = field(slot, 4);
        if (p == 0) {
            return 0;
        }
        int vec = follow(p);
        long len = Integer.toUnsignedLong(bb.getInt(vec));
        if (vec + 4L + len * elementBytes > bb.limit()) {
            throw new ModelFormatException(getClass().getSimpleName() + " field " + slot + ": vector of " + len
                    + " elements runs past the end of the file");
        }
        return (int) len;
    }

    /** Position of the first element of a vector field; only valid when {@link #vectorLength} is positive. */
    protected final int vectorData(int slot) {
        return follow(field(slot, 4)) + 4;
    }

    /**
     * A whole vector field, at most {@code maxLength} elements: callers bound every vector they
     * materialize, so vectors shared by many tables cannot make loading quadratic.
     */
    protected final int[] intVector(int slot, int maxLength) {
        int n = vectorLength(slot, 4);
        if (n > maxLength) {
            throw new ModelFormatException(getClass().getSimpleName() + " field " + slot + ": " + n
                    + " elements, at most " + maxLength + " expected");
        }
        if (n == 0) {
            return new int[0];
        }
        int data = vectorData(slot);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = bb.getInt(data + 4 * i);
        }
        return out;
    }

    /**
     * A whole vector field, at most {@code maxLength} elements: callers bound every vector they
     * materialize, so vectors shared by many tables cannot make loading quadratic.
     */
    protected final float[] floatVector(int slot, int maxLength) {
        int n = vectorLength(slot, 4);
        if (n > maxLength) {
            throw new ModelFormatException(getClass().getSimpleName() + " field " + slot + ": " + n
                    + " elements, at most " + maxLength + " expected");
        }
        if (n == 0) {
            return new float[0];
        }
        int data = vectorData(slot);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = bb.getFloat(data + 4 * i);
        }
        return out;
    }

    /**
     * A whole vector field, at most {@code maxLength} elements: callers bound every vector they
     * materialize, so vectors shared by many tables cannot make loading quadratic.
     */
    protected final long[] longVector(int slot, int maxLength) {
        int n = vectorLength(slot, 8);
        if (n > maxLength) {
            throw new ModelFormatException(getClass().getSimpleName() + " field " + slot + ": " + n
                    + " elements, at most " + maxLength + " expected");
        }
        if (n == 0) {
            return new long[0];
        }
        int data = vectorData(slot);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = bb.getLong(data + 8 * i);
        }
        return out;
    }

    /** Position of element {@code i} of a vector of tables (length from {@link #vectorLength}, element size 4). */
    protected final int tableElement(int slot, int i, int length) {
        if (i < 0 || i >= length) {
            throw new ModelFormatException(getClass().getSimpleName() + " field " + slot + ": index " + i
                    + " out of range 0.." + (length - 1));
        }
        return follow(vectorData(slot) + 4 * i);
    }

    /** A string field, truncated to {@code maxChars} (names only feed messages), or "" when absent. */
    protected final String stringField(int slot, int maxChars) {
        int n = vectorLength(slot, 1);
        if (n == 0) {
            return "";
        }
        int len = Math.min(n, maxChars);
        byte[] b = new byte[len];
        bb.get(vectorData(slot), b, 0, len);
        return new String(b, StandardCharsets.UTF_8);
    }
}
