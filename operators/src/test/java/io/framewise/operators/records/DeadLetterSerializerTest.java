package io.framewise.operators.records;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's serializer conformance suite (round trips, copies, snapshots, duplication) on {@link DeadLetter}. */
class DeadLetterSerializerTest extends SerializerTestBase<DeadLetter> {

    @Override
    protected TypeSerializer<DeadLetter> createSerializer() {
        return DeadLetterSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<DeadLetter> getTypeClass() {
        return DeadLetter.class;
    }

    @Override
    protected DeadLetter[] getTestData() {
        return RecordSamples.deadLetters();
    }
}
