package io.framewise.operators.records;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Flink serializer of {@link FrameRecord}. */
public final class FrameRecordSerializer extends RecordSerializer<FrameRecord> {

    private static final long serialVersionUID = 1L;

    public static final FrameRecordSerializer INSTANCE = new FrameRecordSerializer();
    public static final TypeInformation<FrameRecord> TYPE_INFO = new RecordTypeInfo<>(FrameRecord.class, INSTANCE);

    /** An empty record: Flink asks for one as a reuse target; these records are never reused. */
    @Override
    public FrameRecord createInstance() {
        return new FrameRecord(null, null, null, Map.of(), null, 0, 0, 0);
    }

    @Override
    public void serialize(FrameRecord r, DataOutputView out) throws IOException {
        writeString(r.camera(), out);
        writeBytes(r.key(), out);
        writeBytes(r.value(), out);
        writeHeaders(r.headers(), out);
        writeString(r.topic(), out);
        out.writeInt(r.partition());
        out.writeLong(r.offset());
        out.writeLong(r.kafkaTimestamp());
    }

    @Override
    public FrameRecord deserialize(DataInputView in) throws IOException {
        String camera = readString(in);
        byte[] key = readBytes(in);
        byte[] value = readBytes(in);
        Map<String, byte[]> headers = readHeaders(in);
        String topic = readString(in);
        int partition = in.readInt();
        long offset = in.readLong();
        long ts = in.readLong();
        return new FrameRecord(camera, key, value, headers, topic, partition, offset, ts);
    }

    @Override
    public TypeSerializerSnapshot<FrameRecord> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<FrameRecord> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    public static final class TypeFactory extends TypeInfoFactory<FrameRecord> {
        @Override
        public TypeInformation<FrameRecord> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return TYPE_INFO;
        }
    }
}
