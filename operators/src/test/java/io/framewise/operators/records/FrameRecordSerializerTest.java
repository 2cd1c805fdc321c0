package io.framewise.operators.records;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's serializer conformance suite (round trips, copies, snapshots, duplication) on {@link FrameRecord}. */
class FrameRecordSerializerTest extends SerializerTestBase<FrameRecord> {

    @Override
    protected TypeSerializer<FrameRecord> createSerializer() {
        return FrameRecordSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<FrameRecord> getTypeClass() {
        return FrameRecord.class;
    }

    @Override
    protected FrameRecord[] getTestData() {
        return RecordSamples.frameRecords();
    }
}
