package io.framewise.inference.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.framewise.inference.SharedData;
import io.framewise.inference.tflite.TfliteModelLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.tensorflowlite.BuiltinOpResolver;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.TfLiteAffineQuantization;
import org.bytedeco.tensorflowlite.TfLiteTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TfliteModelLoaderTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // file | size | zeroPoint | type | classes | layers | op counts
        "mobilenet_v1_0.25_128_quant.tflite | 128 | 128 | UINT8 | 1001 | 31 | AVERAGE_POOL_2D=1, CONV_2D=15, DEPTHWISE_CONV_2D=13, RESHAPE=1, SOFTMAX=1",
        "mobilenet_v1_0.5_160_quant.tflite | 160 | 128 | UINT8 | 1001 | 31 | AVERAGE_POOL_2D=1, CONV_2D=15, DEPTHWISE_CONV_2D=13, RESHAPE=1, SOFTMAX=1",
        "mobilenet_v2_1.0_224_quant.tflite | 224 | 128 | UINT8 | 1001 | 66 | ADD=10, AVERAGE_POOL_2D=1, CONV_2D=36, DEPTHWISE_CONV_2D=17, RESHAPE=1, SOFTMAX=1",
        "mobilenet_v2_1.0_224_inat_bird_quant.tflite | 224 | 128 | UINT8 | 965 | 65 | ADD=10, AVERAGE_POOL_2D=1, CONV_2D=35, DEPTHWISE_CONV_2D=17, FULLY_CONNECTED=1, SOFTMAX=1",
        // The TF2 export ends SOFTMAX -> QUANTIZE(int8->uint8); that trailing identity is dropped.
        "tf2_mobilenet_v2_1.0_224_ptq.tflite | 224 | 127 | UINT8 | 1001 | 67 | ADD=10, CONV_2D=36, DEPTHWISE_CONV_2D=17, MEAN=1, QUANTIZE=1, RESHAPE=1, SOFTMAX=1",
    })
    void loadsEverySharedModel(String file, int size, float zeroPoint, String type, int classes, int layers,
                               String ops) {
        ModelGraph g = TfliteModelLoader.load(SharedData.model(file));
        assertEquals(file, g.name());
        assertEquals(size, g.input().height());
        assertEquals(size, g.input().width());
        assertEquals(3, g.input().channels());
        assertEquals(type, g.input().tensorType());
        assertEquals(zeroPoint, g.input().zeroPoint());
        assertTrue(g.input().scale() > 0.0078f && g.input().scale() < 0.0079f, "scale " + g.input().scale());
        assertEquals(classes, g.numClasses());
        assertEquals(layers, g.layers().size());
        Map<String, Integer> counts = new TreeMap<>();
        g.layers().forEach(l -> counts.merge(l.opName(), 1, Integer::sum));
        assertEquals("{" + ops + "}", counts.toString());
        assertTrue(g.endsInSoftmax());
        assertArrayEquals(new int[] {classes}, g.tensor(g.outputTensor()).shape());
        assertArrayEquals(new int[] {size, size, 3}, g.tensor(g.inputTensor()).shape());
        // Tensor ids are dense, and every layer reads only tensors defined before it.
        for (int i = 0; i < g.tensors().size(); i++) {
            assertEquals(i, g.tensor(i).id());
        }
        // Every conv output is clamped by RELU6 or the uint8/int8 output range: finite bounds.
        for (Layer l : g.layers()) {
            if (l instanceof Layer.Conv2D c) {
                assertTrue(Float.isFinite(c.lo()) && Float.isFinite(c.hi()) && c.lo() < c.hi(), l.toString());
                assertEquals(c.cout() * c.kh() * c.kw() * c.cin(), c.weights().length);
                assertEquals(c.cout(), c.bias().length);
            }
        }
    }

    @Test
    void sha256MatchesSharedReadme() throws Exception {
        String readme = Files.readString(SharedData.root().resolve("README.md"));
        Matcher m = Pattern.compile("(?m)^([0-9a-f]{64})\\s+(\\S+)$").matcher(readme);
        int n = 0;
        while (m.find()) {
            n++;
            assertEquals(m.group(1), ModelFiles.KNOWN_SHA256.get(m.group(2)), m.group(2));
            assertEquals(m.group(1), ModelFiles.verify(SharedData.model(m.group(2))));
            if (m.group(2).endsWith(".tflite")) {
                assertEquals(m.group(1), TfliteModelLoader.load(SharedData.model(m.group(2))).sha256());
            }
        }
        assertEquals(7, n);
        // plus the two segmentation models and their labels, listed in the README's second (table) block
        assertEquals(10, ModelFiles.KNOWN_SHA256.size());
        for (String f : new String[] {"deeplabv3_mnv2_pascal_quant.tflite", "deeplabv3_mnv2_dm05_pascal_quant.tflite",
            "pascal_voc_segmentation_labels.txt"}) {
            assertTrue(readme.contains("`" + f + "` | `" + ModelFiles.KNOWN_SHA256.get(f) + "`"), f);
            assertEquals(ModelFiles.KNOWN_SHA256.get(f), ModelFiles.verify(SharedData.model(f)));
        }
    }

    @Test
    void stemReluClampAndUint8RangeOfMobilenetV2() {
        ModelGraph g = TfliteModelLoader.load(SharedData.model("mobilenet_v2_1.0_224_quant.tflite"));
        Layer.Conv2D stem = (Layer.Conv2D) g.layers().get(0);
        // RELU6 intersected with the uint8 output range 0.023528477 * (0..255) = [0, 5.99976].
        assertEquals(0f, stem.lo());
        assertEquals(0.023528477f * 255, stem.hi(), 1e-5);
        assertEquals(3, stem.kh());
        assertEquals(2, stem.stride());
        assertEquals(Padding.SAME, stem.padding());
        // The input tensor's bound is the pixel range mapped through the input quantization.
        TensorInfo in = g.tensor(g.inputTensor());
        assertEquals(-1f, in.lo());
        assertEquals(127f / 128f, in.hi());
    }

    /** Weights and their scales read by TFLite itself (the peer), dequantized here for comparison. */
    @ParameterizedTest
    @CsvSource({
        "mobilenet_v2_1.0_224_quant.tflite, 3",
        "tf2_mobilenet_v2_1.0_224_ptq.tflite, 9",
    })
    void dequantizedWeightsMatchTfliteTensors(String file, int tfliteType) {
        Path path = SharedData.model(file);
        ModelGraph g = TfliteModelLoader.load(path);
        Layer.Conv2D stem = g.layers().stream().filter(l -> l instanceof Layer.Conv2D).map(l -> (Layer.Conv2D) l)
                .findFirst().orElseThrow();
        Layer.DepthwiseConv2D dw = g.layers().stream().filter(l -> l instanceof Layer.DepthwiseConv2D)
                .map(l -> (Layer.DepthwiseConv2D) l).findFirst().orElseThrow();
        // Native objects are left to the process: the interpreter owns references into the model.
        FlatBufferModel model = FlatBufferModel.BuildFromFile(path.toString());
        Interpreter interpreter = new Interpreter((org.bytedeco.javacpp.Pointer) null);
        assertEquals(0, new InterpreterBuilder(model, new BuiltinOpResolver()).apply(interpreter));
        float[] stemExpected = peerDequantize(interpreter, new int[] {32, 3, 3, 3}, tfliteType, 0);
        float[] dwExpected = peerDequantize(interpreter, new int[] {1, 3, 3, 32}, tfliteType, 3);
        assertArrayEquals(stemExpected, stem.weights());
        assertArrayEquals(dwExpected, dw.weights());
    }

    /** Finds the one constant tensor of that shape and type and computes scale[c] * (q - zp[c]) from its bytes. */
    private static float[] peerDequantize(Interpreter interpreter, int[] shape, int type, int axis) {
        TfLiteTensor found = null;
        for (int i = 0; i < interpreter.tensors_size(); i++) {
            TfLiteTensor t = interpreter.tensor(i);
            int[] dims = new int[t.dims().size()];
            Arrays.setAll(dims, d -> t.dims().data(d));
            if (t.type() == type && Arrays.equals(dims, shape)) {
                assertFalse(found != null, "two tensors of shape " + Arrays.toString(shape));
                found = t;
            }
        }
        if (found == null) {
            fail("no tensor of shape " + Arrays.toString(shape));
        }
        TfLiteAffineQuantization q = new TfLiteAffineQuantization(found.quantization().params());
        int n = (int) found.bytes();
        byte[] raw = new byte[n];
        found.data().int8().get(raw);
        int channels = q.scale().size();
        assertTrue(channels == 1 || (q.quantized_dimension() == axis && channels == shape[axis]),
                "quantization " + channels + " along " + q.quantized_dimension());
        if (type == 9) {
            assertEquals(shape[axis], channels, "the TF2 model is quantized per channel");
        }
        int inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            int c = channels == 1 ? 0 : (i / inner) % channels;
            int v = type == 3 ? Byte.toUnsignedInt(raw[i]) : raw[i];
            // TfLiteFloatArray / TfLiteIntArray are {int size; T data[];}: read the flexible arrays by address.
            float scale = new org.bytedeco.javacpp.FloatPointer(q.scale()).capacity(channels + 1).get(c + 1);
            // TFLite keeps a single zero point when all per-channel ones are equal (they are 0 here).
            int zpCount = q.zero_point().size();
            int zeroPoint = new org.bytedeco.javacpp.IntPointer(q.zero_point()).capacity(zpCount + 1)
                    .get(1 + (zpCount == 1 ? 0 : c));
            out[i] = scale * (v - zeroPoint);
        }
        return out;
    }

    @Test
    void uint8ZeroPointsAreThoseOfTheFile() {
        // mobilenet_v2_1.0_224_quant.tflite weight zero points span 52..201: a zero point ignored or
        // applied with the wrong sign would move the mean weight of a layer far from zero.
        ModelGraph g = TfliteModelLoader.load(SharedData.model("mobilenet_v2_1.0_224_quant.tflite"));
        for (Layer l : g.layers()) {
            if (l instanceof Layer.Conv2D c && c.cout() > 100) {
                double sum = 0;
                double abs = 0;
                for (float w : c.weights()) {
                    sum += w;
                    abs += Math.abs(w);
                }
                assertTrue(Math.abs(sum) < 0.5 * abs, "layer mean far from zero: " + sum + " vs " + abs);
            }
        }
    }
}
