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

/** Flink serializer of {@link CameraConfig} (the camera-config stream and the episode operator's broadcast state). */
public final class CameraConfigSerializer extends RecordSerializer<CameraConfig> {

    private static final long serialVersionUID = 1L;

    public static final CameraConfigSerializer INSTANCE = new CameraConfigSerializer();
    public static final TypeInformation<CameraConfig> TYPE_INFO = new RecordTypeInfo<>(CameraConfig.class, INSTANCE);

    @Override
    public CameraConfig createInstance() {
        return CameraConfig.none("", CameraConfig.ALWAYS);
    }

    @Override
    public void serialize(CameraConfig c, DataOutputView out) throws IOException {
        out.writeUTF(c.camera());
        out.writeLong(c.sinceMs());
        out.writeInt(c.zones().size());
        for (Zone z : c.zones()) {
            out.writeUTF(z.name());
            out.writeInt(z.points());
            for (int i = 0; i < z.points(); i++) {
                out.writeFloat(z.x(i));
                out.writeFloat(z.y(i));
            }
        }
    }

    @Override
    public CameraConfig deserialize(DataInputView in) throws IOException {
        String camera = in.readUTF();
        long since = in.readLong();
        int n = in.readInt();
        List<Zone> zones = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            float[] p = new float[2 * in.readInt()];
            for (int k = 0; k < p.length; k++) {
                p[k] = in.readFloat();
            }
            zones.add(new Zone(name, p));
        }
        return new CameraConfig(camera, since, zones);
    }

    @Override
    public TypeSerializerSnapshot<CameraConfig> snapshotConfiguration() {
        return new Snapshot();
    }

    public static final class Snapshot extends SimpleTypeSerializerSnapshot<CameraConfig> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    public static final class TypeFactory extends TypeInfoFactory<CameraConfig> {
        @Override
        public TypeInformation<CameraConfig> createTypeInfo(Type t, Map<String, TypeInformation<?>> params) {
            return TYPE_INFO;
        }
    }
}
