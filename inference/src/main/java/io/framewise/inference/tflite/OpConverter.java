package io.framewise.inference.tflite;

import io.framewise.inference.model.Layer;
import io.framewise.inference.model.ModelFormatException;
import io.framewise.inference.model.Padding;
import io.framewise.inference.model.TensorInfo;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Converts one TFLite operator into a {@link Layer}, checking every shape and option it relies on. */
final class OpConverter {

    /** Largest padding we accept on one side: MobileNets pad by 1; more is a corrupt or foreign file. */
    private static final int MAX_PAD = 1024;

    private final GraphBuilder b;
    private final TensorData data;
    private final ByteBuffer bytes;

    OpConverter(GraphBuilder builder, TensorData data) {
        this.b = builder;
        this.data = data;
        this.bytes = data.bytes();
    }

    Layer convert(int i, Operator op, int code) {
        String where = "operator " + i + " (" + BuiltinOperator.name(code) + ")";
        int[] ins = op.inputs();
        int[] outs = op.outputs();
        if (outs.length != 1) {
            throw new ModelFormatException(where + ": expected 1 output, has " + outs.length);
        }
        int out = outs[0];
        return switch (code) {
            case BuiltinOperator.CONV_2D -> conv(op, ins, out, where);
            case BuiltinOperator.DEPTHWISE_CONV_2D -> depthwise(op, ins, out, where);
            case BuiltinOperator.AVERAGE_POOL_2D -> averagePool(op, ins, out, where);
            case BuiltinOperator.ADD -> add(op, ins, out, where);
            case BuiltinOperator.MEAN -> mean(op, ins, out, where);
            case BuiltinOperator.PAD -> pad(ins, out, where);
            case BuiltinOperator.FULLY_CONNECTED -> fullyConnected(op, ins, out, where);
            case BuiltinOperator.SOFTMAX -> softmax(op, ins, out, where);
            case BuiltinOperator.QUANTIZE -> quantize(ins, out, where);
            case BuiltinOperator.RESHAPE, BuiltinOperator.SQUEEZE,
                    BuiltinOperator.DEQUANTIZE -> reshape(ins, out, BuiltinOperator.name(code), where);
            case BuiltinOperator.RESIZE_BILINEAR -> SegmentationOps.resize(this, b, op, ins, out, where);
            case BuiltinOperator.CONCATENATION -> SegmentationOps.concatenation(this, b, op, ins, out, where);
            case BuiltinOperator.ARG_MAX -> SegmentationOps.argMax(this, b, data, op, ins, out, where);
            default -> throw new ModelFormatException(where + ": unsupported operator " + BuiltinOperator.name(code));
        };
    }

    private Layer conv(Operator op, int[] ins, int out, String where) {
        inputCount(ins, 2, 3, where);
        int in = b.activation(ins[0], where);
        int[] is = featureMap(in, where);
        Conv2DOptions o = Conv2DOptions.at(options(op, BuiltinOptions.CONV_2D_OPTIONS, where), bytes);
        int stride = stride(o.strideW(), o.strideH(), where);
        dilation(o.dilationWFactor(), o.dilationHFactor(), where);
        Padding padding = GraphBuilder.padding(o.padding(), where);
        int[] fs = data.shape(ins[1], where);
        if (fs.length != 4 || fs[3] != is[2]) {
            throw new ModelFormatException(where + ": filter " + data.name(ins[1]) + " has shape " + Arrays.toString(fs)
                    + ", expected [Cout][KH][KW][" + is[2] + "]");
        }
        int cout = fs[0];
        int kh = fs[1];
        int kw = fs[2];
        expectShape(out, new int[] {padding.outputSize(is[0], kh, stride), padding.outputSize(is[1], kw, stride), cout},
                where);
        quantizedTypesAgree(ins, where);
        TensorData.Weights w = data.weights(ins[1], 0, where);
        float[] bias = data.bias(optional(ins, 2), cout, b.activationScale(ins[0], where), w.scales(), where);
        float[] c = clamp(o.fusedActivationFunction(), out, where);
        int id = b.define(out, where, c[0], c[1]);
        return new Layer.Conv2D(in, id, kh, kw, stride, padding, is[2], cout, w.values(), bias, c[0], c[1], 0f,
                w.integerScales());
    }

    private Layer depthwise(Operator op, int[] ins, int out, String where) {
        inputCount(ins, 2, 3, where);
        int in = b.activation(ins[0], where);
        int[] is = featureMap(in, where);
        DepthwiseConv2DOptions o = DepthwiseConv2DOptions.at(
                options(op, BuiltinOptions.DEPTHWISE_CONV_2D_OPTIONS, where), bytes);
        int stride = stride(o.strideW(), o.strideH(), where);
        int dilation = depthwiseDilation(o.dilationWFactor(), o.dilationHFactor(), where);
        Padding padding = GraphBuilder.padding(o.padding(), where);
        int[] fs = data.shape(ins[1], where);
        if (fs.length != 4 || fs[0] != 1) {
            throw new ModelFormatException(where + ": filter " + data.name(ins[1]) + " has shape " + Arrays.toString(fs)
                    + ", expected [1][KH][KW][C]");
        }
        if (o.depthMultiplier() != 1 || fs[3] != is[2]) {
            throw new ModelFormatException(where + ": depth multiplier " + o.depthMultiplier() + " (filter channels "
                    + fs[3] + ", input channels " + is[2] + ") is not supported; only 1");
        }
        int kh = fs[1];
        int kw = fs[2];
        int ch = is[2];
        if (dilation > 1 && (kh != 3 || kw != 3)) {
            throw new ModelFormatException(where + ": dilation " + dilation + " is supported for 3x3 filters only, not "
                    + kh + "x" + kw);
        }
        int ekh = (kh - 1) * dilation + 1;
        int ekw = (kw - 1) * dilation + 1;
        expectShape(out, new int[] {padding.outputSize(is[0], ekh, stride), padding.outputSize(is[1], ekw, stride), ch},
                where);
        quantizedTypesAgree(ins, where);
        TensorData.Weights w = data.weights(ins[1], 3, where);
        float[] bias = data.bias(optional(ins, 2), ch, b.activationScale(ins[0], where), w.scales(), where);
        float[] c = clamp(o.fusedActivationFunction(), out, where);
        int id = b.define(out, where, c[0], c[1]);
        return new Layer.DepthwiseConv2D(in, id, kh, kw, stride, padding, ch, w.values(), bias, c[0], c[1], dilation);
    }

    private Layer averagePool(Operator op, int[] ins, int out, String where) {
        inputCount(ins, 1, 1, where);
        int in = b.activation(ins[0], where);
        int[] is = featureMap(in, where);
        Pool2DOptions o = Pool2DOptions.at(options(op, BuiltinOptions.POOL_2D_OPTIONS, where), bytes);
        int stride = stride(o.strideW(), o.strideH(), where);
        Padding padding = GraphBuilder.padding(o.padding(), where);
        int fh = o.filterHeight();
        int fw = o.filterWidth();
        if (fh < 1 || fw < 1 || fh > is[0] + MAX_PAD || fw > is[1] + MAX_PAD) {
            throw new ModelFormatException(where + ": invalid filter " + fh + "x" + fw);
        }
        expectShape(out, new int[] {padding.outputSize(is[0], fh, stride), padding.outputSize(is[1], fw, stride), is[2]},
                where);
        float[] c = clamp(o.fusedActivationFunction(), out, where);
        int id = b.define(out, where, c[0], c[1]);
        return new Layer.AveragePool2D(in, id, fh, fw, stride, padding, c[0], c[1]);
    }

    private Layer add(Operator op, int[] ins, int out, String where) {
        inputCount(ins, 2, 2, where);
        int a = b.activation(ins[0], where);
        int c2 = b.activation(ins[1], where);
        int[] sa = b.info(a).shape();
        if (!Arrays.equals(sa, b.info(c2).shape())) {
            throw new ModelFormatException(where + ": operand shapes differ (" + Arrays.toString(sa) + " vs "
                    + Arrays.toString(b.info(c2).shape()) + "); broadcasting is not supported");
        }
        expectShape(out, sa, where);
        int pos = options(op, BuiltinOptions.ADD_OPTIONS, false, where);
        byte act = pos == 0 ? ActivationFunctionType.NONE : AddOptions.at(pos, bytes).fusedActivationFunction();
        float[] c = clamp(act, out, where);
        int id = b.define(out, where, c[0], c[1]);
        return new Layer.Add(a, c2, id, c[0], c[1]);
    }

    private Layer mean(Operator op, int[] ins, int out, String where) {
        inputCount(ins, 2, 2, where);
        int in = b.activation(ins[0], where);
        int[] is = featureMap(in, where);
        long[] axes = data.intConstant(ins[1], 4, where);
        long[] normalized = Arrays.stream(axes).map(a -> a < 0 ? a + 4 : a).sorted().toArray();
        if (!Arrays.equals(normalized, new long[] {1, 2})) {
            throw new ModelFormatException(where + ": MEAN over axes " + Arrays.toString(axes)
                    + " is not supported; only the spatial axes (1, 2)");
        }
        int pos = options(op, BuiltinOptions.REDUCER_OPTIONS, false, where);
        boolean keepDims = pos != 0 && ReducerOptions.at(pos, bytes).keepDims();
        expectShape(out, keepDims ? new int[] {1, 1, is[2]} : new int[] {is[2]}, where);
        float[] c = b.representableRange(out, where);
        int id = b.define(out, where, c[0], c[1]);
        return new Layer.Mean(in, id, c[0], c[1]);
    }

    private Layer pad(int[] ins, int out, String where) {
        inputCount(ins, 2, 2, where);
        int in = b.activation(ins[0], where);
        int[] is = featureMap(in, where);
        int[] ps = data.shape(ins[1], where);
        long[] p = data.intConstant(ins[1], 8, where);
        if (ps.length != 2 || ps[0] != 4 || ps[1] != 2) {
            throw new ModelFormatException(where + ": paddings " + data.name(ins[1]) + " have shape "
                    + Arrays.toString(ps) + ", expected [4][2]");
        }
        if (p[0] != 0 || p[1] != 0 || p[6] != 0 || p[7] != 0) {
            throw new ModelFormatException(where + ": padding the batch or channel axis is not supported: "
                    + Arrays.toString(p));
        }
        for (int k = 2; k < 6; k++) {
            if (p[k] < 0 || p[k] > MAX_PAD) {
                throw new ModelFormatException(where + ": padding " + p[k] + " outside 0.." + MAX_PAD);
            }
        }
        int top = (int) p[2];
        int bottom = (int) p[3];
        int left = (int) p[4];
        int right = (int) p[5];
        expectShape(out, new int[] {is[0] + top + bottom, is[1] + left + right, is[2]}, where);
        TensorInfo ti = b.info(in);
        float[] r = b.representableRange(out, where);
        // The padded value is a real zero: the output holds the input's values plus 0.
        float lo = Math.max(Math.min(ti.lo(), 0f), r[0]);
        float hi = Math.min(Math.max(ti.hi(), 0f), r[1]);
        int id = b.define(out, where, lo, hi);
        return new Layer.Pad(in, id, top, bottom, left, right);
    }

    private Layer fullyConnected(Operator op, int[] ins, int out, String where) {
        inputCount(ins, 2, 3, where);
        int in = b.activation(ins[0], where);
        int pos = options(op, BuiltinOptions.FULLY_CONNECTED_OPTIONS, false, where);
        FullyConnectedOptions o = pos == 0 ? null : FullyConnectedOptions.at(pos, bytes);
        if (o != null && o.weightsFormat() != 0) {
            throw new ModelFormatException(where + ": weights_format " + o.weightsFormat() + " is not supported");
        }
        int[] ws = data.shape(ins[1], where);
        if (ws.length != 2) {
            throw new ModelFormatException(where + ": weights " + data.name(ins[1]) + " have shape "
                    + Arrays.toString(ws) + ", expected [Cout][Cin]");
        }
        int cout = ws[0];
        int cin = ws[1];
        TensorInfo ti = b.info(in);
        if (ti.elements() != cin || ti.channels() != cin) {
            throw new ModelFormatException(where + ": input " + Arrays.toString(ti.shape()) + " per image does not "
                    + "match weights [" + cout + "][" + cin + "] (only one row per image is supported)");
        }
        int[] os = b.perImageShape(out, where);
        if (os[os.length - 1] != cout || Arrays.stream(os).asLongStream().reduce(1, (x, y) -> x * y) != cout) {
            throw new ModelFormatException(where + ": output shape " + Arrays.toString(os) + " per image, expected "
                    + cout + " values");
        }
        quantizedTypesAgree(ins, where);
        TensorData.Weights w = data.weights(ins[1], 0, where);
        float[] bias = data.bias(optional(ins, 2), cout, b.activationScale(ins[0], where), w.scales(), where);
        float[] c = clamp(o == null ? ActivationFunctionType.NONE : o.fusedActivationFunction(), out, where);
        int id = b.define(out, where, c[0], c[1]);
        return new Layer.FullyConnected(in, id, cin, cout, w.values(), bias, c[0], c[1], w.integerScales());
    }

    private Layer softmax(Operator op, int[] ins, int out, String where) {
        inputCount(ins, 1, 1, where);
        int in = b.activation(ins[0], where);
        TensorInfo ti = b.info(in);
        if (ti.elements() != ti.channels()) {
            throw new ModelFormatException(where + ": softmax over " + Arrays.toString(ti.shape())
                    + " per image; only a single vector is supported");
        }
        float beta = SoftmaxOptions.at(options(op, BuiltinOptions.SOFTMAX_OPTIONS, where), bytes).beta();
        if (!(beta > 0) || Float.isInfinite(beta)) {
            throw new ModelFormatException(where + ": invalid beta " + beta);
        }
        expectShape(out, ti.shape(), where);
        int id = b.define(out, where, 0f, 1f);
        return new Layer.Softmax(in, id, beta);
    }

    /** Shape changes and (de)quantization: identities on real values, provided nothing gets clamped. */
    private Layer reshape(int[] ins, int out, String opName, String where) {
        inputCount(ins, 1, 2, where);
        int in = b.activation(ins[0], where);
        TensorInfo ti = b.info(in);
        int[] os = b.perImageShape(out, where);
        long outElements = data.elements(os, out, where);
        if (outElements != ti.elements()) {
            throw new ModelFormatException(where + ": " + Arrays.toString(ti.shape()) + " has " + ti.elements()
                    + " values per image, output " + Arrays.toString(os) + " has " + outElements);
        }
        float[] r = b.representableRange(out, where);
        float step = Float.isInfinite(r[0]) ? 0f : b.activationQuant(out, where)[0];
        if (r[0] > ti.lo() + step || r[1] < ti.hi() - step) {
            throw new ModelFormatException(where + ": output " + data.name(out) + " represents [" + r[0] + ", " + r[1]
                    + "] but the input reaches [" + ti.lo() + ", " + ti.hi() + "]; a clamping " + opName
                    + " is not supported");
        }
        int id = b.define(out, where, Math.max(ti.lo(), r[0]), Math.min(ti.hi(), r[1]));
        return new Layer.Reshape(in, id, opName);
    }

    int[] featureMap(int graphTensor, String where) {
        int[] s = b.info(graphTensor).shape();
        if (s.length != 3) {
            throw new ModelFormatException(where + ": input has shape " + Arrays.toString(s)
                    + " per image, expected [H][W][C]");
        }
        return s;
    }

    void expectShape(int out, int[] expected, String where) {
        int[] actual = b.perImageShape(out, where);
        if (!Arrays.equals(actual, expected)) {
            throw new ModelFormatException(where + ": output " + data.name(out) + " has shape " + Arrays.toString(actual)
                    + " per image, the op computes " + Arrays.toString(expected));
        }
    }

    float[] clamp(byte activation, int out, String where) {
        float[] act = ActivationFunctionType.clamp(activation, where);
        float[] r = b.representableRange(out, where);
        float lo = Math.max(act[0], r[0]);
        float hi = Math.min(act[1], r[1]);
        if (!(lo < hi)) {
            throw new ModelFormatException(where + ": empty output range [" + lo + ", " + hi + "]");
        }
        return new float[] {lo, hi};
    }

    static void inputCount(int[] ins, int min, int max, String where) {
        if (ins.length < min || ins.length > max) {
            throw new ModelFormatException(where + ": has " + ins.length + " inputs, expected " + min
                    + (max > min ? ".." + max : ""));
        }
    }

    private static int optional(int[] ins, int k) {
        return ins.length > k ? ins[k] : -1;
    }

    private static int stride(int w, int h, String where) {
        if (w < 1 || h < 1 || w > MAX_PAD || w != h) {
            throw new ModelFormatException(where + ": stride " + w + "x" + h + " is not supported (equal, positive)");
        }
        return w;
    }

    private static void dilation(int w, int h, String where) {
        if (w != 1 || h != 1) {
            throw new ModelFormatException(where + ": dilation " + w + "x" + h + " is not supported; only 1");
        }
    }

    /** Atrous depthwise convolution (DeepLab): equal factors; 1, 2 and 4 are what the kernels are tested on. */
    private static int depthwiseDilation(int w, int h, String where) {
        if (w != h || (w != 1 && w != 2 && w != 4)) {
            throw new ModelFormatException(where + ": dilation " + w + "x" + h + " is not supported; only 1, 2 or 4, equal");
        }
        return w;
    }

    /**
     * QUANTIZE between two quantized tensors with different scale or zero point is a requantization
     * (DeepLab's image-pooling branch moves to the concatenation's grid): a one-input concatenation.
     * Any other QUANTIZE (float to quantized at a graph edge) is an identity on real values.
     */
    private Layer quantize(int[] ins, int out, String where) {
        inputCount(ins, 1, 1, where);
        int in = b.activation(ins[0], where);
        int inType = data.type(ins[0]);
        int outType = data.type(out);
        // a vector (TF2's QUANTIZE after the softmax) stays an identity the loader can drop
        boolean quantized = (inType == TensorType.UINT8 || inType == TensorType.INT8)
                && (outType == TensorType.UINT8 || outType == TensorType.INT8) && b.info(in).shape().length == 3;
        if (!quantized || Arrays.equals(b.activationQuant(ins[0], where), b.activationQuant(out, where))
                && inType == outType) {
            return reshape(ins, out, "QUANTIZE", where);
        }
        expectShape(out, b.info(in).shape(), where);
        float[] r = b.representableRange(out, where);
        int id = b.define(out, where, r[0], r[1]);
        return new Layer.Concatenation(new int[] {in}, id, r[0], r[1], "QUANTIZE");
    }

    int options(Operator op, int type, String where) {
        return options(op, type, true, where);
    }

    /** Position of the op's options table, checked to be of {@code type}; 0 when absent and optional. */
    private int options(Operator op, int type, boolean required, String where) {
        int actual = op.builtinOptionsType();
        int pos = op.builtinOptionsPos();
        if (pos == 0) {
            if (required) {
                throw new ModelFormatException(where + ": builtin options are missing");
            }
            return 0;
        }
        if (actual != type) {
            throw new ModelFormatException(where + ": builtin options have union type " + actual + ", expected " + type);
        }
        return pos;
    }

    /**
     * A quantized operator takes weights of its input's own type and int32 biases, as TFLite's kernels
     * require. This loader dequantizes tensor by tensor and could run a mixed file, but a uint8 filter
     * in an int8 graph means the file was damaged or mis-converted: its numbers would be a different
     * model. Float inputs with int8 weights (hybrid models) are not checked here.
     */
    private void quantizedTypesAgree(int[] ins, String where) {
        int input = data.type(ins[0]);
        if (input != TensorType.UINT8 && input != TensorType.INT8) {
            return;
        }
        int weights = data.type(ins[1]);
        if (weights != input) {
            throw new ModelFormatException(where + ": weights " + data.name(ins[1]) + " are " + TensorType.name(weights)
                    + " but the input " + data.name(ins[0]) + " is " + TensorType.name(input));
        }
        int bias = optional(ins, 2);
        if (bias >= 0 && data.type(bias) != TensorType.INT32) {
            throw new ModelFormatException(where + ": bias " + data.name(bias) + " is " + TensorType.name(data.type(bias))
                    + ", a quantized operator needs INT32");
        }
    }
}
