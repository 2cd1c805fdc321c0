package io.framewise.operators.records;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's serializer conformance suite (round trips, copies, snapshots, duplication) on {@link LabeledEvent}. */
class LabeledEventSerializerTest extends SerializerTestBase<LabeledEvent> {

    @Override
    protected TypeSerializer<LabeledEvent> createSerializer() {
        return LabeledEventSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<LabeledEvent> getTypeClass() {
        return LabeledEvent.class;
    }

    @Override
    protected LabeledEvent[] getTestData() {
        return RecordSamples.labeledEvents();
    }
}
