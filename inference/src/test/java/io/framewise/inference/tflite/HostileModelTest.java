package io.framewise.inference.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.framewise.inference.SharedData;
import io.framewise.inference.model.ModelFormatException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Truncated, random, bit-flipped and deliberately malicious files: loading must end in a
 * {@link ModelFormatException} (or, for a flip that lands in weight data, a valid graph), never an
 * {@link Error}, an unchecked exception of another kind, or a hang.
 */
class HostileModelTest {

    private static byte[] model;      // mobilenet_v1_0.25_128_quant.tflite, the smallest shared model
    private static int[][] structure; // [start, end) byte ranges outside the constant buffers
    private static int flatbufferEnd; // the file carries a zip (label metadata) after the flatbuffer

    @BeforeAll
    static void read() throws Exception {
        model = Files.readAllBytes(SharedData.model("mobilenet_v1_0.25_128_quant.tflite"));
        Model m = Model.root(java.nio.ByteBuffer.wrap(model));
        List<int[]> data = new ArrayList<>();
        for (int i = 0; i < m.buffersLength(); i++) {
            Buffer b = m.buffer(i);
            if (b.dataLength() > 0) {
                data.add(new int[] {b.dataStart(), b.dataStart() + b.dataLength()});
            }
        }
        data.sort((a, b) -> Integer.compare(a[0], b[0]));
        List<int[]> gaps = new ArrayList<>();
        int at = 0;
        for (int[] d : data) {
            if (d[0] > at) {
                gaps.add(new int[] {at, d[0]});
            }
            at = Math.max(at, d[1]);
        }
        flatbufferEnd = zipStart(model);
        gaps.add(new int[] {at, flatbufferEnd});
        structure = gaps.toArray(new int[0][]);
    }

    private static int zipStart(byte[] b) {
        for (int i = 0; i + 4 <= b.length; i++) {
            if (b[i] == 'P' && b[i + 1] == 'K' && b[i + 2] == 3 && b[i + 3] == 4) {
                return i;
            }
        }
        return b.length;
    }

    /** Loads, accepting only success or ModelFormatException; returns whether it was rejected. */
    private static boolean loadOrReject(byte[] bytes, String what) {
        try {
            TfliteModelLoader.load(bytes, "hostile.tflite");
            return false;
        } catch (ModelFormatException e) {
            assertTrue(e.getMessage() != null && e.getMessage().startsWith("hostile.tflite: "), e.getMessage());
            return true;
        } catch (RuntimeException | Error e) {
            throw new AssertionError(what + ": " + e, e);
        }
    }

    private static void assertRejected(byte[] bytes, String what) {
        assertTrue(loadOrReject(bytes, what), what + " loaded without complaint");
    }

    @Test
    @Timeout(20)
    void truncatedAtManyLengths() {
        Random random = new Random(42);
        // Cutting into the appended zip leaves the flatbuffer whole, so cuts fall before it.
        assertTrue(flatbufferEnd > model.length / 2, "zip starts at " + flatbufferEnd);
        List<Integer> lengths = new ArrayList<>(List.of(0, 1, 3, 4, 7, 8, 15, 16, 17, 64, 1000, flatbufferEnd - 1));
        for (int i = 0; i < 150; i++) {
            lengths.add(random.nextInt(flatbufferEnd));
        }
        for (int len : lengths) {
            assertRejected(java.util.Arrays.copyOf(model, len), "truncated to " + len);
        }
    }

    @Test
    @Timeout(10)
    void randomBytes() {
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            byte[] b = new byte[random.nextInt(4096)];
            random.nextBytes(b);
            if (i % 2 == 0 && b.length >= 8) {
                b[4] = 'T'; // get past the identifier check into the table walk
                b[5] = 'F';
                b[6] = 'L';
                b[7] = '3';
                if (i % 4 == 0) {
                    java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, random.nextInt(b.length));
                }
            }
            assertRejected(b, "random " + i);
        }
    }

    @Test
    @Timeout(30)
    void seededByteFlips() {
        Random random = new Random(1234);
        int rejected = 0;
        int trials = 1200;
        for (int i = 0; i < trials; i++) {
            byte[] b = model.clone();
            int flips = 1 + random.nextInt(4);
            for (int k = 0; k < flips; k++) {
                // Most flips go to the flatbuffer structure; a flip inside weight bytes is still a valid model.
                int pos;
                if (random.nextInt(4) == 0) {
                    pos = random.nextInt(b.length);
                } else {
                    int[] gap = structure[random.nextInt(structure.length)];
                    pos = gap[0] + random.nextInt(gap[1] - gap[0]);
                }
                b[pos] = (byte) (random.nextBoolean() ? b[pos] ^ (1 << random.nextInt(8)) : random.nextInt(256));
            }
            if (loadOrReject(b, "flip trial " + i)) {
                rejected++;
            }
        }
        // Sanity check that the flips reach the structure: many of them must be caught.
        assertTrue(rejected > trials / 10, "only " + rejected + " of " + trials + " flipped files rejected");
    }

    @Test
    @Timeout(10)
    void offsetsOutsideTheBuffer() {
        RawTflite m = new RawTflite(model);
        assertRejected(new RawTflite(model).putInt(0, model.length + 100).bytes, "root offset past the end");
        assertRejected(new RawTflite(model).putInt(0, -8).bytes, "negative root offset");
        int subgraphsField = m.field(m.root(), 2);
        assertRejected(new RawTflite(model).putInt(subgraphsField, model.length).bytes, "subgraphs offset past the end");
        assertRejected(new RawTflite(model).putInt(subgraphsField, Integer.MAX_VALUE).bytes, "subgraphs offset 2^31-1");
        int tensors = m.vector(m.subgraph(), 0);
        assertRejected(new RawTflite(model).putInt(tensors, Integer.MAX_VALUE).bytes, "tensors vector length 2^31-1");
        assertRejected(new RawTflite(model).putInt(tensors, -1).bytes, "tensors vector length 2^32-1");
        int operators = m.vector(m.subgraph(), 3);
        assertRejected(new RawTflite(model).putInt(operators, model.length / 4).bytes, "operators vector longer than the file");
        int firstTensor = m.tensor(0);
        assertRejected(new RawTflite(model).putInt(firstTensor, -model.length).bytes, "vtable past the end");
        assertRejected(new RawTflite(model).putInt(firstTensor, model.length).bytes, "vtable before the start");
        int weights = m.tensor(m.operatorInput(m.operator(0), 1));
        int buffer = m.bb.getInt(m.field(weights, 2));
        int data = m.vector(m.element(m.root(), 4, buffer), 0);
        assertRejected(new RawTflite(model).putInt(data, model.length).bytes, "weight bytes longer than the file");
        assertRejected(new RawTflite(model).putInt(m.field(weights, 2), 1 << 30).bytes, "buffer index out of range");
        int inputs = m.vector(m.operator(0), 1);
        assertRejected(new RawTflite(model).putInt(inputs + 4, 1 << 20).bytes, "op input tensor index out of range");
        assertRejected(new RawTflite(model).putInt(inputs + 4, -5).bytes, "negative op input tensor index");
        assertRejected(new RawTflite(model).putInt(m.field(m.operator(1), 0), 99).bytes, "opcode index out of range");
    }

    @Test
    @Timeout(10)
    void absurdShapes() {
        RawTflite m = new RawTflite(model);
        int input = m.vector(m.tensor(0), 0); // input [1][128][128][3]
        assertEquals(128, m.bb.getInt(input + 8));
        byte[] huge = new RawTflite(model).putInt(input + 8, 1_000_000).putInt(input + 12, 1_000_000).bytes;
        String msg = assertThrows(ModelFormatException.class, () -> TfliteModelLoader.load(huge, "h")).getMessage();
        assertTrue(msg.contains("too large"), msg);

        int weights = m.vector(m.tensor(m.operatorInput(m.operator(0), 1)), 0); // [8][3][3][3]
        byte[] hugeWeights = new RawTflite(model).putInt(weights + 8, 1_000_000).putInt(weights + 12, 1_000_000).bytes;
        msg = assertThrows(ModelFormatException.class, () -> TfliteModelLoader.load(hugeWeights, "h")).getMessage();
        assertTrue(msg.contains("too large"), msg);

        byte[] overflow = new RawTflite(model).putInt(weights + 4, Integer.MAX_VALUE)
                .putInt(weights + 8, Integer.MAX_VALUE).putInt(weights + 12, Integer.MAX_VALUE).bytes;
        assertRejected(overflow, "shape product overflowing long");
        assertRejected(new RawTflite(model).putInt(weights + 4, -3).bytes, "negative dimension");
        assertRejected(new RawTflite(model).putInt(weights, 1 << 28).bytes, "rank 2^28");
    }

    @Test
    void notAModelAtAll() {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> TfliteModelLoader.load("hello, this is text and not a model".getBytes(), "x.tflite"));
        assertTrue(e.getMessage().contains("TFL3"), e.getMessage());
        if (e.getCause() != null && !(e.getCause() instanceof ModelFormatException)) {
            fail("the identifier check should not need the backstop: " + e.getCause());
        }
    }
}
