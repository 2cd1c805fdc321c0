package io.framewise.inference.model;

import java.util.List;

/**
 * The float graph of one model file: shapes (the model config) plus the immutable dequantized weights
 * inside its layers. Loaded once per JVM and shared by every thread and every operator instance.
 *
 * @param name        file name the model came from
 * @param sha256      hex SHA-256 of the model file (events carry it so a model swap is visible)
 * @param input       input image spec
 * @param inputTensor id of the graph input tensor in {@link #tensors()}
 * @param outputTensor id of the graph output tensor (probabilities when the graph ends in SOFTMAX)
 * @param numClasses  size of the output vector; for a segmentation graph, the channels its ARG_MAX reduces
 * @param tensors     all activation tensors, indexed by id
 * @param layers      layers in execution order (TFLite's operator order)
 * @param integerDomain values are integers, the quantized value minus the zero point, and every layer
 *                    computes what XNNPACK's uint8 kernels compute, bit for bit: weights are {@code q - zp},
 *                    biases the file's int32, a convolution's accumulator (exact in fp32 below 2^24) is
 *                    rounded with {@code rint(acc · scale)} ({@link Layer.Conv2D#requant}), adds and
 *                    requantizations use XNNPACK's fixed-point arithmetic. Segmentation graphs of uint8
 *                    per-tensor models load this way (see {@code TfliteModelLoader}); otherwise values
 *                    are real numbers and weights dequantized (false)
 */
public record ModelGraph(String name, String sha256, InputSpec input, int inputTensor, int outputTensor,
                         int numClasses, List<TensorInfo> tensors, List<Layer> layers, boolean integerDomain) {

    public ModelGraph(String name, String sha256, InputSpec input, int inputTensor, int outputTensor,
                      int numClasses, List<TensorInfo> tensors, List<Layer> layers) {
        this(name, sha256, input, inputTensor, outputTensor, numClasses, tensors, layers, false);
    }

    public TensorInfo tensor(int id) {
        return tensors.get(id);
    }

    /** True when the graph ends in ARG_MAX over channels: a per-pixel class map (semantic segmentation). */
    public boolean isSegmentation() {
        return !layers.isEmpty() && layers.get(layers.size() - 1) instanceof Layer.ArgMax;
    }

    /** True when the graph's last layer is a softmax (its output is already a probability vector). */
    public boolean endsInSoftmax() {
        return !layers.isEmpty() && layers.get(layers.size() - 1) instanceof Layer.Softmax;
    }
}
