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

/** Flink serializer of {@link Episode} (the episode operator's state and output). */
public final class EpisodeSerializer extends RecordSerializer<Episode> {

    private static final long serialVersionUID = 1L;

    public static final EpisodeSerializer INSTANCE = new EpisodeSerializer();
    public static final TypeInformation<Episode> TYPE_INFO = new RecordTypeInfo<>(Episode.class, INSTANCE);

    @Override
    public Episode createInstance() {
        return new Episode(Episode.Kind.CANDIDATE, "", "", null, 0, 0, 0, 0, 0, null, null, null);
    }

    @Override
    public void serialize(Episode e, DataOutputView out) throws IOException {
        out.writeByte(e.kind().ordinal());
        out.writeUTF(e.camera());
        out.writeUTF(e.label());
        writeString(e.measure(), out);
        out.writeLong(e.startMs());
        out.writeLong(e.endMs());
        out.writeInt(e.frames());
        out.writeDouble(e.valueSum());
        out.writeDouble(e.valueMax());
        out.writeBoolean(e.box() != null);
        if (e.box() != null) {
            out.writeFloat(e.box().x0());
            out.writeFloat(e.box().y0());
            out.writeFloat(e.box().x1());
            out.writeFloat(e.box().y1());
        }
        writeString(e.firstEventId(), out);
        writeString(e.lastEventId(), out);
    }

    @Override
    public Episode deserialize(DataInputView in) throws IOException {
        Episode.Kind kind = Episode.Kind.values()[in.readByte()];
        String camera = in.readUTF();
        String label = in.readUTF();
        String measure = readString(in);
        long start = in.readLong();
        long end = in.readLong();
        int frames = in.readInt();
        double sum = in.readDouble();
        double max = in.readDouble();
        Box box = in.readBoolean() ? new Box(in.readFloat(), in.readFloat(), in.readFloat(), in.readFloat()) : null;
        return new Episode(kind, camera, label, measure, start, end, frames, sum, max, box, readString(in),
                readString(in));
    }

    @Override
    public TypeSerializerSnapshot<Episode> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Episode> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    public static final class TypeFactory extends TypeInfoFactory<Episode> {
        @Override
        public TypeInformation<Episode> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return TYPE_INFO;
        }
    }
}
