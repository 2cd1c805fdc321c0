package io.framewise.operators.records;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Base of the explicit Flink serializers of the job's records: field by field, no reflection, no
 * Kryo. The records are immutable (their byte arrays are never written after construction), so
 * copies share instances.
 */
abstract class RecordSerializer<T> extends TypeSerializerSingleton<T> {

    private static final long serialVersionUID = 1L;

    @Override
    public final boolean isImmutableType() {
        return true;
    }

    @Override
    public final T copy(T from) {
        return from;
    }

    @Override
    public final T copy(T from, T reuse) {
        return from;
    }

    @Override
    public final int getLength() {
        return -1;
    }

    @Override
    public final T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public final void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    static void writeBytes(byte[] b, DataOutputView out) throws IOException {
        if (b == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(b.length);
            out.write(b);
        }
    }

    static byte[] readBytes(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    static void writeString(String s, DataOutputView out) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    static String readString(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    static void writeHeaders(Map<String, byte[]> headers, DataOutputView out) throws IOException {
        out.writeInt(headers.size());
        for (Map.Entry<String, byte[]> e : headers.entrySet()) {
            out.writeUTF(e.getKey());
            writeBytes(e.getValue(), out);
        }
    }

    static Map<String, byte[]> readHeaders(DataInputView in) throws IOException {
        int n = in.readInt();
        Map<String, byte[]> headers = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            headers.put(name, readBytes(in));
        }
        return headers;
    }

    static void writeGate(GateReading g, DataOutputView out) throws IOException {
        out.writeBoolean(g != null);
        if (g != null) {
            out.writeDouble(g.difference());
            out.writeDouble(g.blockMax());
        }
    }

    static GateReading readGate(DataInputView in) throws IOException {
        return in.readBoolean() ? new GateReading(in.readDouble(), in.readDouble()) : null;
    }
}
