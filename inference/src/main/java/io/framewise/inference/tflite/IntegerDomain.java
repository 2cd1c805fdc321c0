package io.framewise.inference.tflite;

import io.framewise.inference.model.InputSpec;
import io.framewise.inference.model.Layer;
import io.framewise.inference.model.ModelGraph;
import io.framewise.inference.model.TensorInfo;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites a uint8 model's real-valued graph into the integer domain ({@link ModelGraph#integerDomain}):
 * every activation holds {@code q - zeroPoint} as a float, weights {@code q - weightZeroPoint}, biases the
 * file's int32, and each layer carries what XNNPACK's uint8 kernels need to produce the same integers:
 *
 * <ul>
 *   <li>CONV_2D, DEPTHWISE_CONV_2D: the requantization scale {@code inputScale · weightScale / outputScale}
 *       (float arithmetic, that order); the int32 accumulator is exact in fp32 below 2^24 and its output
 *       {@code rint(acc · scale)}, XNNPACK's fp32 requantization. Clamp bounds move to accumulator units.</li>
 *   <li>ADD: XNNPACK's fixed point, 20-bit multipliers of {@code inputScale / outputScale} and a shift.</li>
 *   <li>QUANTIZE between two grids: {@code (x · lrint(256 · inputScale / outputScale) + 128) >> 8}.</li>
 *   <li>AVERAGE_POOL_2D, MEAN, RESIZE_BILINEAR, CONCATENATION, RESHAPE, PAD: inputs and output share one
 *       quantization, so the op moves integers and a pool or resize rounds its result to an integer.</li>
 * </ul>
 *
 * <p>Why: the real-valued graph rounds every activation to its grid too, but from an fp32 sum of
 * dequantized products, which lands on the other side of a rounding boundary for a few values per
 * layer; through DeepLab's 70 layers those few became disagreement on up to 4 % of a class map (the
 * depth-multiplier-0.5 model on dog_segmentation.bmp: 96.1 % of pixels). Fed XNNPACK's own inputs,
 * these formulas reproduce its outputs value for value (dm05's first 12 convolutions, every ADD,
 * QUANTIZE and AVERAGE_POOL_2D), and the integer-domain network equals XNNPACK at each of dm05's 71
 * layers and in the class maps of both models (docs/inference.md).
 *
 * <p>A graph outside that set (a float or per-channel tensor, FULLY_CONNECTED or SOFTMAX, inputs of a
 * concatenation on different grids, a scale ratio XNNPACK itself refuses, a bias of 2^24 or more) stays
 * real-valued: {@link #convert} returns null and says why in {@link #reason}.
 */
final class IntegerDomain {

    private static final float EXACT_FLOAT_INTEGERS = 1 << 24;

    private final SubGraph graph;
    private final TensorData data;
    private final GraphBuilder b;
    private final int[] tfliteIndex; // graph tensor id -> TFLite tensor index
    private String reason;

    IntegerDomain(SubGraph graph, TensorData data, GraphBuilder builder, int[] graphId, int graphTensors) {
        this.graph = graph;
        this.data = data;
        this.b = builder;
        this.tfliteIndex = new int[graphTensors];
        for (int i = 0; i < graphId.length; i++) {
            if (graphId[i] >= 0) {
                tfliteIndex[graphId[i]] = i;
            }
        }
    }

    /** Why the last {@link #convert} returned null. */
    String reason() {
        return reason;
    }

    /** The integer-domain twin of {@code real}, or null when the model is outside the supported set. */
    ModelGraph convert(ModelGraph real) {
        try {
            return rewrite(real);
        } catch (NotInteger e) {
            reason = e.getMessage();
            return null;
        }
    }

    private ModelGraph rewrite(ModelGraph real) {
        if (!"UINT8".equals(real.input().tensorType())) {
            throw new NotInteger("the input is " + real.input().tensorType() + ", not UINT8");
        }
        List<TensorInfo> tensors = new ArrayList<>();
        for (TensorInfo t : real.tensors()) {
            tensors.add(integerTensor(t));
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < real.layers().size(); i++) {
            layers.add(integerLayer(real.layers().get(i), graph.operator(i), tensors));
        }
        InputSpec in = real.input();
        InputSpec spec = new InputSpec(in.height(), in.width(), in.channels(), 1f, in.zeroPoint(), in.tensorType());
        return new ModelGraph(real.name(), real.sha256(), spec, real.inputTensor(), real.outputTensor(),
                real.numClasses(), List.copyOf(tensors), List.copyOf(layers), true);
    }

    /** A uint8 tensor's bounds in units of its grid ({@code q - zeroPoint}), grid 1; index tensors as they are. */
    private TensorInfo integerTensor(TensorInfo t) {
        int index = tfliteIndex[t.id()];
        int type = data.type(index);
        if (type == TensorType.INT32 || type == TensorType.INT64) {
            return t; // ARG_MAX's class map
        }
        if (type != TensorType.UINT8) {
            throw new NotInteger(t.name() + " is " + TensorType.name(type));
        }
        float s = scale(index);
        return new TensorInfo(t.id(), t.name(), t.shape(), (float) Math.rint(t.lo() / s), (float) Math.rint(t.hi() / s), 1f);
    }

    private Layer integerLayer(Layer l, Operator op, List<TensorInfo> tensors) {
        TensorInfo out = tensors.get(l.output());
        if (l instanceof Layer.Conv2D c) {
            float requant = requant(op);
            return new Layer.Conv2D(c.input(), c.output(), c.kh(), c.kw(), c.stride(), c.padding(), c.cin(), c.cout(),
                    integerWeights(op, c.weights().length), integerBias(op, c.cout()), out.lo() / requant,
                    out.hi() / requant, requant, new float[] {1f}); // the weights are q - zeroPoint
        }
        if (l instanceof Layer.DepthwiseConv2D d) {
            float requant = requant(op);
            return new Layer.DepthwiseConv2D(d.input(), d.output(), d.kh(), d.kw(), d.stride(), d.padding(),
                    d.channels(), integerWeights(op, d.weights().length), integerBias(op, d.channels()),
                    out.lo() / requant, out.hi() / requant, d.dilation(), requant);
        }
        if (l instanceof Layer.Add a) {
            int[] ins = op.inputs();
            float so = scale(op.outputs()[0]);
            float as = scale(ins[0]) / so;
            float bs = scale(ins[1]) / so;
            for (float r : new float[] {as, bs}) {
                if (!(r >= 0x1.0p-10f && r < 0x1.0p+8f)) {
                    throw new NotInteger("ADD " + out.name() + ": input/output scale ratio " + r
                            + " is outside XNNPACK's [2^-10, 2^8)");
                }
            }
            int shift = 20 - Math.getExponent(Math.max(as, bs));
            int am = (int) Math.rint(Math.scalb(as, shift));
            int bm = (int) Math.rint(Math.scalb(bs, shift));
            return new Layer.Add(a.inputA(), a.inputB(), a.output(), out.lo(), out.hi(), am, bm, shift);
        }
        if (l instanceof Layer.Concatenation c) {
            int[] ins = op.inputs();
            if ("QUANTIZE".equals(c.fromOp()) && ins.length == 1) {
                float r = scale(ins[0]) / scale(op.outputs()[0]);
                if (!(r >= 0x1.0p-8f && r <= 0x1.0p+7f)) {
                    throw new NotInteger("QUANTIZE " + out.name() + ": scale ratio " + r + " is outside [2^-8, 2^7]");
                }
                int m = (int) Math.rint(256f * r);
                return new Layer.Concatenation(c.inputs(), c.output(), out.lo(), out.hi(), c.fromOp(), m);
            }
            for (int in : ins) {
                sameGrid(in, op.outputs()[0], "CONCATENATION");
            }
            return new Layer.Concatenation(c.inputs(), c.output(), out.lo(), out.hi(), c.fromOp(), 0);
        }
        if (l instanceof Layer.AveragePool2D p) {
            sameGrid(op.inputs()[0], op.outputs()[0], "AVERAGE_POOL_2D");
            return new Layer.AveragePool2D(p.input(), p.output(), p.fh(), p.fw(), p.stride(), p.padding(),
                    out.lo(), out.hi());
        }
        if (l instanceof Layer.Mean m) {
            sameGrid(op.inputs()[0], op.outputs()[0], "MEAN");
            return new Layer.Mean(m.input(), m.output(), out.lo(), out.hi());
        }
        if (l instanceof Layer.ResizeBilinear r) {
            sameGrid(op.inputs()[0], op.outputs()[0], "RESIZE_BILINEAR");
            return new Layer.ResizeBilinear(r.input(), r.output(), r.alignCorners(), r.halfPixelCenters(),
                    out.lo(), out.hi());
        }
        if (l instanceof Layer.Reshape r) {
            sameGrid(op.inputs()[0], op.outputs()[0], r.fromOp());
            return r;
        }
        if (l instanceof Layer.Pad || l instanceof Layer.ArgMax) {
            return l;
        }
        throw new NotInteger(l.opName() + " has no integer-domain form here");
    }

    /** {@code inputScale · weightScale / outputScale} in float, as XNNPACK computes it. */
    private float requant(Operator op) {
        int[] ins = op.inputs();
        float[] ws = weightQuant(ins[1]);
        return scale(ins[0]) * ws[0] / scale(op.outputs()[0]);
    }

    private float[] integerWeights(Operator op, int n) {
        int w = op.inputs()[1];
        int zero = (int) weightQuant(w)[1];
        ByteBuffer bytes = data.constantBytes(w, "integer weights");
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (bytes.get(i) & 0xFF) - zero;
        }
        return out;
    }

    private float[] integerBias(Operator op, int n) {
        int[] ins = op.inputs();
        float[] out = new float[n];
        if (ins.length < 3 || ins[2] < 0) {
            return out;
        }
        if (data.type(ins[2]) != TensorType.INT32) {
            throw new NotInteger("bias " + data.name(ins[2]) + " is not INT32");
        }
        ByteBuffer bytes = data.constantBytes(ins[2], "integer bias");
        for (int i = 0; i < n; i++) {
            int v = bytes.getInt(4 * i);
            if (Math.abs((float) v) >= EXACT_FLOAT_INTEGERS) {
                throw new NotInteger("bias " + data.name(ins[2]) + " holds " + v + ", not exact in fp32");
            }
            out[i] = v;
        }
        return out;
    }

    /** {scale, zeroPoint} of a uint8 per-tensor weight tensor. */
    private float[] weightQuant(int index) {
        if (data.type(index) != TensorType.UINT8) {
            throw new NotInteger("weights " + data.name(index) + " are " + TensorType.name(data.type(index)));
        }
        QuantizationParameters q = data.tensor(index, "weights").quantization();
        float[] s = q == null ? new float[0] : q.scale(2);
        long[] z = q == null ? new long[0] : q.zeroPoint(2);
        if (s.length != 1 || z.length != 1) {
            throw new NotInteger("weights " + data.name(index) + " are quantized per channel");
        }
        return new float[] {s[0], z[0]};
    }

    private float scale(int index) {
        if (data.type(index) != TensorType.UINT8) {
            throw new NotInteger(data.name(index) + " is " + TensorType.name(data.type(index)));
        }
        return b.activationQuant(index, "integer domain")[0];
    }

    private void sameGrid(int in, int out, String op) {
        float[] a = b.activationQuant(in, op);
        float[] o = b.activationQuant(out, op);
        if (a[0] != o[0] || a[1] != o[1] || data.type(in) != data.type(out)) {
            throw new NotInteger(op + " " + data.name(out) + ": input and output quantization differ");
        }
    }

    /** The graph leaves the supported set; caught by {@link #convert}. */
    private static final class NotInteger extends RuntimeException {
        NotInteger(String message) {
            super(message, null, false, false);
        }
    }
}
