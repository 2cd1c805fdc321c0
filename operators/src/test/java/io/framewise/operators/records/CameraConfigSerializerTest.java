package io.framewise.operators.records;

import java.util.List;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's serializer conformance suite (round trips, copies, snapshots, duplication) on {@link CameraConfig}. */
class CameraConfigSerializerTest extends SerializerTestBase<CameraConfig> {

    @Override
    protected TypeSerializer<CameraConfig> createSerializer() {
        return CameraConfigSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<CameraConfig> getTypeClass() {
        return CameraConfig.class;
    }

    @Override
    protected CameraConfig[] getTestData() {
        return new CameraConfig[] {
            CameraConfig.none("cam-1", CameraConfig.ALWAYS),
            new CameraConfig("caméra \"q\"", 1_700_000_000_000L, List.of(new Zone("walkway", new float[] {0.1f, 0.5f, 0.9f, 0.5f, 0.9f, 1, 0.1f, 1}))),
            new CameraConfig("c", -5, List.of(new Zone("a", new float[] {0, 0, 1, 0, 1, 1}),
                    new Zone("b.2_x-y", new float[] {0, 0, 0.5f, 0, 0.5f, 0.5f, 0.25f, 0.75f, 0, 0.5f}))),
        };
    }
}
