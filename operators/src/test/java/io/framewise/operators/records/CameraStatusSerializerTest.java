package io.framewise.operators.records;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's serializer conformance suite (round trips, copies, snapshots, duplication) on {@link CameraStatus}. */
class CameraStatusSerializerTest extends SerializerTestBase<CameraStatus> {

    @Override
    protected TypeSerializer<CameraStatus> createSerializer() {
        return CameraStatusSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<CameraStatus> getTypeClass() {
        return CameraStatus.class;
    }

    @Override
    protected CameraStatus[] getTestData() {
        return RecordSamples.cameraStatuses();
    }
}
