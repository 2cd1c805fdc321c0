package io.framewise.inference.tflite;

import com.google.flatbuffers.FlatBufferBuilder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Writes small .tflite files with flatbuffers' own builder, for the ops and tensor types the shared
 * models do not exercise (float and int8 inputs, PAD, SQUEEZE, DEQUANTIZE, per-channel zero points).
 */
final class TinyModel {

    private record Tensor(String name, int[] shape, int type, byte[] data, float[] scales, long[] zeroPoints,
                          int axis) {
    }

    private record Op(int code, int[] inputs, int[] outputs, int optionsType, ToIntFunction<FlatBufferBuilder> options) {
    }

    private final List<Tensor> tensors = new ArrayList<>();
    private final List<Op> ops = new ArrayList<>();
    private int[] inputs = {0};
    private int[] outputs;

    /** An activation tensor; {@code scale} null for float. Returns its index. */
    int activation(String name, int type, float[] scale, long[] zeroPoint, int... shape) {
        tensors.add(new Tensor(name, shape, type, null, scale, zeroPoint, 0));
        return tensors.size() - 1;
    }

    int floatActivation(String name, int... shape) {
        return activation(name, TensorType.FLOAT32, null, null, shape);
    }

    int constant(String name, int type, byte[] data, float[] scale, long[] zeroPoint, int axis, int... shape) {
        tensors.add(new Tensor(name, shape, type, data, scale, zeroPoint, axis));
        return tensors.size() - 1;
    }

    int floats(String name, float[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return constant(name, TensorType.FLOAT32, b.array(), null, null, 0, shape);
    }

    int ints(String name, int[] values, float[] scale, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return constant(name, TensorType.INT32, b.array(), scale, scale == null ? null : new long[scale.length], 0, shape);
    }

    TinyModel op(int code, int[] in, int out, int optionsType, ToIntFunction<FlatBufferBuilder> options) {
        ops.add(new Op(code, in, new int[] {out}, optionsType, options));
        return this;
    }

    TinyModel op(int code, int[] in, int out) {
        return op(code, in, out, 0, null);
    }

    TinyModel io(int input, int output) {
        inputs = new int[] {input};
        outputs = new int[] {output};
        return this;
    }

    static ToIntFunction<FlatBufferBuilder> table(int fields, ToIntFunction<FlatBufferBuilder> adder) {
        return b -> {
            b.startTable(fields);
            adder.applyAsInt(b);
            return b.endTable();
        };
    }

    byte[] build() {
        FlatBufferBuilder b = new FlatBufferBuilder(1024);
        b.forceDefaults(true);
        // buffer 0 is the empty sentinel; tensor i uses buffer i + 1
        int[] bufferTables = new int[tensors.size() + 1];
        b.startTable(1);
        bufferTables[0] = b.endTable();
        for (int i = 0; i < tensors.size(); i++) {
            byte[] data = tensors.get(i).data();
            int vec = data == null ? 0 : b.createByteVector(data);
            b.startTable(1);
            if (data != null) {
                b.addOffset(0, vec, 0);
            }
            bufferTables[i + 1] = b.endTable();
        }
        int[] tensorTables = new int[tensors.size()];
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            int name = b.createString(t.name());
            int shape = intVector(b, t.shape());
            int quant = 0;
            if (t.scales() != null) {
                b.startVector(4, t.scales().length, 4);
                for (int k = t.scales().length - 1; k >= 0; k--) {
                    b.addFloat(t.scales()[k]);
                }
                int scales = b.endVector();
                b.startVector(8, t.zeroPoints().length, 8);
                for (int k = t.zeroPoints().length - 1; k >= 0; k--) {
                    b.addLong(t.zeroPoints()[k]);
                }
                int zps = b.endVector();
                b.startTable(7);
                b.addOffset(2, scales, 0);
                b.addOffset(3, zps, 0);
                b.addInt(6, t.axis(), 0);
                quant = b.endTable();
            }
            b.startTable(5);
            b.addOffset(0, shape, 0);
            b.addByte(1, (byte) t.type(), 0);
            b.addInt(2, i + 1, 0);
            b.addOffset(3, name, 0);
            if (quant != 0) {
                b.addOffset(4, quant, 0);
            }
            tensorTables[i] = b.endTable();
        }
        Map<Integer, Integer> codeIndex = new LinkedHashMap<>();
        int[] opTables = new int[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            codeIndex.putIfAbsent(op.code(), codeIndex.size());
            int in = intVector(b, op.inputs());
            int out = intVector(b, op.outputs());
            int options = op.options() == null ? 0 : op.options().applyAsInt(b);
            b.startTable(5);
            b.addInt(0, codeIndex.get(op.code()), 0);
            b.addOffset(1, in, 0);
            b.addOffset(2, out, 0);
            if (options != 0) {
                b.addByte(3, (byte) op.optionsType(), 0);
                b.addOffset(4, options, 0);
            }
            opTables[i] = b.endTable();
        }
        int[] codeTables = new int[codeIndex.size()];
        for (Map.Entry<Integer, Integer> e : codeIndex.entrySet()) {
            b.startTable(4);
            b.addByte(0, (byte) Math.min(e.getKey(), 127), 0);
            b.addInt(2, 1, 1);
            b.addInt(3, e.getKey(), 0);
            codeTables[e.getValue()] = b.endTable();
        }
        int tensorVec = offsetVector(b, tensorTables);
        int inVec = intVector(b, inputs);
        int outVec = intVector(b, outputs);
        int opVec = offsetVector(b, opTables);
        b.startTable(4);
        b.addOffset(0, tensorVec, 0);
        b.addOffset(1, inVec, 0);
        b.addOffset(2, outVec, 0);
        b.addOffset(3, opVec, 0);
        int subgraph = b.endTable();
        int codes = offsetVector(b, codeTables);
        int subgraphs = offsetVector(b, new int[] {subgraph});
        int buffers = offsetVector(b, bufferTables);
        b.startTable(5);
        b.addInt(0, 3, 0);
        b.addOffset(1, codes, 0);
        b.addOffset(2, subgraphs, 0);
        b.addOffset(4, buffers, 0);
        b.finish(b.endTable(), "TFL3");
        return b.sizedByteArray();
    }

    private static int intVector(FlatBufferBuilder b, int[] values) {
        b.startVector(4, values.length, 4);
        for (int k = values.length - 1; k >= 0; k--) {
            b.addInt(values[k]);
        }
        return b.endVector();
    }

    private static int offsetVector(FlatBufferBuilder b, int[] offsets) {
        b.startVector(4, offsets.length, 4);
        for (int k = offsets.length - 1; k >= 0; k--) {
            b.addOffset(offsets[k]);
        }
        return b.endVector();
    }
}
