package io.framewise.operators.records;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link Episode} (the episode operator's state and output).
 *
 * <p>Versioned through its snapshot: state written before episodes had a zone (snapshot version 3, the
 * version of Flink's {@code SimpleTypeSerializerSnapshot} this class used then) is read with
 * {@link #WITHOUT_ZONE} and migrated, so savepoints of the earlier job restore.
 */
public final class EpisodeSerializer extends RecordSerializer<Episode> {

    private static final long serialVersionUID = 1L;

    /** Snapshot version of the current format (with the zone). */
    static final int VERSION_WITH_ZONE = 4;

    public static final EpisodeSerializer INSTANCE = new EpisodeSerializer(true);
    /** The format before zones: reads state of earlier savepoints. */
    public static final EpisodeSerializer WITHOUT_ZONE = new EpisodeSerializer(false);
    public static final TypeInformation<Episode> TYPE_INFO = new RecordTypeInfo<>(Episode.class, INSTANCE);

    private final boolean withZone;

    private EpisodeSerializer(boolean withZone) {
        this.withZone = withZone;
    }

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
        if (withZone) {
            writeString(e.zone(), out);
        }
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
        String first = readString(in);
        String last = readString(in);
        return new Episode(kind, camera, label, measure, start, end, frames, sum, max, box, first, last,
                withZone ? readString(in) : null);
    }

    @Override
    public TypeSerializerSnapshot<Episode> snapshotConfiguration() {
        return new Snapshot();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EpisodeSerializer s && s.withZone == withZone;
    }

    @Override
    public int hashCode() {
        return withZone ? 1 : 0;
    }

    private Object readResolve() {
        return withZone ? INSTANCE : WITHOUT_ZONE;
    }

    /** Nothing but its version: 3 (before zones) or {@value #VERSION_WITH_ZONE}. */
    public static final class Snapshot implements TypeSerializerSnapshot<Episode> {

        private int version = VERSION_WITH_ZONE;

        @Override
        public int getCurrentVersion() {
            return VERSION_WITH_ZONE;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) {
            version = readVersion;
        }

        @Override
        public TypeSerializer<Episode> restoreSerializer() {
            return version >= VERSION_WITH_ZONE ? INSTANCE : WITHOUT_ZONE;
        }

        @Override
        public TypeSerializerSchemaCompatibility<Episode> resolveSchemaCompatibility(
                TypeSerializerSnapshot<Episode> old) {
            if (!(old instanceof Snapshot s)) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            return s.version >= VERSION_WITH_ZONE ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
    }

    public static final class TypeFactory extends TypeInfoFactory<Episode> {
        @Override
        public TypeInformation<Episode> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return TYPE_INFO;
        }
    }
}
