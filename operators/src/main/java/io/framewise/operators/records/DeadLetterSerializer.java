package io.framewise.operators.records;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Flink serializer of {@link DeadLetter}. */
public final class DeadLetterSerializer extends RecordSerializer<DeadLetter> {

    private static final long serialVersionUID = 1L;

    public static final DeadLetterSerializer INSTANCE = new DeadLetterSerializer();
    public static final TypeInformation<DeadLetter> TYPE_INFO = new RecordTypeInfo<>(DeadLetter.class, INSTANCE);

    /** An empty record: Flink asks for one as a reuse target; these records are never reused. */
    @Override
    public DeadLetter createInstance() {
        return new DeadLetter(null, null, Map.of(), DeadLetterReason.EMPTY, "", null, 0, 0, null, 0);
    }

    @Override
    public void serialize(DeadLetter d, DataOutputView out) throws IOException {
        writeBytes(d.key(), out);
        writeBytes(d.value(), out);
        writeHeaders(d.headers(), out);
        out.writeUTF(d.reason().name()); // by name: the enum order may change, the names are stable
        // writeUTF caps strings at 64 KiB of modified UTF-8; messages are short but not bounded by us.
        writeBytes(d.message().getBytes(StandardCharsets.UTF_8), out);
        writeString(d.topic(), out);
        out.writeInt(d.partition());
        out.writeLong(d.offset());
        writeString(d.camera(), out);
        out.writeLong(d.atMs());
    }

    @Override
    public DeadLetter deserialize(DataInputView in) throws IOException {
        byte[] key = readBytes(in);
        byte[] value = readBytes(in);
        Map<String, byte[]> headers = readHeaders(in);
        DeadLetterReason reason = DeadLetterReason.valueOf(in.readUTF());
        String message = new String(readBytes(in), StandardCharsets.UTF_8);
        String topic = readString(in);
        int partition = in.readInt();
        long offset = in.readLong();
        String camera = readString(in);
        long at = in.readLong();
        return new DeadLetter(key, value, headers, reason, message, topic, partition, offset, camera, at);
    }

    @Override
    public TypeSerializerSnapshot<DeadLetter> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<DeadLetter> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    public static final class TypeFactory extends TypeInfoFactory<DeadLetter> {
        @Override
        public TypeInformation<DeadLetter> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return TYPE_INFO;
        }
    }
}
