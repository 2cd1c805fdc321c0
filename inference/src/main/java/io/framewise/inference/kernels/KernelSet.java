package io.framewise.inference.kernels;

/**
 * The kernels one process uses, chosen once at start-up (see {@code KernelSelection}): the Vector API
 * kernels at {@code FloatVector.SPECIES_PREFERRED}, or the plain-loop reference twins.
 *
 * @param name         human-readable choice, e.g. {@code "vector-512"} or {@code "reference"}
 * @param depthwise3x3 depthwise kernel used for 3×3 filters (other sizes use {@code depthwiseGeneric})
 */
public record KernelSet(String name, Conv2d conv, PointwiseConv pointwise, DepthwiseConv depthwise3x3,
                        DepthwiseConv depthwiseGeneric, Elementwise elementwise) {
}
