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

/** Flink serializer of {@link ModelFrame}. */
public final class ModelFrameSerializer extends RecordSerializer<ModelFrame> {

    private static final long serialVersionUID = 1L;

    public static final ModelFrameSerializer INSTANCE = new ModelFrameSerializer();
    public static final TypeInformation<ModelFrame> TYPE_INFO = new RecordTypeInfo<>(ModelFrame.class, INSTANCE);

    /** An empty record: Flink asks for one as a reuse target; these records are never reused. */
    @Override
    public ModelFrame createInstance() {
        return new ModelFrame("", 0, 0, 0, 0, 0, null, 0, 0, new byte[0], 0, 0, 0, 0, false);
    }

    @Override
    public void serialize(ModelFrame f, DataOutputView out) throws IOException {
        out.writeUTF(f.camera());
        out.writeLong(f.sequence());
        out.writeInt(f.indexInSegment());
        out.writeInt(f.framesInSegment());
        out.writeLong(f.captureTsMs());
        out.writeLong(f.ptsMs());
        writeString(f.topic(), out);
        out.writeInt(f.partition());
        out.writeLong(f.offset());
        writeBytes(f.pixels(), out);
        out.writeInt(f.srcWidth());
        out.writeInt(f.srcHeight());
        out.writeLong(f.decodeNanos());
        out.writeLong(f.decodedAtMs());
        out.writeBoolean(f.infer());
        writeGate(f.gate(), out);
    }

    @Override
    public ModelFrame deserialize(DataInputView in) throws IOException {
        String camera = in.readUTF();
        long sequence = in.readLong();
        int index = in.readInt();
        int frames = in.readInt();
        long captureTs = in.readLong();
        long pts = in.readLong();
        String topic = readString(in);
        int partition = in.readInt();
        long offset = in.readLong();
        byte[] pixels = readBytes(in);
        int w = in.readInt();
        int h = in.readInt();
        long decodeNanos = in.readLong();
        long decodedAt = in.readLong();
        boolean infer = in.readBoolean();
        GateReading gate = readGate(in);
        return new ModelFrame(camera, sequence, index, frames, captureTs, pts, topic, partition, offset, pixels, w, h,
                decodeNanos, decodedAt, infer, gate);
    }

    @Override
    public TypeSerializerSnapshot<ModelFrame> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ModelFrame> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    public static final class TypeFactory extends TypeInfoFactory<ModelFrame> {
        @Override
        public TypeInformation<ModelFrame> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return TYPE_INFO;
        }
    }
}
