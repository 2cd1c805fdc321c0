package io.framewise.operators.records;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Flink serializer of {@link LabeledEvent}. */
public final class LabeledEventSerializer extends RecordSerializer<LabeledEvent> {

    private static final long serialVersionUID = 1L;

    public static final LabeledEventSerializer INSTANCE = new LabeledEventSerializer();
    public static final TypeInformation<LabeledEvent> TYPE_INFO = new RecordTypeInfo<>(LabeledEvent.class, INSTANCE);

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
        return new LabeledEvent(camera, sequence, index, captureTs, pts, topic, partition, offset, model, sha, top,
                inferred, batchId, batchSize, latency, gate);
    }

    @Override
    public TypeSerializerSnapshot<LabeledEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<LabeledEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    public static final class TypeFactory extends TypeInfoFactory<LabeledEvent> {
        @Override
        public TypeInformation<LabeledEvent> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return TYPE_INFO;
        }
    }
}
