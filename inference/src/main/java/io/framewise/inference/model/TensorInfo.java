package io.framewise.inference.model;

/**
 * One activation tensor of the float graph.
 *
 * @param id     index in {@link ModelGraph#tensors()}; the TFLite tensor index it came from is in {@code name} only
 * @param name   the TFLite tensor name, for error messages and summaries
 * @param shape  per-image shape without the batch dimension: {@code [H][W][C]} for feature maps, {@code [C]} for vectors
 * @param lo     lower bound every value of this tensor can take (from the quantized range and fused activation;
 *               {@code -Infinity} when unbounded). Kernels clamp their output to [lo, hi].
 * @param hi     upper bound, {@code +Infinity} when unbounded
 * @param grid   the quantization step of this tensor in the model file ({@code scale}), or 0 for a
 *               float tensor. The logits before the final softmax are snapped to this grid, because
 *               the model's softmax is defined on those quantized values (see {@code SoftmaxStep}).
 */
public record TensorInfo(int id, String name, int[] shape, float lo, float hi, float grid) {

    public TensorInfo(int id, String name, int[] shape, float lo, float hi) {
        this(id, name, shape, lo, hi, 0f);
    }

    /** Elements per image. */
    public int elements() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    public int height() {
        return shape.length == 3 ? shape[0] : 1;
    }

    public int width() {
        return shape.length == 3 ? shape[1] : 1;
    }

    public int channels() {
        return shape[shape.length - 1];
    }
}
