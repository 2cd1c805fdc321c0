package io.framewise.inference.kernels;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.framewise.inference.kernels.simd.VectorKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The selected vector stem (3×3 stride 2 SAME, Cin 3) allocates nothing per call once warm, with
 * arrays padded by {@link KernelSet#ARRAY_PAD} as the planner hands them over; one JVM per species
 * (see {@link AllocationProbe}).
 */
class ConvAllocationTest {

    /** {@code size:cout}: MobileNetV2 224 → 32, V1 0.25/128 → 8, V1 0.5/160 → 16, V1 0.75/192 → 24, odd sizes. */
    private static final String[] CASES = {"224:32", "128:8", "160:16", "192:24", "225:32", "97:17"};

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {512, 256, 128})
    void stemAllocatesNothingOnceWarm(int bits) throws Exception {
        assumeTrue(bits <= VectorKernels.preferredBits(), "no " + bits + "-bit vectors on this CPU");
        String[] args = new String[CASES.length + 2];
        args[0] = "stem";
        args[1] = Integer.toString(bits);
        System.arraycopy(CASES, 0, args, 2, CASES.length);
        AllocationProbe.assertForkedAllocatesNothing(args);
    }
}
