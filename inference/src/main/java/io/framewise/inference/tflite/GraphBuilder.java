package io.framewise.inference.tflite;

import io.framewise.inference.model.InputSpec;
import io.framewise.inference.model.Layer;
import io.framewise.inference.model.ModelFormatException;
import io.framewise.inference.model.ModelGraph;
import io.framewise.inference.model.Padding;
import io.framewise.inference.model.TensorInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the first subgraph of a TFLite model into the float graph: activation tensors are renumbered
 * densely in definition order (the graph input first), weights are dequantized, and every operator
 * becomes one {@link Layer}. Anything the float graph cannot express exactly fails here.
 */
public final class GraphBuilder {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GraphBuilder.class);

    /**
     * {@code -Dframewise.integerSegmentation} (default true): segmentation graphs of uint8 per-tensor
     * models load in the integer domain ({@link IntegerDomain}); false keeps them real-valued, as the
     * classifiers are (their softmax and dequantized scores need real values).
     */
    static final boolean INTEGER_SEGMENTATION =
            Boolean.parseBoolean(System.getProperty("framewise.integerSegmentation", "true"));

    /** Bound on the activation values one image needs in all (MobileNetV2 1.0/224 needs about 7M). */
    private static final long MAX_ACTIVATION_ELEMENTS = 1L << 28;

    private final Model model;
    private final SubGraph graph;
    private final TensorData data;
    private final OpConverter ops;
    private final int[] graphId;            // TFLite tensor index -> float graph id, -1 = not an activation (yet)
    private final List<TensorInfo> tensors = new ArrayList<>();
    private final List<Layer> layers = new ArrayList<>();
    private long activationElements;

    private GraphBuilder(Model model) {
        this.model = model;
        if (model.subgraphsLength() < 1) {
            throw new ModelFormatException("model has no subgraph");
        }
        this.graph = model.subgraph(0);
        this.data = new TensorData(model, graph);
        this.graphId = new int[data.count()];
        Arrays.fill(graphId, -1);
        this.ops = new OpConverter(this, data);
    }

    public static ModelGraph build(Model model, String name, String sha256) {
        return new GraphBuilder(model).build(name, sha256);
    }

    private ModelGraph build(String name, String sha256) {
        int[] inputs = graph.inputs();
        int[] outputs = graph.outputs();
        if (inputs.length != 1 || outputs.length != 1) {
            throw new ModelFormatException("expected one input and one output tensor, the subgraph has "
                    + inputs.length + " inputs and " + outputs.length + " outputs");
        }
        InputSpec spec = inputSpec(inputs[0]);
        float lo = (0f - spec.zeroPoint()) * spec.scale();
        float hi = (255f - spec.zeroPoint()) * spec.scale();
        int inputId = define(inputs[0], "graph input", lo, hi);

        int n = graph.operatorsLength();
        for (int i = 0; i < n; i++) {
            layers.add(ops.convert(i, graph.operator(i), opCode(graph.operator(i), i)));
        }
        if (layers.isEmpty()) {
            throw new ModelFormatException("the subgraph has no operators");
        }
        int out = outputs[0];
        String where = "graph output";
        data.tensor(out, where);
        if (graphId[out] < 0) {
            throw new ModelFormatException(where + ": " + data.name(out) + " is not produced by any operator");
        }
        int outputId = graphId[out];
        // A trailing QUANTIZE/RESHAPE after the softmax (TF2 exports) is an identity on a vector: drop it so
        // the graph visibly ends in the softmax and nobody applies a second one to its probabilities.
        while (layers.size() > 1 && layers.get(layers.size() - 1) instanceof Layer.Reshape r
                && r.output() == outputId && tensors.get(r.input()).elements() == tensors.get(r.input()).channels()
                && tensors.get(r.input()).channels() == tensors.get(outputId).channels()) {
            layers.remove(layers.size() - 1);
            outputId = r.input();
        }
        TensorInfo outInfo = tensors.get(outputId);
        // A segmentation graph ends in ARG_MAX: its classes are the channels of the scores it reduces.
        Layer last = layers.get(layers.size() - 1);
        int classes = last instanceof Layer.ArgMax a && a.output() == outputId
                ? tensors.get(a.input()).channels() : outInfo.channels();
        ModelGraph real = new ModelGraph(name, sha256, spec, inputId, outputId, classes,
                List.copyOf(tensors), List.copyOf(layers));
        if (!real.isSegmentation() || !INTEGER_SEGMENTATION) {
            return real;
        }
        IntegerDomain integer = new IntegerDomain(graph, data, this, graphId, tensors.size());
        ModelGraph exact = integer.convert(real);
        if (exact == null) {
            LOG.info("{}: computed on real values, not XNNPACK's integers ({})", name, integer.reason());
            return real;
        }
        return exact;
    }

    private int opCode(Operator op, int i) {
        long idx = op.opcodeIndex();
        if (idx >= model.operatorCodesLength()) {
            throw new ModelFormatException("operator " + i + ": opcode index " + idx + " out of range ("
                    + model.operatorCodesLength() + " operator codes)");
        }
        OperatorCode code = model.operatorCode((int) idx);
        int c = code.effectiveBuiltinCode();
        if (c == BuiltinOperator.CUSTOM) {
            throw new ModelFormatException("operator " + i + ": custom op '" + code.customCode() + "' is not supported");
        }
        return c;
    }

    private InputSpec inputSpec(int index) {
        String where = "graph input";
        int[] shape = data.shape(index, where);
        if (shape.length != 4 || shape[0] != 1) {
            throw new ModelFormatException(where + ": " + data.name(index) + " has shape " + Arrays.toString(shape)
                    + ", expected [1][H][W][C]");
        }
        if (data.isConstant(index, where)) {
            throw new ModelFormatException(where + ": " + data.name(index) + " is a constant");
        }
        int type = data.type(index);
        float scale;
        float zeroPoint;
        if (type == TensorType.FLOAT32) {
            // The MobileNet convention for float inputs: pixels mapped to [-1, 1].
            scale = 1f / 127.5f;
            zeroPoint = 127.5f;
        } else if (type == TensorType.UINT8 || type == TensorType.INT8) {
            float[] q = activationQuant(index, where);
            scale = q[0];
            // An int8 input receives the pixel as q = p - 128, so in pixel terms the zero point moves by 128.
            zeroPoint = type == TensorType.UINT8 ? q[1] : q[1] + 128f;
        } else {
            throw new ModelFormatException(where + ": " + data.name(index) + " has unsupported type "
                    + TensorType.name(type));
        }
        return new InputSpec(shape[1], shape[2], shape[3], scale, zeroPoint, TensorType.name(type));
    }

    /** {scale, zeroPoint} of a per-tensor quantized activation. */
    float[] activationQuant(int index, String where) {
        QuantizationParameters q = data.tensor(index, where).quantization();
        float[] scales = q == null ? new float[0] : q.scale(16);
        long[] zps = q == null ? new long[0] : q.zeroPoint(16);
        if (scales.length != 1 || zps.length != 1 || q.detailsType() != 0) {
            throw new ModelFormatException(where + ": quantized activation " + data.name(index)
                    + " needs exactly one scale and zero point, has " + scales.length + " and " + zps.length);
        }
        boolean unsigned = data.type(index) == TensorType.UINT8;
        long qmin = unsigned ? 0 : -128;
        long qmax = unsigned ? 255 : 127;
        if (!(scales[0] > 0) || Float.isInfinite(scales[0]) || zps[0] < qmin || zps[0] > qmax) {
            throw new ModelFormatException(where + ": " + data.name(index) + " has invalid quantization (scale "
                    + scales[0] + ", zero point " + zps[0] + ")");
        }
        return new float[] {scales[0], zps[0]};
    }

    /** Scale of an activation, NaN when it is float. */
    float activationScale(int index, String where) {
        int type = data.type(index);
        return type == TensorType.FLOAT32 ? Float.NaN : activationQuant(index, where)[0];
    }

    /** The real range a tensor's type can represent: its quantized range, or unbounded for float. */
    float[] representableRange(int index, String where) {
        int type = data.type(index);
        if (type == TensorType.FLOAT32 || type == TensorType.INT32 || type == TensorType.INT64) {
            // float, or an index tensor (ARG_MAX's output): no quantized range to clamp to
            return new float[] {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        }
        if (type != TensorType.UINT8 && type != TensorType.INT8) {
            throw new ModelFormatException(where + ": activation " + data.name(index) + " has unsupported type "
                    + TensorType.name(type));
        }
        float[] q = activationQuant(index, where);
        float qmin = type == TensorType.UINT8 ? 0 : -128;
        float qmax = type == TensorType.UINT8 ? 255 : 127;
        return new float[] {q[0] * (qmin - q[1]), q[0] * (qmax - q[1])};
    }

    /** Graph id of an activation input, which must have been defined by the graph input or an earlier op. */
    int activation(int index, String where) {
        data.tensor(index, where);
        if (graphId[index] < 0) {
            throw new ModelFormatException(where + ": input " + data.name(index)
                    + (data.isConstant(index, where) ? " is a constant where an activation is expected"
                    : " is not produced by an earlier operator"));
        }
        return graphId[index];
    }

    java.nio.ByteBuffer bytes() {
        return data.bytes();
    }

    TensorInfo info(int graphTensor) {
        return tensors.get(graphTensor);
    }

    /** Per-image shape of a TFLite activation: the batch dimension (which must be 1) dropped. */
    int[] perImageShape(int index, String where) {
        int[] shape = data.shape(index, where);
        if (shape.length < 2 || shape[0] != 1) {
            throw new ModelFormatException(where + ": " + data.name(index) + " has shape " + Arrays.toString(shape)
                    + ", expected a batch dimension of 1 and at least one more");
        }
        return Arrays.copyOfRange(shape, 1, shape.length);
    }

    /** Registers the op output {@code index} as a new activation with the given value bounds. */
    int define(int index, String where, float lo, float hi) {
        data.tensor(index, where);
        if (graphId[index] >= 0) {
            throw new ModelFormatException(where + ": " + data.name(index) + " is written twice");
        }
        if (data.isConstant(index, where)) {
            throw new ModelFormatException(where + ": output " + data.name(index) + " is a constant");
        }
        representableRange(index, where);
        int[] shape = perImageShape(index, where);
        int type = data.type(index);
        float grid = type == TensorType.UINT8 || type == TensorType.INT8 ? activationQuant(index, where)[0] : 0f;
        TensorInfo info = new TensorInfo(tensors.size(), data.tensor(index, where).name(), shape, lo, hi, grid);
        activationElements += info.elements();
        if (activationElements > MAX_ACTIVATION_ELEMENTS) {
            throw new ModelFormatException(where + ": activations exceed " + MAX_ACTIVATION_ELEMENTS + " values per image");
        }
        graphId[index] = tensors.size();
        tensors.add(info);
        return info.id();
    }

    static Padding padding(byte code, String where) {
        return switch (code) {
            case 0 -> Padding.SAME;
            case 1 -> Padding.VALID;
            default -> throw new ModelFormatException(where + ": unknown padding " + code);
        };
    }
}
