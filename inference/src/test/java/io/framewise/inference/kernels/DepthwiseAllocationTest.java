package io.framewise.inference.kernels;

import static io.framewise.inference.kernels.KernelAssertions.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.framewise.inference.kernels.select.KernelSelection;
import io.framewise.inference.kernels.simd.VectorKernels;
import io.framewise.inference.model.Padding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * After warm-up, one call of a vector depthwise kernel allocates nothing on the calling thread when
 * its arrays carry {@link KernelSet#ARRAY_PAD} floats of slack, as the planner's arrays do.
 *
 * <p>Why it matters: a Vector API value C2 could not keep in registers is boxed into a heap
 * {@code FloatVector}, so bytes allocated per call are a direct symptom of a kernel running far
 * below its speed (measured before the fix: about 1.5 MB per call on 56×56×144).
 */
class DepthwiseAllocationTest {

    /**
     * At least this many warm-up calls, and at least {@link #WARMUP_MACS} of work: a shape that takes a
     * branch not seen before (e.g. the first channel tail) deoptimizes the kernel, and a tiny shape
     * needs a few thousand calls before C2 has compiled it again.
     */
    private static final int WARMUP_CALLS = 300;
    private static final long WARMUP_MACS = 100_000_000L;

    /** {h, w, c, stride}: MobileNetV2's depthwise layers, plus channel counts that leave a vector tail. */
    private static final int[][] SHAPES = {
            {112, 112, 96, 2}, {56, 56, 144, 1}, {28, 28, 192, 1}, {14, 14, 576, 1}, {7, 7, 960, 1}, {7, 7, 960, 2},
            {14, 14, 17, 1}, {15, 15, 33, 2},
    };

    @Test
    void selectedKernelSetIsTheVectorOne() {
        assertTrue(KernelSelection.get().name().startsWith("vector-"),
                "the surefire JVM should pick the vector kernels, got " + KernelSelection.get().name());
    }

    @Test
    void rowTiled3x3AllocatesNothingPerCall() {
        assertNoAllocation(KernelSelection.get().depthwise3x3(), 3);
    }

    @Test
    void genericAllocatesNothingPerCall() {
        assertNoAllocation(KernelSelection.get().depthwiseGeneric(), 3);
        assertNoAllocation(KernelSelection.get().depthwiseGeneric(), 5);
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

    /** Checks every shape and names all offenders at once, so one run shows the whole picture. */
    private static void assertNoAllocation(DepthwiseConv dw, int k) {
        StringBuilder offenders = new StringBuilder();
        for (int[] s : SHAPES) {
            long bytes = allocatedPerCall(dw, s[0], s[1], s[2], k, s[3]);
            if (bytes != 0) {
                offenders.append(String.format(" %dx%dx%d:s%d=%d B", s[0], s[1], s[2], s[3], bytes));
            }
        }
        assertEquals("", offenders.toString(), dw.getClass().getSimpleName() + " " + KernelSelection.get().name()
                + " " + k + "x" + k + ", bytes allocated per warmed-up call");
    }

    /**
     * Bytes per warmed-up call, SAME padding, whole image. Measured in rounds (see {@link AllocationProbe}):
     * CI once caught C2 recompiling the kernel during the measured calls (276 KB in one call of 7×7×960
     * stride 2), which more warm-up removes; boxing C2 cannot remove never reaches zero.
     */
    private static long allocatedPerCall(DepthwiseConv dw, int h, int w, int c, int k, int stride) {
        int oh = Padding.SAME.outputSize(h, k, stride);
        int ow = Padding.SAME.outputSize(w, k, stride);
        int padTop = Padding.SAME.padBefore(h, k, stride);
        int padLeft = Padding.SAME.padBefore(w, k, stride);
        long seed = h * 1_000_003L + c * 31L + stride;
        float[] in = KernelSet.padded(random(seed, h * w * c));
        float[] bias = KernelSet.padded(random(seed + 1, c));
        float[] packed = dw.pack(random(seed + 2, k * k * c), k, k, c);
        float[] out = new float[oh * ow * c + KernelSet.ARRAY_PAD];
        long warmup = Math.max(WARMUP_CALLS, WARMUP_MACS / ((long) oh * ow * c * k * k));
        return AllocationProbe.bytesPerCallAfterWarmUp(
                () -> dw.run(in, 0, 0, h, w, c, k, k, stride, padTop, padLeft, packed, bias, out, 0, 0, oh, ow, 0, oh, 0f, 6f),
                warmup);
    }
}
