package io.framewise.inference.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.framewise.inference.kernels.select.KernelSelection;
import io.framewise.inference.kernels.simd.VectorKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * After warm-up, one call of a vector depthwise kernel allocates nothing on the calling thread when
 * its arrays carry {@link KernelSet#ARRAY_PAD} floats of slack, as the planner's arrays do; each kernel is
 * measured in a fresh JVM ({@link AllocationProbe}).
 *
 * <p>Why it matters: a Vector API value C2 could not keep in registers is boxed into a heap
 * {@code FloatVector}, so bytes allocated per call are a direct symptom of a kernel running far
 * below its speed (measured before the fix: about 1.5 MB per call on 56×56×144).
 */
class DepthwiseAllocationTest {

    /** {@code h:w:c:k:stride}: MobileNetV2's depthwise layers, plus channel counts that leave a vector tail. */
    private static final String[] SHAPES = {
            "112:112:96:K:2", "56:56:144:K:1", "28:28:192:K:1", "14:14:576:K:1", "7:7:960:K:1", "7:7:960:K:2",
            "14:14:17:K:1", "15:15:33:K:2",
    };

    @Test
    void selectedKernelSetIsTheVectorOne() {
        assertTrue(KernelSelection.get().name().startsWith("vector-"),
                "the surefire JVM should pick the vector kernels, got " + KernelSelection.get().name());
    }

    /**
     * The implicit-padding 3×3 kernel and the generic k×k one, each from a cold JVM (see {@link AllocationProbe}):
     * measured in the test JVM right after {@code ByteGemvKernelTest} (vector kernels at 256 and 512 bits,
     * byte-to-int casts), C2 compiled both boxed (17.9 MB per 112×112×96 call), and 0 B with that class
     * left out: the profile one test class leaves behind is not the kernel's to answer for.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rowtiled:3", "generic:3", "generic:5"})
    void implicitPaddingKernelsAllocateNothingOnceWarm(String kernelAndSize) throws Exception {
        String[] kk = kernelAndSize.split(":");
        String[] args = new String[SHAPES.length + 2];
        args[0] = kk[0];
        args[1] = Integer.toString(VectorKernels.preferredBits());
        for (int i = 0; i < SHAPES.length; i++) {
            args[i + 2] = SHAPES[i].replace("K", kk[1]);
        }
        AllocationProbe.assertForkedAllocatesNothing(args);
    }

    /**
     * The atrous kernel from a cold JVM per species (see {@link AllocationProbe}): DeepLab's dilated maps, a
     * channel tail, and a map narrow enough that every strip is an edge strip.
     */
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {512, 256, 128})
    void dilatedAllocatesNothingOnceWarm(int bits) throws Exception {
        assumeTrue(bits <= VectorKernels.preferredBits(), "no " + bits + "-bit vectors on this CPU");
        AllocationProbe.assertForkedAllocatesNothing("dilated", Integer.toString(bits), "33:33:960:2", "65:65:192:1",
                "17:13:33:4", "9:9:17:2");
    }

    /**
     * The border-free kernel on padded inputs from a cold JVM per species: MobileNetV2's and DeepLab's maps
     * (dilation 2), a channel tail, fewer channels than a vector, rows narrower than a strip.
     */
    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {512, 256, 128})
    void paddedAllocatesNothingOnceWarm(int bits) throws Exception {
        assumeTrue(bits <= VectorKernels.preferredBits(), "no " + bits + "-bit vectors on this CPU");
        AllocationProbe.assertForkedAllocatesNothing("padded", Integer.toString(bits), "7:7:960:1", "56:56:144:1",
                "33:33:960:2", "14:14:17:1", "3:3:33:1", "9:9:3:1");
    }
}
