package io.framewise.inference.kernels;


/**
 * The kernels one process uses, chosen once at start-up (see {@code KernelSelection}): the Vector API
 * kernels at {@code FloatVector.SPECIES_PREFERRED}, or the plain-loop reference twins.
 *
 * @param name         human-readable choice, e.g. {@code "vector-512"} or {@code "reference"}
 * @param depthwise3x3 depthwise kernel used for 3×3 filters (other sizes use {@code depthwiseGeneric})
 * @param dilatedDepthwise3x3 atrous 3×3 depthwise (DeepLab)
 * @param resize       bilinear resize, ARG_MAX and the two fused (segmentation heads)
 * @param paddedDepthwise3x3 3×3 depthwise on an input that carries its zero padding (the expansions
 *                     write it so; see {@link PaddedDepthwiseConv})
 * @param byteGemv     a one-row 1×1 conv / fully connected layer on byte weights (a classifier's head at
 *                     batch 1; see {@link ByteGemv})
 */
public record KernelSet(String name, Conv2d conv, PointwiseConv pointwise, DepthwiseConv depthwise3x3,
                        DepthwiseConv depthwiseGeneric, Elementwise elementwise,
                        DilatedDepthwiseConv dilatedDepthwise3x3, Resize resize,
                        PaddedDepthwiseConv paddedDepthwise3x3, ByteGemv byteGemv) {

    /**
     * Floats of slack the planner leaves after the last element of every array it hands to kernels
     * (workspace slots, tiles, biases): the widest vector (512 bits), so a tail vector never runs past
     * an array end, which on JDK 17 would take a deoptimizing slow path or a copying fallback.
     */
    public static final int ARRAY_PAD = 16;

    /** {@code a} copied with {@link #ARRAY_PAD} zeros of slack. */
    public static float[] padded(float[] a) {
        return java.util.Arrays.copyOf(a, a.length + ARRAY_PAD);
    }
}
