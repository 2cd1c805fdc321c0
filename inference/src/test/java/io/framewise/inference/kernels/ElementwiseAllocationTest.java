package io.framewise.inference.kernels;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.framewise.inference.kernels.simd.VectorKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pools and the integer domain's fixed-point add allocate nothing per call once warm, from a cold JVM
 * per species (see {@link AllocationProbe}). The pools: DeepLab's image pooling (65×65×320, one call long enough for on-stack
 * replacement, which boxed the Vector API version's running sums: 7 KB per DeepLab image), MobileNetV2's
 * 7×7×1280 head, and a channel count with a vector tail.
 */
class ElementwiseAllocationTest {

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {512, 256, 128})
    void poolsAllocateNothingOnceWarm(int bits) throws Exception {
        assumeTrue(bits <= VectorKernels.preferredBits(), "no " + bits + "-bit vectors on this CPU");
        AllocationProbe.assertForkedAllocatesNothing("pool", Integer.toString(bits), "65:65:320", "7:7:1280", "9:9:33");
    }

    /**
     * The fixed-point add converts float lanes to int and back: with {@code convert(F2I, 0)} C2 did not
     * see the target species and boxed every vector (24.7 MB per DeepLab block); {@code convertShape} with
     * the constant species does not.
     */
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {512, 256, 128})
    void fixedPointAddAllocatesNothingOnceWarm(int bits) throws Exception {
        assumeTrue(bits <= VectorKernels.preferredBits(), "no " + bits + "-bit vectors on this CPU");
        AllocationProbe.assertForkedAllocatesNothing("add", Integer.toString(bits), "399384", "1001", "17");
    }
}
