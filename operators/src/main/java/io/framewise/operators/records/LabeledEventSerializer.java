package io.framewise.operators.records;

import io.framewise.inference.exec.Segmentation;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link LabeledEvent}. Events are state (each camera's last result, the episode
 * operator's pending events), so the format is versioned: a savepoint written by an older format is read
 * with that format and rewritten in the current one (Flink's state migration, through {@link Snapshot}).
 *
 * <p>Formats: 3 = classification events with the gate reading (the first release with this operator
 * state under a versioned name); 4 = plus the segmentation classes and class map hash.
 */
public final class LabeledEventSerializer extends RecordSerializer<LabeledEvent> {

    private static final long serialVersionUID = 1L;

    /** The format written now. */
    public static final int FORMAT = 4;
    /** The oldest format still read. */
    public static final int OLDEST_FORMAT = 3;

    public static final LabeledEventSerializer INSTANCE = new LabeledEventSerializer(FORMAT);
    public static final TypeInformation<LabeledEvent> TYPE_INFO = new RecordTypeInfo<>(LabeledEvent.class, INSTANCE);

    private final int format;

    private LabeledEventSerializer(int format) {
        this.format = format;
    }

    /** A serializer of {@code format} (tests write old savepoint bytes with it; Flink restores with it). */
    public static LabeledEventSerializer ofFormat(int format) {
        if (format < OLDEST_FORMAT || format > FORMAT) {
            throw new IllegalArgumentException("labeled event format " + format + " is not readable; this release reads "
                    + OLDEST_FORMAT + ".." + FORMAT);
        }
        return format == FORMAT ? INSTANCE : new LabeledEventSerializer(format);
    }

    public int format() {
        return format;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabeledEventSerializer other && other.format == format;
    }

    @Override
    public int hashCode() {
        return format;
    }

    /** An empty record: Flink asks for one as a reuse target; these records are never reused. */
    @Override
    public LabeledEvent createInstance() {
        return new LabeledEvent("", 0, 0, 0, 0, null, 0, 0, null, null, List.of(), false, null, 0,
                new LabeledEvent.Latency(0, 0, 0, 0));
    }

    @Override
    public void serialize(LabeledEvent e, DataOutputView out) throws IOException {
        out.writeUTF(e.camera());
        out.writeLong(e.sequence());
        out.writeInt(e.indexInSegment());
        out.writeLong(e.captureTsMs());
        out.writeLong(e.ptsMs());
        writeString(e.topic(), out);
        out.writeInt(e.partition());
        out.writeLong(e.offset());
        writeString(e.model(), out);
        writeString(e.modelSha256(), out);
        out.writeInt(e.top().size());
        for (LabeledEvent.Top t : e.top()) {
            out.writeInt(t.index());
            writeString(t.label(), out);
            out.writeFloat(t.score());
        }
        out.writeBoolean(e.inferred());
        writeString(e.batchId(), out);
        out.writeInt(e.batchSize());
        LabeledEvent.Latency l = e.latency();
        out.writeDouble(l.decodeMs());
        out.writeDouble(l.queueMs());
        out.writeDouble(l.inferenceMs());
        out.writeDouble(l.endToEndMs());
        writeGate(e.gate(), out);
        if (format >= 4) {
            writeClasses(e.classes(), out);
            writeString(e.mapSha256(), out);
        }
    }

    @Override
    public LabeledEvent deserialize(DataInputView in) throws IOException {
        String camera = in.readUTF();
        long sequence = in.readLong();
        int index = in.readInt();
        long captureTs = in.readLong();
        long pts = in.readLong();
        String topic = readString(in);
        int partition = in.readInt();
        long offset = in.readLong();
        String model = readString(in);
        String sha = readString(in);
        int k = in.readInt();
        List<LabeledEvent.Top> top = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            int cls = in.readInt();
            String label = readString(in);
            float score = in.readFloat();
            top.add(new LabeledEvent.Top(cls, label, score));
        }
        boolean inferred = in.readBoolean();
        String batchId = readString(in);
        int batchSize = in.readInt();
        LabeledEvent.Latency latency = new LabeledEvent.Latency(in.readDouble(), in.readDouble(), in.readDouble(),
                in.readDouble());
        GateReading gate = readGate(in);
        List<Segmentation.ClassArea> classes = null;
        String mapSha256 = null;
        if (format >= 4) {
            classes = readClasses(in);
            mapSha256 = readString(in);
        }
        return new LabeledEvent(camera, sequence, index, captureTs, pts, topic, partition, offset, model, sha, top,
                inferred, batchId, batchSize, latency, gate, classes, mapSha256);
    }

    private static void writeClasses(List<Segmentation.ClassArea> classes, DataOutputView out) throws IOException {
        out.writeInt(classes == null ? -1 : classes.size());
        if (classes == null) {
            return;
        }
        for (Segmentation.ClassArea c : classes) {
            out.writeInt(c.index());
            writeString(c.label(), out);
            writeArea(c.pixels(), c.fraction(), c.box(), c.boxFraction(), out);
            out.writeInt(c.regions().size());
            for (Segmentation.Region r : c.regions()) {
                writeArea(r.pixels(), r.fraction(), r.box(), r.boxFraction(), out);
            }
        }
    }

    private static List<Segmentation.ClassArea> readClasses(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        List<Segmentation.ClassArea> classes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int index = in.readInt();
            String label = readString(in);
            long pixels = in.readLong();
            double fraction = in.readDouble();
            int[] box = readBox(in);
            double[] boxFraction = readBoxFraction(in);
            int regionCount = in.readInt();
            List<Segmentation.Region> regions = new ArrayList<>(regionCount);
            for (int r = 0; r < regionCount; r++) {
                regions.add(new Segmentation.Region(in.readLong(), in.readDouble(), readBox(in), readBoxFraction(in)));
            }
            classes.add(new Segmentation.ClassArea(index, label, pixels, fraction, box, boxFraction, regions));
        }
        return classes;
    }

    private static void writeArea(long pixels, double fraction, int[] box, double[] boxFraction, DataOutputView out)
            throws IOException {
        out.writeLong(pixels);
        out.writeDouble(fraction);
        for (int i = 0; i < 4; i++) {
            out.writeInt(box[i]);
        }
        for (int i = 0; i < 4; i++) {
            out.writeDouble(boxFraction[i]);
        }
    }

    private static int[] readBox(DataInputView in) throws IOException {
        return new int[] {in.readInt(), in.readInt(), in.readInt(), in.readInt()};
    }

    private static double[] readBoxFraction(DataInputView in) throws IOException {
        return new double[] {in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble()};
    }

    @Override
    public TypeSerializerSnapshot<LabeledEvent> snapshotConfiguration() {
        return new Snapshot(format);
    }

    /**
     * The format as the snapshot's version. Format 3 snapshots were written by Flink's
     * {@code SimpleTypeSerializerSnapshot} under this class name with version 3 and no payload, which
     * this reads the same way.
     */
    public static final class Snapshot implements TypeSerializerSnapshot<LabeledEvent> {

        private int format = FORMAT;

        public Snapshot() {
        }

        Snapshot(int format) {
            this.format = format;
        }

        @Override
        public int getCurrentVersion() {
            return FORMAT;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) {
            this.format = readVersion;
        }

        @Override
        public TypeSerializer<LabeledEvent> restoreSerializer() {
            return ofFormat(format);
        }

        @Override
        public TypeSerializerSchemaCompatibility<LabeledEvent> resolveSchemaCompatibility(
                TypeSerializerSnapshot<LabeledEvent> old) {
            if (!(old instanceof Snapshot s) || s.format < OLDEST_FORMAT || s.format > FORMAT) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            return s.format == FORMAT ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
    }

    public static final class TypeFactory extends TypeInfoFactory<LabeledEvent> {
        @Override
        public TypeInformation<LabeledEvent> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return TYPE_INFO;
        }
    }
}
