package io.framewise.operators.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Episode state of savepoints taken before zones (written without the zone field, snapshot version 3 of
 * Flink's SimpleTypeSerializerSnapshot, which writes nothing else) restores: read with the old format,
 * migrated to the new one.
 */
class EpisodeSerializerVersionTest {

    @Test
    void aSnapshotOfTheFormatBeforeZonesRestoresTheOldReaderAndAsksForMigration() throws Exception {
        Episode old = RecordSamples.episodes()[1];
        DataOutputSerializer bytes = new DataOutputSerializer(64);
        EpisodeSerializer.WITHOUT_ZONE.serialize(old, bytes);

        // what Flink finds in a savepoint of the earlier job: the same snapshot class, version 3, no payload
        EpisodeSerializer.Snapshot before = new EpisodeSerializer.Snapshot();
        before.readSnapshot(3, new DataInputDeserializer(new byte[0]), getClass().getClassLoader());
        TypeSerializer<Episode> reader = before.restoreSerializer();
        Episode read = reader.deserialize(new DataInputDeserializer(bytes.getCopyOfBuffer()));
        assertEquals(old, read);
        assertNull(read.zone());

        TypeSerializerSnapshot<Episode> now = EpisodeSerializer.INSTANCE.snapshotConfiguration();
        assertTrue(now.resolveSchemaCompatibility(before).isCompatibleAfterMigration());
        assertTrue(now.resolveSchemaCompatibility(EpisodeSerializer.INSTANCE.snapshotConfiguration()).isCompatibleAsIs());
    }

    @Test
    void theZoneRoundTrips() throws Exception {
        Episode zoned = RecordSamples.episodes()[3];
        DataOutputSerializer bytes = new DataOutputSerializer(64);
        EpisodeSerializer.INSTANCE.serialize(zoned, bytes);
        Episode read = EpisodeSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes.getCopyOfBuffer()));
        assertEquals(zoned, read);
        assertEquals("walkway", read.zone());
        assertEquals("cam-1/person@walkway/10", read.episodeId());
    }
}
