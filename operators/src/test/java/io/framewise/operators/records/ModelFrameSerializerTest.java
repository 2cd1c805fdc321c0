package io.framewise.operators.records;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's serializer conformance suite (round trips, copies, snapshots, duplication) on {@link ModelFrame}. */
class ModelFrameSerializerTest extends SerializerTestBase<ModelFrame> {

    @Override
    protected TypeSerializer<ModelFrame> createSerializer() {
        return ModelFrameSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<ModelFrame> getTypeClass() {
        return ModelFrame.class;
    }

    @Override
    protected ModelFrame[] getTestData() {
        return RecordSamples.modelFrames();
    }
}
