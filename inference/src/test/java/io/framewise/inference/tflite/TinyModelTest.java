package io.framewise.inference.tflite;

import static io.framewise.inference.tflite.TinyModel.table;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.flatbuffers.FlatBufferBuilder;
import io.framewise.inference.model.Layer;
import io.framewise.inference.model.ModelFormatException;
import io.framewise.inference.model.ModelGraph;
import io.framewise.inference.model.Padding;
import io.framewise.inference.model.TensorInfo;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/** Hand-built models for the op, type and option combinations the shared models do not contain. */
class TinyModelTest {

    private static final float INF = Float.POSITIVE_INFINITY;

    private static ToIntFunction<FlatBufferBuilder> depthwise(int stride, int activation) {
        return table(7, b -> {
            b.addByte(0, (byte) 1, 0); // VALID
            b.addInt(1, stride, 0);
            b.addInt(2, stride, 0);
            b.addInt(3, 1, 0);
            b.addByte(4, (byte) activation, 0);
            return 0;
        });
    }

    private static ToIntFunction<FlatBufferBuilder> conv(int activation) {
        return table(4, b -> {
            b.addByte(0, (byte) 0, 0); // SAME
            b.addInt(1, 1, 0);
            b.addInt(2, 1, 0);
            b.addByte(3, (byte) activation, 0);
            return 0;
        });
    }

    private static final ToIntFunction<FlatBufferBuilder> SOFTMAX = table(1, b -> {
        b.addFloat(0, 1f, 0);
        return 0;
    });

    private static ToIntFunction<FlatBufferBuilder> reducer(boolean keepDims) {
        return table(1, b -> {
            b.addBoolean(0, keepDims, false);
            return 0;
        });
    }

    private static String fails(byte[] model) {
        return assertThrows(ModelFormatException.class, () -> TfliteModelLoader.load(model, "tiny.tflite")).getMessage();
    }

    /** float32 input -> PAD -> DEPTHWISE 3x3 VALID -> MEAN -> FULLY_CONNECTED(keep_num_dims) -> SOFTMAX. */
    @Test
    void floatGraphWithPadMeanAndFullyConnected() {
        TinyModel m = new TinyModel();
        int in = m.floatActivation("in", 1, 4, 4, 2);
        int pads = m.ints("pads", new int[] {0, 0, 1, 1, 1, 1, 0, 0}, null, 4, 2);
        int padded = m.floatActivation("padded", 1, 6, 6, 2);
        float[] dwWeights = new float[18];
        for (int i = 0; i < 18; i++) {
            dwWeights[i] = i * 0.5f - 4;
        }
        int dwW = m.floats("dw_w", dwWeights, 1, 3, 3, 2);
        int dwB = m.floats("dw_b", new float[] {0.25f, -0.5f}, 2);
        int dwOut = m.floatActivation("dw", 1, 4, 4, 2);
        int axes = m.ints("axes", new int[] {1, 2}, null, 2);
        int mean = m.floatActivation("mean", 1, 2);
        int fcW = m.floats("fc_w", new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        int fcOut = m.floatActivation("fc", 1, 3);
        int probs = m.floatActivation("probs", 1, 3);
        m.op(BuiltinOperator.PAD, new int[] {in, pads}, padded)
                .op(BuiltinOperator.DEPTHWISE_CONV_2D, new int[] {padded, dwW, dwB}, dwOut,
                        BuiltinOptions.DEPTHWISE_CONV_2D_OPTIONS, depthwise(1, ActivationFunctionType.RELU))
                .op(BuiltinOperator.MEAN, new int[] {dwOut, axes}, mean, BuiltinOptions.REDUCER_OPTIONS, reducer(false))
                .op(BuiltinOperator.FULLY_CONNECTED, new int[] {mean, fcW, -1}, fcOut, BuiltinOptions.FULLY_CONNECTED_OPTIONS,
                        table(3, b -> {
                            b.addByte(0, (byte) 0, 0);
                            b.addBoolean(2, true, false);
                            return 0;
                        }))
                .op(BuiltinOperator.SOFTMAX, new int[] {fcOut}, probs, BuiltinOptions.SOFTMAX_OPTIONS, SOFTMAX)
                .io(in, probs);
        ModelGraph g = TfliteModelLoader.load(m.build(), "tiny.tflite");

        assertEquals("FLOAT32", g.input().tensorType());
        assertEquals(127.5f, g.input().zeroPoint());
        assertEquals(1f / 127.5f, g.input().scale());
        assertEquals(3, g.numClasses());
        assertTrue(g.endsInSoftmax());
        assertEquals(5, g.layers().size());

        Layer.Pad pad = assertInstanceOf(Layer.Pad.class, g.layers().get(0));
        assertArrayEquals(new int[] {1, 1, 1, 1}, new int[] {pad.top(), pad.bottom(), pad.left(), pad.right()});
        TensorInfo paddedInfo = g.tensor(pad.output());
        assertArrayEquals(new int[] {6, 6, 2}, paddedInfo.shape());
        assertEquals(-1f, paddedInfo.lo(), 1e-6); // the input bound [-1, 1] plus the padded zero
        assertEquals(1f, paddedInfo.hi(), 1e-6);

        Layer.DepthwiseConv2D dw = assertInstanceOf(Layer.DepthwiseConv2D.class, g.layers().get(1));
        assertArrayEquals(dwWeights, dw.weights());
        assertArrayEquals(new float[] {0.25f, -0.5f}, dw.bias());
        assertEquals(Padding.VALID, dw.padding());
        assertEquals(0f, dw.lo()); // RELU on a float output: [0, +inf)
        assertEquals(INF, dw.hi());

        Layer.Mean meanLayer = assertInstanceOf(Layer.Mean.class, g.layers().get(2));
        assertArrayEquals(new int[] {2}, g.tensor(meanLayer.output()).shape());
        Layer.FullyConnected fc = assertInstanceOf(Layer.FullyConnected.class, g.layers().get(3));
        assertEquals(2, fc.cin());
        assertEquals(3, fc.cout());
        assertArrayEquals(new float[3], fc.bias());
        assertEquals(-INF, fc.lo());
    }

    /** int8 input: the raw pixel p arrives as q = p - 128, so the pixel-space zero point is zp + 128. */
    @Test
    void int8InputWithDequantizeAndSqueeze() {
        TinyModel m = new TinyModel();
        int in = m.activation("in", TensorType.INT8, new float[] {0.5f}, new long[] {-3}, 1, 2, 2, 3);
        int deq = m.floatActivation("deq", 1, 2, 2, 3);
        int axes = m.ints("axes", new int[] {2, -3}, null, 2);
        int mean = m.floatActivation("mean", 1, 1, 1, 3);
        int squeezed = m.floatActivation("squeezed", 1, 3);
        int probs = m.floatActivation("probs", 1, 3);
        m.op(BuiltinOperator.DEQUANTIZE, new int[] {in}, deq)
                .op(BuiltinOperator.MEAN, new int[] {deq, axes}, mean, BuiltinOptions.REDUCER_OPTIONS, reducer(true))
                .op(BuiltinOperator.SQUEEZE, new int[] {mean}, squeezed)
                .op(BuiltinOperator.SOFTMAX, new int[] {squeezed}, probs, BuiltinOptions.SOFTMAX_OPTIONS, SOFTMAX)
                .io(in, probs);
        ModelGraph g = TfliteModelLoader.load(m.build(), "tiny.tflite");
        assertEquals("INT8", g.input().tensorType());
        assertEquals(125f, g.input().zeroPoint());
        assertEquals(0.5f, g.input().scale());
        TensorInfo input = g.tensor(g.inputTensor());
        assertEquals(-62.5f, input.lo()); // (0 - 125) * 0.5
        assertEquals(65f, input.hi());    // (255 - 125) * 0.5
        assertEquals("DEQUANTIZE", g.layers().get(0).opName());
        assertInstanceOf(Layer.Reshape.class, g.layers().get(0));
        assertArrayEquals(new int[] {1, 1, 3}, g.tensor(g.layers().get(1).output()).shape());
        assertEquals("SQUEEZE", g.layers().get(2).opName());
        assertEquals(3, g.numClasses());
    }

    /** int8 weights per channel with non-zero zero points, int32 bias at input_scale * weight_scale[c]. */
    @Test
    void perChannelConvWithZeroPointsAndBias() {
        TinyModel m = new TinyModel();
        int in = m.activation("in", TensorType.INT8, new float[] {0.5f}, new long[] {0}, 1, 1, 1, 2);
        int w = m.constant("w", TensorType.INT8, new byte[] {3, -1, 5, 7}, new float[] {0.5f, 0.25f},
                new long[] {1, -2}, 0, 2, 1, 1, 2);
        int bias = m.ints("b", new int[] {10, -8}, new float[] {0.25f, 0.125f}, 2);
        int out = m.activation("out", TensorType.INT8, new float[] {0.1f}, new long[] {0}, 1, 1, 1, 2);
        m.op(BuiltinOperator.CONV_2D, new int[] {in, w, bias}, out, BuiltinOptions.CONV_2D_OPTIONS,
                conv(ActivationFunctionType.RELU6)).io(in, out);
        ModelGraph g = TfliteModelLoader.load(m.build(), "tiny.tflite");
        Layer.Conv2D c = assertInstanceOf(Layer.Conv2D.class, g.layers().get(0));
        assertArrayEquals(new float[] {(3 - 1) * 0.5f, (-1 - 1) * 0.5f, (5 + 2) * 0.25f, (7 + 2) * 0.25f}, c.weights());
        assertArrayEquals(new float[] {2.5f, -1f}, c.bias());
        assertEquals(0f, c.lo());           // RELU6 lower bound
        assertEquals(6f, c.hi());           // RELU6 inside the int8 range [-12.8, 12.7]

        // The same file with a bias scale that disagrees with input_scale * weight_scale is rejected.
        TinyModel bad = new TinyModel();
        int in2 = bad.activation("in", TensorType.INT8, new float[] {0.5f}, new long[] {0}, 1, 1, 1, 2);
        int w2 = bad.constant("w", TensorType.INT8, new byte[] {3, -1, 5, 7}, new float[] {0.5f, 0.25f},
                new long[] {1, -2}, 0, 2, 1, 1, 2);
        int b2 = bad.ints("b", new int[] {10, -8}, new float[] {0.25f, 0.5f}, 2);
        int out2 = bad.activation("out", TensorType.INT8, new float[] {0.1f}, new long[] {0}, 1, 1, 1, 2);
        bad.op(BuiltinOperator.CONV_2D, new int[] {in2, w2, b2}, out2, BuiltinOptions.CONV_2D_OPTIONS,
                conv(ActivationFunctionType.NONE)).io(in2, out2);
        String msg = fails(bad.build());
        assertTrue(msg.contains("bias") && msg.contains("channel 1") && msg.contains("disagrees"), msg);
    }

    @Test
    void clampingQuantizeIsRejected() {
        TinyModel m = new TinyModel();
        int in = m.floatActivation("in", 1, 2, 2, 1);
        int q = m.activation("q", TensorType.UINT8, new float[] {0.001f}, new long[] {0}, 1, 2, 2, 1);
        m.op(BuiltinOperator.QUANTIZE, new int[] {in}, q).io(in, q);
        String msg = fails(m.build());
        assertTrue(msg.contains("a clamping QUANTIZE is not supported"), msg);
    }

    @Test
    void unsupportedReductionAndBroadcast() {
        TinyModel m = new TinyModel();
        int in = m.floatActivation("in", 1, 2, 2, 3);
        int axes = m.ints("axes", new int[] {3}, null, 1);
        int out = m.floatActivation("out", 1, 2, 2);
        m.op(BuiltinOperator.MEAN, new int[] {in, axes}, out, BuiltinOptions.REDUCER_OPTIONS, reducer(false)).io(in, out);
        String msg = fails(m.build());
        assertTrue(msg.contains("MEAN over axes [3] is not supported"), msg);

        TinyModel a = new TinyModel();
        int x = a.floatActivation("x", 1, 2, 2, 3);
        int axes2 = a.ints("axes", new int[] {1, 2}, null, 2);
        int y = a.floatActivation("y", 1, 1, 1, 3);
        int sum = a.floatActivation("sum", 1, 2, 2, 3);
        a.op(BuiltinOperator.MEAN, new int[] {x, axes2}, y, BuiltinOptions.REDUCER_OPTIONS, reducer(true))
                .op(BuiltinOperator.ADD, new int[] {x, y}, sum).io(x, sum);
        msg = fails(a.build());
        assertTrue(msg.contains("operator 1 (ADD)") && msg.contains("broadcasting is not supported"), msg);

        TinyModel c = new TinyModel();
        int p = c.floatActivation("p", 1, 2, 2, 3);
        int never = c.floatActivation("never", 1, 2, 2, 3);
        int s2 = c.floatActivation("s", 1, 2, 2, 3);
        c.op(BuiltinOperator.ADD, new int[] {p, never}, s2).io(p, s2);
        msg = fails(c.build());
        assertTrue(msg.contains("'never' is not produced by an earlier operator"), msg);
    }

    @Test
    void optionsOfTheWrongType() {
        TinyModel m = new TinyModel();
        int in = m.floatActivation("in", 1, 1, 1, 2);
        int w = m.floats("w", new float[] {1, 2, 3, 4}, 2, 1, 1, 2);
        int out = m.floatActivation("out", 1, 1, 1, 2);
        // CONV_2D carrying Pool2DOptions: the union tag must match the op
        m.op(BuiltinOperator.CONV_2D, new int[] {in, w}, out, BuiltinOptions.POOL_2D_OPTIONS, conv(0)).io(in, out);
        String msg = fails(m.build());
        assertTrue(msg.contains("union type 5, expected 1"), msg);
    }
}
