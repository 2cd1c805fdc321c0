package io.framewise.operators.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Savepoints of the previous release (format 3: classification events, written under Flink's
 * {@code SimpleTypeSerializerSnapshot}) restore: their snapshot is read, their events are read with the old
 * format, and Flink is told to migrate them to the current one.
 */
class LabeledEventFormatTest {

    @Test
    void aPreviousReleaseSnapshotRestoresByMigration() throws Exception {
        // what the previous release wrote: the snapshot class name, SimpleTypeSerializerSnapshot's version, no payload
        int simpleVersion = new SimpleTypeSerializerSnapshot<LabeledEvent>(() -> LabeledEventSerializer.INSTANCE) {
        }.getCurrentVersion();
        assertEquals(LabeledEventSerializer.OLDEST_FORMAT, simpleVersion);
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeUTF(LabeledEventSerializer.Snapshot.class.getName());
        out.writeInt(simpleVersion);
        TypeSerializerSnapshot<LabeledEvent> old = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());

        assertTrue(LabeledEventSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(old)
                .isCompatibleAfterMigration());

        LabeledEvent event = RecordSamples.labeledEvents()[2]; // with a gate reading, as format 3 had
        DataOutputSerializer state = new DataOutputSerializer(256);
        LabeledEventSerializer.ofFormat(3).serialize(event, state);
        TypeSerializer<LabeledEvent> restore = old.restoreSerializer();
        LabeledEvent back = restore.deserialize(new DataInputDeserializer(state.getCopyOfBuffer()));
        assertEquals(event, back);
        assertNull(back.classes());
        assertEquals(LabeledEvent.CLASSIFICATION, back.task());
    }

    @Test
    void theCurrentFormatIsCompatibleAsIsAndKeepsSegmentation() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, LabeledEventSerializer.INSTANCE.snapshotConfiguration());
        TypeSerializerSnapshot<LabeledEvent> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertTrue(LabeledEventSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(read)
                .isCompatibleAsIs());

        LabeledEvent seg = RecordSamples.segmentationEvent();
        DataOutputSerializer state = new DataOutputSerializer(256);
        LabeledEventSerializer.INSTANCE.serialize(seg, state);
        LabeledEvent back = read.restoreSerializer().deserialize(new DataInputDeserializer(state.getCopyOfBuffer()));
        assertEquals(seg, back);
        assertEquals(LabeledEvent.SEGMENTATION, back.task());
    }

    @Test
    void anUnknownFormatIsRefusedByName() {
        var e = assertThrows(IllegalArgumentException.class, () -> LabeledEventSerializer.ofFormat(2));
        assertTrue(e.getMessage().contains("format 2"), e.getMessage());
    }
}
