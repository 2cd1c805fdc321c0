package io.framewise.operators.records;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's serializer conformance suite (round trips, copies, snapshots, duplication) on {@link Episode}. */
class EpisodeSerializerTest extends SerializerTestBase<Episode> {

    @Override
    protected TypeSerializer<Episode> createSerializer() {
        return EpisodeSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<Episode> getTypeClass() {
        return Episode.class;
    }

    @Override
    protected Episode[] getTestData() {
        return RecordSamples.episodes();
    }
}
