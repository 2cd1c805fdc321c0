package io.framewise.inference.model;

/**
 * One operation of the float graph, with weights already dequantized to fp32 in TFLite's own layouts.
 * Tensor fields are ids into {@link ModelGraph#tensors()}. Every layer clamps its output to
 * [{@code lo}, {@code hi}]: the fused activation intersected with the output tensor's quantized range.
 * Layers are immutable and shared by all threads; kernels pack the weights into their own layout once.
 */
public sealed interface Layer {

    int output();

    /** The tensors this layer reads, in operand order (not to be modified). */
    int[] inputs();

    /** The TFLite operator this layer came from (e.g. {@code CONV_2D}), for summaries and errors. */
    String opName();

    /** A layer that reads one tensor. */
    sealed interface OneInput extends Layer {
        int input();

        default int[] inputs() { return new int[] {input()}; }
    }

    /** Regular convolution (the stem, and any 1×1 pointwise conv: kh = kw = 1, stride 1). */
    record Conv2D(int input, int output, int kh, int kw, int stride, Padding padding,
                  int cin, int cout,
                  float[] weights, // [Cout][KH][KW][Cin]
                  float[] bias,    // [Cout]
                  float lo, float hi, float requant,
                  float[] weightScales) implements OneInput { // [1] or [Cout]: see weightScales()

        /**
         * A layer of the real domain ({@code requant} 0: the output is rounded to its tensor's grid). In
         * the integer domain {@code requant} is XNNPACK's {@code input scale · weight scale / output scale}
         * (float arithmetic, in that order), the output is {@code rint(acc · requant)}, and {@code lo}/
         * {@code hi} bound the accumulator: the output bounds divided by {@code requant}.
         */
        public Conv2D(int input, int output, int kh, int kw, int stride, Padding padding, int cin, int cout,
                      float[] weights, float[] bias, float lo, float hi) {
            this(input, output, kh, kw, stride, padding, cin, cout, weights, bias, lo, hi, 0f, null);
        }

        /** Float weights (no {@link #weightScales}), in either domain. */
        public Conv2D(int input, int output, int kh, int kw, int stride, Padding padding, int cin, int cout,
                      float[] weights, float[] bias, float lo, float hi, float requant) {
            this(input, output, kh, kw, stride, padding, cin, cout, weights, bias, lo, hi, requant, null);
        }

        /**
         * The scales the file's integer weights were dequantized with, {@code w = (q - zeroPoint) · scale}
         * (one per tensor or one per output channel; 1 in the integer domain, where the weights are
         * {@code q - zeroPoint}), or null for float weights. Lets a kernel keep a layer's weights as bytes
         * ({@code ByteGemv}) and rebuild the same floats in registers.
         */
        public float[] weightScales() { return weightScales; }

        public String opName() { return "CONV_2D"; }
        public boolean isPointwise() { return kh == 1 && kw == 1 && stride == 1; }
    }

    /**
     * Depthwise convolution with depth multiplier 1 (the only one MobileNets use; others fail at load).
     * {@code dilation} > 1 is DeepLab's atrous convolution: taps {@code dilation} pixels apart, padding
     * computed on the effective size {@code (k - 1) * dilation + 1}, as TFLite does.
     */
    record DepthwiseConv2D(int input, int output, int kh, int kw, int stride, Padding padding,
                           int channels,
                           float[] weights, // [KH][KW][C]
                           float[] bias,    // [C]
                           float lo, float hi, int dilation, float requant) implements OneInput {

        /** Undilated (every classifier's depthwise convolution). */
        public DepthwiseConv2D(int input, int output, int kh, int kw, int stride, Padding padding, int channels,
                               float[] weights, float[] bias, float lo, float hi) {
            this(input, output, kh, kw, stride, padding, channels, weights, bias, lo, hi, 1);
        }

        /** In the real domain; {@code requant} as for {@link Conv2D#requant}. */
        public DepthwiseConv2D(int input, int output, int kh, int kw, int stride, Padding padding, int channels,
                               float[] weights, float[] bias, float lo, float hi, int dilation) {
            this(input, output, kh, kw, stride, padding, channels, weights, bias, lo, hi, dilation, 0f);
        }

        public String opName() { return "DEPTHWISE_CONV_2D"; }

        /** Extent of the filter window on the input: {@code (kh - 1) * dilation + 1}. */
        public int effectiveKh() { return (kh - 1) * dilation + 1; }

        public int effectiveKw() { return (kw - 1) * dilation + 1; }
    }

    /**
     * Elementwise add of two tensors of the same shape (the inverted residual's skip connection). In the
     * integer domain ({@code shift} > 0) XNNPACK's fixed point:
     * {@code (a·aMultiplier + b·bMultiplier + 2^(shift-1)) >> shift}, then clamped to [lo, hi].
     */
    record Add(int inputA, int inputB, int output, float lo, float hi, int aMultiplier, int bMultiplier, int shift)
            implements Layer {

        /** In the real domain: {@code clamp(a + b)}, rounded to the output's grid. */
        public Add(int inputA, int inputB, int output, float lo, float hi) {
            this(inputA, inputB, output, lo, hi, 0, 0, 0);
        }

        public int[] inputs() { return new int[] {inputA, inputB}; }

        public String opName() { return "ADD"; }
    }

    /** AVERAGE_POOL_2D; averages only the in-bounds elements of each window, as TFLite does. */
    record AveragePool2D(int input, int output, int fh, int fw, int stride, Padding padding,
                         float lo, float hi) implements OneInput {
        public String opName() { return "AVERAGE_POOL_2D"; }
    }

    /** MEAN over the spatial axes (1, 2): a global average pool. {@code [H][W][C] -> [C]} */
    record Mean(int input, int output, float lo, float hi) implements OneInput {
        public String opName() { return "MEAN"; }
    }

    /** Zero-padding of H and W (values are real zeros, i.e. the quantized zero point). */
    record Pad(int input, int output, int top, int bottom, int left, int right) implements OneInput {
        public String opName() { return "PAD"; }
    }

    /** Fully connected: {@code out[o] = bias[o] + sum_i w[o][i] * in[i]}. */
    record FullyConnected(int input, int output, int cin, int cout,
                          float[] weights, // [Cout][Cin]
                          float[] bias,    // [Cout]
                          float lo, float hi,
                          float[] weightScales) implements OneInput { // as Conv2D#weightScales

        /** Float weights. */
        public FullyConnected(int input, int output, int cin, int cout, float[] weights, float[] bias, float lo, float hi) {
            this(input, output, cin, cout, weights, bias, lo, hi, null);
        }

        public String opName() { return "FULLY_CONNECTED"; }
    }

    /** Softmax over the last axis with TFLite's beta. */
    record Softmax(int input, int output, float beta) implements OneInput {
        public String opName() { return "SOFTMAX"; }
    }

    /**
     * RESIZE_BILINEAR to the output tensor's H×W with TFLite's coordinate rules: {@code alignCorners}
     * maps corner pixels onto corner pixels (scale (in - 1) / (out - 1)); {@code halfPixelCenters}
     * samples at pixel centres ((x + 0.5) * scale - 0.5); neither: x * in / out.
     */
    record ResizeBilinear(int input, int output, boolean alignCorners, boolean halfPixelCenters,
                          float lo, float hi) implements OneInput {
        public String opName() { return "RESIZE_BILINEAR"; }
    }

    /**
     * CONCATENATION along channels, or (one input, {@code fromOp} QUANTIZE) a requantization. Each input
     * is clamped to [lo, hi] and snapped to the output's grid, as TFLite requantizes every input whose
     * scale or zero point differs from the output's.
     */
    record Concatenation(int[] inputs, int output, float lo, float hi, String fromOp, int multiplier) implements Layer {

        /**
         * In the real domain. In the integer domain ({@code multiplier} > 0, one input) a QUANTIZE is
         * XNNPACK's requantization {@code (x·multiplier + 128) >> 8}; a concatenation there copies inputs
         * that share the output's quantization (multiplier 0).
         */
        public Concatenation(int[] inputs, int output, float lo, float hi, String fromOp) {
            this(inputs, output, lo, hi, fromOp, 0);
        }

        public String opName() { return fromOp; }
    }

    /** ARG_MAX over channels: {@code [H][W][C] -> [H][W]} class index, the first index on ties (TFLite's rule). */
    record ArgMax(int input, int output) implements OneInput {
        public String opName() { return "ARG_MAX"; }
    }

    /**
     * A change of shape only (RESHAPE, SQUEEZE, and QUANTIZE/DEQUANTIZE, which are identities on real values).
     * Executors alias the output to the input's memory.
     */
    record Reshape(int input, int output, String fromOp) implements OneInput {
        public String opName() { return fromOp; }
    }
}
