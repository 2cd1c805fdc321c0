package io.framewise.inference.tflite;

import io.framewise.inference.model.ModelFormatException;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Checked access to the tensors of one subgraph: shapes with capped element counts, constant data
 * whose byte length must match the shape, and weights dequantized to fp32 (once per tensor: a hostile
 * file reusing one big weight tensor in many ops must not multiply memory).
 */
public final class TensorData {

    /** Largest tensor we accept (elements): 2^26, far above MobileNet's largest (1.3M) yet safe for the heap. */
    public static final long MAX_TENSOR_ELEMENTS = 1L << 26;
    /** Budget of fp32 values all dequantized weights and biases of one model may take together. */
    static final long MAX_TOTAL_FLOATS = 1L << 26;
    /** Relative tolerance for a bias scale against input_scale * weight_scale (floats rounded differently). */
    private static final double BIAS_SCALE_TOLERANCE = 1e-5;

    /** A dequantized weight tensor and the per-channel scales it was stored with (length 1 or C; NaN for float). */
    public record Weights(float[] values, float[] scales) {

        /** The scales when the weights were integers in the file ({@code Layer.Conv2D#weightScales}), else null. */
        public float[] integerScales() {
            return scales.length == 0 || Float.isNaN(scales[0]) ? null : scales.clone();
        }
    }

    private final Model model;
    private final SubGraph graph;
    private final int count;
    private final Tensor[] tensors;
    private final Map<Integer, Weights> weightCache = new HashMap<>();
    private long floatsAllocated;

    public TensorData(Model model, SubGraph graph) {
        this.model = model;
        this.graph = graph;
        this.count = graph.tensorsLength();
        this.tensors = new Tensor[count];
    }

    /** The little-endian view of the whole file. */
    public ByteBuffer bytes() {
        return model.bytes();
    }

    public int count() {
        return count;
    }

    public Tensor tensor(int index, String where) {
        if (index < 0 || index >= count) {
            throw new ModelFormatException(where + ": tensor index " + index + " out of range (subgraph has "
                    + count + " tensors)");
        }
        if (tensors[index] == null) {
            tensors[index] = graph.tensor(index);
        }
        return tensors[index];
    }

    public String name(int index) {
        return "tensor " + index + " '" + tensor(index, "name").name() + "'";
    }

    /** The full shape (with batch), every dimension at least 1, at most 2^26 elements in all. */
    public int[] shape(int index, String where) {
        Tensor t = tensor(index, where);
        if (t.isSparse()) {
            throw new ModelFormatException(where + ": " + name(index) + " is sparse (unsupported)");
        }
        int[] shape = t.shape();
        if (shape.length > 8) {
            throw new ModelFormatException(where + ": " + name(index) + " has rank " + shape.length);
        }
        elements(shape, index, where);
        return shape;
    }

    /** Element count, checked: no zero or negative dimension, no overflow, at most 2^26. */
    public long elements(int[] shape, int index, String where) {
        long n = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new ModelFormatException(where + ": " + name(index) + " has dimension " + d);
            }
            try {
                n = Math.multiplyExact(n, (long) d);
            } catch (ArithmeticException e) {
                n = Long.MAX_VALUE;
            }
            if (n > MAX_TENSOR_ELEMENTS) {
                throw new ModelFormatException(where + ": " + name(index) + " is too large ("
                        + java.util.Arrays.toString(shape) + ", limit " + MAX_TENSOR_ELEMENTS + " elements)");
            }
        }
        return n;
    }

    public int type(int index) {
        return tensor(index, "type").type();
    }

    /** True when the tensor has constant data in the file (activations point at empty buffers). */
    public boolean isConstant(int index, String where) {
        return dataRange(index, where)[1] > 0;
    }

    /** {start, length} of the tensor's constant bytes in the file; length 0 for activations. */
    private long[] dataRange(int index, String where) {
        long b = tensor(index, where).buffer();
        if (b >= model.buffersLength()) {
            throw new ModelFormatException(where + ": " + name(index) + " refers to buffer " + b + " of "
                    + model.buffersLength());
        }
        Buffer buf = model.buffer((int) b);
        int len = buf.dataLength();
        if (len > 0) {
            return new long[] {buf.dataStart(), len};
        }
        long offset = buf.offset();
        long size = buf.size();
        // offset > 1 marks data stored after the flatbuffer (large-model layout); 1 is a placeholder.
        if (offset > 1) {
            long limit = model.bytes().limit();
            if (size < 0 || offset > limit || size > limit - offset) {
                throw new ModelFormatException(where + ": buffer " + b + " of " + name(index) + " (offset "
                        + offset + ", size " + size + ") lies outside the file");
            }
            return new long[] {offset, size};
        }
        return new long[] {0, 0};
    }

    /** The constant bytes of a tensor, which must be exactly elements * element size long. */
    public ByteBuffer constantBytes(int index, String where) {
        int[] shape = shape(index, where);
        int type = type(index);
        int size = TensorType.size(type);
        if (size < 0) {
            throw new ModelFormatException(where + ": " + name(index) + " has unsupported type " + TensorType.name(type));
        }
        long expected = elements(shape, index, where) * size;
        long[] range = dataRange(index, where);
        if (range[1] == 0) {
            throw new ModelFormatException(where + ": " + name(index) + " must be constant (weights computed at "
                    + "run time are not supported)");
        }
        if (range[1] != expected) {
            throw new ModelFormatException(where + ": " + name(index) + " has " + range[1] + " bytes of data, "
                    + "shape " + java.util.Arrays.toString(shape) + " of " + TensorType.name(type) + " needs " + expected);
        }
        return model.bytes().slice((int) range[0], (int) range[1]).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    /** A small constant integer tensor (axes, paddings, shapes) as ints. */
    public long[] intConstant(int index, int maxElements, String where) {
        ByteBuffer bytes = constantBytes(index, where);
        int type = type(index);
        int size = TensorType.size(type);
        if (type != TensorType.INT32 && type != TensorType.INT64) {
            throw new ModelFormatException(where + ": " + name(index) + " must be INT32 or INT64, is "
                    + TensorType.name(type));
        }
        int n = bytes.limit() / size;
        if (n > maxElements) {
            throw new ModelFormatException(where + ": " + name(index) + " has " + n + " elements, expected at most "
                    + maxElements);
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = size == 4 ? bytes.getInt(4 * i) : bytes.getLong(8 * i);
        }
        return out;
    }

    /**
     * Weights dequantized to fp32. Quantized weights are either per-tensor (one scale) or per-channel
     * along {@code channelAxis} (the only axis the op's kernel layout allows).
     */
    public Weights weights(int index, int channelAxis, String where) {
        Weights cached = weightCache.get(index);
        if (cached != null) {
            return cached;
        }
        int[] shape = shape(index, where);
        int type = type(index);
        ByteBuffer bytes = constantBytes(index, where);
        int n = (int) elements(shape, index, where);
        reserve(n, where);
        float[] out = new float[n];
        float[] scales;
        if (type == TensorType.FLOAT32) {
            for (int i = 0; i < n; i++) {
                out[i] = bytes.getFloat(4 * i);
            }
            scales = new float[] {Float.NaN};
        } else if (type == TensorType.UINT8 || type == TensorType.INT8) {
            boolean unsigned = type == TensorType.UINT8;
            QuantizationParameters q = tensor(index, where).quantization();
            if (q == null) {
                throw new ModelFormatException(where + ": quantized weights " + name(index) + " have no scale");
            }
            if (q.detailsType() != 0) {
                throw new ModelFormatException(where + ": " + name(index) + " uses custom quantization details");
            }
            int maxChannels = java.util.Arrays.stream(shape).max().orElse(1);
            scales = q.scale(maxChannels);
            long[] zps = q.zeroPoint(maxChannels);
            int channels = scales.length;
            if (channels == 0 || zps.length != channels) {
                throw new ModelFormatException(where + ": " + name(index) + " has " + channels + " scales and "
                        + zps.length + " zero points");
            }
            int inner = 1;
            if (channels > 1) {
                int axis = q.quantizedDimension();
                if (axis != channelAxis) {
                    throw new ModelFormatException(where + ": " + name(index) + " is quantized per channel along axis "
                            + axis + "; this op supports only axis " + channelAxis);
                }
                if (axis >= shape.length || shape[axis] != channels) {
                    throw new ModelFormatException(where + ": " + name(index) + " has " + channels
                            + " per-channel scales for shape " + java.util.Arrays.toString(shape));
                }
                for (int d = axis + 1; d < shape.length; d++) {
                    inner *= shape[d];
                }
            }
            int qmin = unsigned ? 0 : -128;
            int qmax = unsigned ? 255 : 127;
            for (int c = 0; c < channels; c++) {
                checkScale(scales[c], index, where);
                if (zps[c] < qmin || zps[c] > qmax) {
                    throw new ModelFormatException(where + ": " + name(index) + " zero point " + zps[c]
                            + " outside " + qmin + ".." + qmax);
                }
            }
            for (int i = 0; i < n; i++) {
                int c = channels == 1 ? 0 : (i / inner) % channels;
                int raw = unsigned ? Byte.toUnsignedInt(bytes.get(i)) : bytes.get(i);
                out[i] = (float) ((raw - zps[c]) * (double) scales[c]);
            }
        } else {
            throw new ModelFormatException(where + ": weights " + name(index) + " have unsupported type "
                    + TensorType.name(type));
        }
        checkFinite(out, index, where);
        Weights w = new Weights(out, scales);
        weightCache.put(index, w);
        return w;
    }

    /**
     * A bias vector of {@code cout} reals (zeros when {@code index} is -1). An int32 bias is scaled by
     * its own scales, which must agree with {@code inputScale * weightScale[c]} as TFLite requires.
     */
    public float[] bias(int index, int cout, float inputScale, float[] weightScales, String where) {
        if (index == -1) {
            reserve(cout, where);
            return new float[cout];
        }
        int[] shape = shape(index, where);
        if (elements(shape, index, where) != cout) {
            throw new ModelFormatException(where + ": bias " + name(index) + " has shape "
                    + java.util.Arrays.toString(shape) + ", expected " + cout + " elements");
        }
        int type = type(index);
        ByteBuffer bytes = constantBytes(index, where);
        reserve(cout, where);
        float[] out = new float[cout];
        if (type == TensorType.FLOAT32) {
            for (int i = 0; i < cout; i++) {
                out[i] = bytes.getFloat(4 * i);
            }
        } else if (type == TensorType.INT32) {
            if (!(inputScale > 0) || Float.isNaN(weightScales[0])) {
                throw new ModelFormatException(where + ": int32 bias " + name(index)
                        + " needs quantized input and weights");
            }
            if (weightScales.length != 1 && weightScales.length != cout) {
                throw new ModelFormatException(where + ": " + weightScales.length + " weight scales for " + cout
                        + " output channels");
            }
            QuantizationParameters q = tensor(index, where).quantization();
            float[] own = q == null ? new float[0] : q.scale(cout);
            long[] zps = q == null ? new long[0] : q.zeroPoint(cout);
            if (own.length != 0 && own.length != 1 && own.length != cout) {
                throw new ModelFormatException(where + ": bias " + name(index) + " has " + own.length + " scales for "
                        + cout + " channels");
            }
            for (long zp : zps) {
                if (zp != 0) {
                    throw new ModelFormatException(where + ": bias " + name(index) + " has zero point " + zp);
                }
            }
            for (int c = 0; c < cout; c++) {
                double expected = (double) inputScale * weightScales[weightScales.length == 1 ? 0 : c];
                double scale = expected;
                if (own.length > 0) {
                    scale = own[own.length == 1 ? 0 : c];
                    if (Math.abs(scale - expected) > BIAS_SCALE_TOLERANCE * Math.min(scale, expected) || !(scale > 0)) {
                        throw new ModelFormatException(where + ": bias " + name(index) + " channel " + c + " scale "
                                + scale + " disagrees with input scale * weight scale = " + expected);
                    }
                }
                out[c] = (float) (bytes.getInt(4 * c) * scale);
            }
        } else {
            throw new ModelFormatException(where + ": bias " + name(index) + " has unsupported type "
                    + TensorType.name(type));
        }
        checkFinite(out, index, where);
        return out;
    }

    private void reserve(long floats, String where) {
        floatsAllocated += floats;
        if (floatsAllocated > MAX_TOTAL_FLOATS) {
            throw new ModelFormatException(where + ": the model's weights exceed " + MAX_TOTAL_FLOATS + " values");
        }
    }

    private void checkScale(float scale, int index, String where) {
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new ModelFormatException(where + ": " + name(index) + " has invalid scale " + scale);
        }
    }

    private void checkFinite(float[] values, int index, String where) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw new ModelFormatException(where + ": " + name(index) + " contains " + v);
            }
        }
    }
}
