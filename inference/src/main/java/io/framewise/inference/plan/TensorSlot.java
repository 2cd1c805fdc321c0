package io.framewise.inference.plan;

/**
 * Where one tensor of the graph lives during execution: workspace slot {@code slot}, image {@code i}
 * at float offset {@code AlignedFloats.BASE + i * imageStride} (the first image on a cache line).
 */
public record TensorSlot(int slot, int imageStride) {

    public int offset(int image) {
        return AlignedFloats.BASE + image * imageStride;
    }
}
