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

/** Flink serializer of {@link CameraStatus}. */
public final class CameraStatusSerializer extends RecordSerializer<CameraStatus> {

    private static final long serialVersionUID = 1L;

    public static final CameraStatusSerializer INSTANCE = new CameraStatusSerializer();
    public static final TypeInformation<CameraStatus> TYPE_INFO = new RecordTypeInfo<>(CameraStatus.class, INSTANCE);

    @Override
    public CameraStatus createInstance() {
        return new CameraStatus("", CameraStatus.State.RESUMED, 0, 0, 0);
    }

    @Override
    public void serialize(CameraStatus s, DataOutputView out) throws IOException {
        out.writeUTF(s.camera());
        out.writeByte(s.state().ordinal());
        out.writeLong(s.atMs());
        out.writeLong(s.lastSeenMs());
        out.writeLong(s.gapMs());
    }

    @Override
    public CameraStatus deserialize(DataInputView in) throws IOException {
        return new CameraStatus(in.readUTF(), CameraStatus.State.values()[in.readByte()], in.readLong(), in.readLong(),
                in.readLong());
    }

    @Override
    public TypeSerializerSnapshot<CameraStatus> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<CameraStatus> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    public static final class TypeFactory extends TypeInfoFactory<CameraStatus> {
        @Override
        public TypeInformation<CameraStatus> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return TYPE_INFO;
        }
    }
}
