package io.framewise.inference.kernels.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

/**
 * The subset of onnx.proto the conformance harness needs, read straight from the wire format (no
 * generated classes). Field numbers, as in onnx.proto:
 * ModelProto graph=7, opset_import=8 (OperatorSetIdProto domain=1, version=2);
 * GraphProto node=1, initializer=5, input=11 (ValueInfoProto name=1);
 * NodeProto input=1, output=2, op_type=4, attribute=5;
 * AttributeProto name=1, f=2, i=3, s=4, floats=7, ints=8, type=20;
 * TensorProto dims=1, data_type=2, float_data=4, name=8, raw_data=9.
 */
final class OnnxProto {

    static final int FLOAT = 1;

    private OnnxProto() {
    }

    record Tensor(String name, long[] dims, int dataType, float[] data) {
        int dim(int i) {
            return (int) dims[i];
        }
    }

    record Attribute(String name, int type, float f, long i, String s, float[] floats, long[] ints) {
    }

    record Node(String opType, List<String> inputs, List<String> outputs, Map<String, Attribute> attributes) {
        long[] ints(String key, long[] fallback) {
            Attribute a = attributes.get(key);
            return a == null ? fallback : a.ints();
        }

        String s(String key, String fallback) {
            Attribute a = attributes.get(key);
            return a == null ? fallback : a.s();
        }

        long i(String key, long fallback) {
            Attribute a = attributes.get(key);
            return a == null ? fallback : a.i();
        }

        float f(String key, float fallback) {
            Attribute a = attributes.get(key);
            return a == null ? fallback : a.f();
        }
    }

    record Graph(List<Node> nodes, Map<String, Tensor> initializers, List<String> inputs, long opset) {
    }

    static Graph readModel(Path file) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(Files.readAllBytes(file));
        Graph graph = null;
        long opset = 0;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == 7) {
                graph = readGraph(CodedInputStream.newInstance(in.readByteArray()));
            } else if (field == 8) {
                opset = Math.max(opset, readOpset(CodedInputStream.newInstance(in.readByteArray())));
            } else {
                in.skipField(tag);
            }
        }
        if (graph == null) {
            throw new IOException("no graph in " + file);
        }
        return new Graph(graph.nodes(), graph.initializers(), graph.inputs(), opset);
    }

    /** The default-domain opset version (domain "" or "ai.onnx"); other domains count as 0. */
    private static long readOpset(CodedInputStream in) throws IOException {
        String domain = "";
        long version = 0;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> domain = in.readString();
                case 2 -> version = in.readInt64();
                default -> in.skipField(tag);
            }
        }
        return domain.isEmpty() || domain.equals("ai.onnx") ? version : 0;
    }

    private static Graph readGraph(CodedInputStream in) throws IOException {
        List<Node> nodes = new ArrayList<>();
        Map<String, Tensor> inits = new LinkedHashMap<>();
        List<String> inputs = new ArrayList<>();
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> nodes.add(readNode(CodedInputStream.newInstance(in.readByteArray())));
                case 5 -> {
                    Tensor t = readTensor(CodedInputStream.newInstance(in.readByteArray()));
                    inits.put(t.name(), t);
                }
                case 11 -> inputs.add(readValueInfoName(CodedInputStream.newInstance(in.readByteArray())));
                default -> in.skipField(tag);
            }
        }
        return new Graph(nodes, inits, inputs, 0);
    }

    private static String readValueInfoName(CodedInputStream in) throws IOException {
        String name = "";
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (WireFormat.getTagFieldNumber(tag) == 1) {
                name = in.readString();
            } else {
                in.skipField(tag);
            }
        }
        return name;
    }

    private static Node readNode(CodedInputStream in) throws IOException {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String op = "";
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> inputs.add(in.readString());
                case 2 -> outputs.add(in.readString());
                case 4 -> op = in.readString();
                case 5 -> {
                    Attribute a = readAttribute(CodedInputStream.newInstance(in.readByteArray()));
                    attrs.put(a.name(), a);
                }
                default -> in.skipField(tag);
            }
        }
        return new Node(op, inputs, outputs, attrs);
    }

    private static Attribute readAttribute(CodedInputStream in) throws IOException {
        String name = "";
        int type = 0;
        float f = 0;
        long i = 0;
        String str = "";
        List<Float> floats = new ArrayList<>();
        List<Long> ints = new ArrayList<>();
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int wire = WireFormat.getTagWireType(tag);
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> name = in.readString();
                case 2 -> f = in.readFloat();
                case 3 -> i = in.readInt64();
                case 4 -> str = in.readStringRequireUtf8();
                case 7 -> readRepeated(in, wire, () -> floats.add(in.readFloat()));
                case 8 -> readRepeated(in, wire, () -> ints.add(in.readInt64()));
                case 20 -> type = in.readEnum();
                default -> in.skipField(tag);
            }
        }
        float[] fs = new float[floats.size()];
        for (int k = 0; k < fs.length; k++) {
            fs[k] = floats.get(k);
        }
        return new Attribute(name, type, f, i, str, fs, ints.stream().mapToLong(Long::longValue).toArray());
    }

    static Tensor readTensor(Path file) throws IOException {
        try (InputStream s = Files.newInputStream(file)) {
            return readTensor(CodedInputStream.newInstance(s.readAllBytes()));
        }
    }

    private static Tensor readTensor(CodedInputStream in) throws IOException {
        List<Long> dims = new ArrayList<>();
        int dataType = 0;
        String name = "";
        List<Float> floats = new ArrayList<>();
        byte[] raw = null;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int wire = WireFormat.getTagWireType(tag);
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> readRepeated(in, wire, () -> dims.add(in.readInt64()));
                case 2 -> dataType = in.readInt32();
                case 4 -> readRepeated(in, wire, () -> floats.add(in.readFloat()));
                case 8 -> name = in.readString();
                case 9 -> raw = in.readByteArray();
                default -> in.skipField(tag);
            }
        }
        float[] data;
        if (dataType != FLOAT) {
            data = null; // only float tensors are run; others are reported as unsupported
        } else if (raw != null) {
            data = new float[raw.length / Float.BYTES];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        } else {
            data = new float[floats.size()];
            for (int k = 0; k < data.length; k++) {
                data[k] = floats.get(k);
            }
        }
        return new Tensor(name, dims.stream().mapToLong(Long::longValue).toArray(), dataType, data);
    }

    private interface Reader {
        void read() throws IOException;
    }

    /** Repeated scalars come packed (one length-delimited run) or one per tag. */
    private static void readRepeated(CodedInputStream in, int wire, Reader one) throws IOException {
        if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int limit = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) {
                one.read();
            }
            in.popLimit(limit);
        } else {
            one.read();
        }
    }
}
