package io.framewise.inference.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.inference.SharedData;
import io.framewise.inference.model.ModelFormatException;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real models with one field patched to something the float graph cannot run: each must fail by name. */
class UnsupportedModelTest {

    private static byte[] v1;   // mobilenet_v1_0.25_128: op 0 CONV_2D (3x3 s2), op 1 DEPTHWISE_CONV_2D, op 27 AVERAGE_POOL_2D
    private static byte[] tf2;  // tf2_mobilenet_v2: op 0 QUANTIZE, op 1 CONV_2D, op 2 DEPTHWISE_CONV_2D (int8 per channel)

    @BeforeAll
    static void read() throws Exception {
        v1 = Files.readAllBytes(SharedData.model("mobilenet_v1_0.25_128_quant.tflite"));
        tf2 = Files.readAllBytes(SharedData.model("tf2_mobilenet_v2_1.0_224_ptq.tflite"));
    }

    private static String fails(RawTflite patched) {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> TfliteModelLoader.load(patched.bytes, "patched.tflite"));
        return e.getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "'" + p + "' not in: " + message);
        }
    }

    @Test
    void unpatchedModelsLoad() {
        assertEquals(31, TfliteModelLoader.load(new RawTflite(v1).bytes, "v1").layers().size());
        assertEquals(67, TfliteModelLoader.load(new RawTflite(tf2).bytes, "tf2").layers().size());
    }

    @Test
    void unknownOperator() {
        RawTflite m = new RawTflite(v1);
        int avgPoolCode = m.opcode(2); // operator code 2 is AVERAGE_POOL_2D (byte 1, int 1)
        assertEquals(1, m.bb.get(m.field(avgPoolCode, 0)));
        m.put(m.field(avgPoolCode, 0), (byte) BuiltinOperator.MAX_POOL_2D);
        assertContains(fails(m), "patched.tflite", "operator 27", "unsupported operator MAX_POOL_2D");

        RawTflite n = new RawTflite(v1);
        n.put(n.field(n.opcode(2), 0), (byte) 0).putInt(n.field(n.opcode(2), 3), 200);
        assertContains(fails(n), "builtin op 200");
    }

    @Test
    void depthMultiplier() {
        RawTflite m = new RawTflite(v1);
        int opts = m.options(m.operator(1));
        m.putInt(m.field(opts, 3), 2);
        assertContains(fails(m), "operator 1 (DEPTHWISE_CONV_2D)", "depth multiplier 2");
    }

    @Test
    void unsupportedActivation() {
        RawTflite m = new RawTflite(v1);
        int opts = m.options(m.operator(0));
        assertEquals(3, m.bb.get(m.field(opts, 3))); // RELU6
        m.put(m.field(opts, 3), (byte) 4);
        assertContains(fails(m), "operator 0 (CONV_2D)", "unsupported fused activation TANH");
    }

    @Test
    void unequalStrides() {
        RawTflite m = new RawTflite(v1);
        int opts = m.options(m.operator(0));
        m.putInt(m.field(opts, 2), 1); // stride_h 1, stride_w stays 2
        assertContains(fails(m), "operator 0 (CONV_2D)", "stride 2x1");
    }

    @Test
    void dilation() {
        // The converters omit dilation (default 1) from the options table, so give CONV_2D 0 (stride 2)
        // a new vtable, appended to the file, whose dilation slots alias the stored stride fields.
        RawTflite m = new RawTflite(v1);
        int opts = m.options(m.operator(0));
        int vt = opts - m.bb.getInt(opts);
        int objectSize = m.bb.getShort(vt + 2);
        int strideW = m.field(opts, 1) - opts;
        int strideH = m.field(opts, 2) - opts;
        byte[] grown = java.util.Arrays.copyOf(m.bytes, m.bytes.length + 16);
        java.nio.ByteBuffer g = java.nio.ByteBuffer.wrap(grown).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int nvt = m.bytes.length;
        g.putShort(nvt, (short) 16).putShort(nvt + 2, (short) objectSize);
        for (int slot = 0; slot < 4; slot++) {
            int f = m.field(opts, slot);
            g.putShort(nvt + 4 + 2 * slot, (short) (f < 0 ? 0 : f - opts));
        }
        g.putShort(nvt + 12, (short) strideW).putShort(nvt + 14, (short) strideH);
        g.putInt(opts, opts - nvt);
        RawTflite patched = new RawTflite(grown);
        assertContains(fails(patched), "operator 0 (CONV_2D)", "dilation 2x2 is not supported");
    }

    @Test
    void perChannelAxisOtherThanExpected() {
        RawTflite m = new RawTflite(tf2);
        int weights = m.operatorInput(m.operator(2), 1); // depthwise filter [1][3][3][32], axis 3
        int quant = m.deref(m.field(m.tensor(weights), 4));
        assertEquals(3, m.bb.getInt(m.field(quant, 6)));
        m.putInt(m.field(quant, 6), 0);
        assertContains(fails(m), "operator 2 (DEPTHWISE_CONV_2D)", "per channel along axis 0", "only axis 3");
    }

    @Test
    void nonConstantWeights() {
        RawTflite m = new RawTflite(v1);
        int op = m.operator(0);
        int weights = m.tensor(m.operatorInput(op, 1));
        int activationBuffer = m.bb.getInt(m.field(m.tensor(m.operatorOutput(op)), 2));
        m.putInt(m.field(weights, 2), activationBuffer); // an empty buffer: weights computed at run time
        assertContains(fails(m), "operator 0 (CONV_2D)", "must be constant");
    }

    @Test
    void mismatchedShapes() {
        RawTflite m = new RawTflite(v1);
        int out = m.tensor(m.operatorOutput(m.operator(0))); // [1][64][64][8]
        int shape = m.vector(out, 0);
        assertEquals(64, m.bb.getInt(shape + 8));
        m.putInt(shape + 8, 63);
        assertContains(fails(m), "operator 0 (CONV_2D)", "[63, 64, 8]", "the op computes [64, 64, 8]");
    }

    @Test
    void wrongWeightByteLength() {
        RawTflite m = new RawTflite(v1);
        int op = m.operator(0);
        int weights = m.tensor(m.operatorInput(op, 1)); // [8][3][3][3] uint8 = 216 bytes
        int biasBuffer = m.bb.getInt(m.field(m.tensor(m.operatorInput(op, 2)), 2)); // 8 x int32 = 32 bytes
        m.putInt(m.field(weights, 2), biasBuffer);
        assertContains(fails(m), "operator 0 (CONV_2D)", "has 32 bytes of data", "needs 216");
    }
}
