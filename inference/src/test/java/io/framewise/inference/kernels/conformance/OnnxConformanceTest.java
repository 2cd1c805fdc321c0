package io.framewise.inference.kernels.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.framewise.inference.kernels.KernelSet;
import io.framewise.inference.kernels.conformance.OnnxProto.Graph;
import io.framewise.inference.kernels.conformance.OnnxProto.Node;
import io.framewise.inference.kernels.conformance.OnnxProto.Tensor;
import io.framewise.inference.kernels.select.KernelSelection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs our kernels on the ONNX backend test suite (Debian package {@code libonnx-testdata}) and
 * compares with its stored outputs. Each case is one node; {@link OnnxCases} maps it onto our kernels
 * (NCHW ↔ NHWC transposes, grouped convolutions split per group, etc.).
 *
 * <p>Tolerance: {@code |a - b| <= 1e-5 + 1e-4 * |b|}, looser than the kernel tests because the stored
 * outputs were computed by other libraries with another summation order.
 */
class OnnxConformanceTest {

    static final Path DEFAULT_DIR = Path.of("/usr/share/libonnx-testdata/data");
    private static final double ATOL = 1e-5;
    private static final double RTOL = 1e-4;
    /** Runnable cases in libonnx-testdata 1.12 (10 Conv2d + 6 conv + 1 pool + 6 gemm + 1 softmax + 8 clip). */
    private static final int MIN_CASES = 30;

    /** Cases our kernels cannot express, with the reason. A case that is neither run nor listed fails. */
    static final Map<String, String> NOT_EXPRESSIBLE = Map.of(
            "pytorch-converted/test_Conv2d_dilated", "dilation 2: our kernels have no dilation",
            "node/test_clip_default_int8_inbounds", "int8 tensor: kernels are fp32 only",
            "node/test_clip_default_int8_max", "int8 tensor: kernels are fp32 only",
            "node/test_clip_default_int8_min", "int8 tensor: kernels are fp32 only");

    private static Path dataDir;
    private static List<String> cases;

    @BeforeAll
    static void locate() throws IOException {
        String override = System.getenv("FRAMEWISE_ONNX_TESTDATA");
        dataDir = override != null && !override.isBlank() ? Path.of(override) : DEFAULT_DIR;
        if (!Files.isDirectory(dataDir.resolve("node"))) {
            String msg = "ONNX backend test data not found at " + dataDir
                    + ": install it with `apt-get install libonnx-testdata`";
            if ("true".equals(System.getenv("CI"))) {
                fail(msg);
            }
            Assumptions.abort(msg);
        }
        cases = new ArrayList<>();
        try (Stream<Path> s = Files.list(dataDir.resolve("pytorch-converted"))) {
            s.map(p -> "pytorch-converted/" + p.getFileName())
                    .filter(n -> n.startsWith("pytorch-converted/test_Conv2d")).sorted().forEach(cases::add);
        }
        try (Stream<Path> s = Files.list(dataDir.resolve("node"))) {
            s.map(p -> "node/" + p.getFileName()).filter(OnnxConformanceTest::selected).sorted().forEach(cases::add);
        }
    }

    private static boolean selected(String n) {
        String name = n.substring("node/".length());
        return name.startsWith("test_conv_") || name.startsWith("test_basic_conv_")
                || name.equals("test_averagepool_2d_default") || name.startsWith("test_gemm_default_")
                || name.equals("test_softmax_axis_1") || name.startsWith("test_clip");
    }

    private static List<KernelSet> kernelSets() {
        return List.of(KernelSelection.reference(), KernelSelection.vector(FloatVector.SPECIES_PREFERRED),
                KernelSelection.vector(FloatVector.SPECIES_128));
    }

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesTheStoredOutput() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String c : cases) {
            if (NOT_EXPRESSIBLE.containsKey(c)) {
                tests.add(DynamicTest.dynamicTest(c + " (not expressible)", () -> assertNotExpressible(c)));
                continue;
            }
            for (KernelSet k : kernelSets()) {
                tests.add(DynamicTest.dynamicTest(c + " [" + k.name() + "]", () -> runCase(c, k)));
            }
        }
        return tests.stream();
    }

    @Test
    void enoughCasesRun() {
        long runnable = cases.stream().filter(c -> !NOT_EXPRESSIBLE.containsKey(c)).count();
        assertTrue(runnable >= MIN_CASES, "only " + runnable + " runnable cases in " + dataDir + ": " + cases);
        for (String listed : NOT_EXPRESSIBLE.keySet()) {
            assertTrue(cases.contains(listed), "listed as not expressible but absent: " + listed);
        }
    }

    /** A listed case must really be outside what the harness can map (so the list cannot hide a bug). */
    private static void assertNotExpressible(String c) throws IOException {
        Graph g = OnnxProto.readModel(dataDir.resolve(c).resolve("model.onnx"));
        Map<String, Tensor> values = loadInputs(c, g);
        try {
            OnnxCases.run(g.nodes().get(0), values, g.opset(), KernelSelection.reference());
            fail(c + " is listed as not expressible but ran");
        } catch (OnnxCases.NotExpressible expected) {
            // the reason in NOT_EXPRESSIBLE documents it; this confirms the harness agrees
        }
    }

    private static void runCase(String c, KernelSet kernels) throws IOException {
        Path dir = dataDir.resolve(c);
        Graph g = OnnxProto.readModel(dir.resolve("model.onnx"));
        assertEquals(1, g.nodes().size(), c + ": single-node cases only");
        Node node = g.nodes().get(0);
        Map<String, Tensor> values = loadInputs(c, g);
        float[] actual = OnnxCases.run(node, values, g.opset(), kernels);
        Tensor expected = OnnxProto.readTensor(dir.resolve("test_data_set_0").resolve("output_0.pb"));
        assertEquals(expected.data().length, actual.length, c + ": output size");
        for (int i = 0; i < actual.length; i++) {
            double e = expected.data()[i];
            if (!(Math.abs(actual[i] - e) <= ATOL + RTOL * Math.abs(e))) {
                fail(c + " [" + kernels.name() + "]: element " + i + " expected " + e + " but was " + actual[i]);
            }
        }
    }

    /** Initializers plus input_k.pb bound to the graph inputs that are not initializers, in order. */
    private static Map<String, Tensor> loadInputs(String c, Graph g) throws IOException {
        Map<String, Tensor> values = new HashMap<>(g.initializers());
        Path set = dataDir.resolve(c).resolve("test_data_set_0");
        List<String> free = g.inputs().stream().filter(n -> !g.initializers().containsKey(n)).toList();
        for (int k = 0; Files.exists(set.resolve("input_" + k + ".pb")); k++) {
            Tensor t = OnnxProto.readTensor(set.resolve("input_" + k + ".pb"));
            String name = k < free.size() ? free.get(k) : t.name();
            values.put(name, t);
        }
        return values;
    }
}
