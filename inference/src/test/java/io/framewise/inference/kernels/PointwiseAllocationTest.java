package io.framewise.inference.kernels;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.framewise.inference.kernels.simd.VectorKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vector GEMMs allocate nothing per call once warm, on MobileNetV2's pointwise/FC shapes and on
 * pixel counts that are not a multiple of the row tile, with arrays padded by {@link KernelSet#ARRAY_PAD};
 * one JVM per species (see {@link AllocationProbe}).
 */
class PointwiseAllocationTest {

    /** {@code pixels:cin:cout}: MobileNetV2 1.0/224 layers, FC at batch 8, then odd pixel counts and Cout tails. */
    private static final String[] SHAPES = {
        "12544:16:96", "3136:24:144", "3136:144:24", "784:144:32", "196:384:64", "49:960:320", "49:320:1280",
        "8:1280:1001", "3137:24:144", "785:144:32", "197:384:64", "50:960:320", "5:1280:1001", "1:1280:1001",
        "13:33:17", "7:33:5"};

    @ParameterizedTest(name = "{0} GEMM, {1} bits")
    @CsvSource({"selected, 512", "selected, 256", "selected, 128", "4x3, 512", "4x3, 256"})
    void gemmAllocatesNothingOnceWarm(String kernel, int bits) throws Exception {
        assumeTrue(bits <= VectorKernels.preferredBits(), "no " + bits + "-bit vectors on this CPU");
        String[] args = new String[SHAPES.length + 2];
        args[0] = kernel;
        args[1] = Integer.toString(bits);
        System.arraycopy(SHAPES, 0, args, 2, SHAPES.length);
        AllocationProbe.assertForkedAllocatesNothing(args);
    }

    /** The byte-weight GEMV: MobileNetV2's and MobileNetV1's heads, a Cout tail, one group of panels. */
    @ParameterizedTest(name = "byte GEMV, {0} bits")
    @CsvSource({"512", "256", "128"})
    void byteGemvAllocatesNothingOnceWarm(int bits) throws Exception {
        assumeTrue(bits <= VectorKernels.preferredBits(), "no " + bits + "-bit vectors on this CPU");
        AllocationProbe.assertForkedAllocatesNothing("gemv", Integer.toString(bits), "1280:1001", "1024:1001", "33:80",
                "17:16");
    }
}
