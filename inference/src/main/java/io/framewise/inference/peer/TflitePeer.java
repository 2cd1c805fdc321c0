package io.framewise.inference.peer;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorflowlite.BuiltinOpResolver;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.TfLiteTensor;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TensorFlow Lite 2.20 through JavaCPP, with its default delegate (XNNPACK): the peer every
 * correctness test and benchmark compares Framewise against, on the same model file in the same
 * process. Never used by the job. Needs {@code org.bytedeco:tensorflow-lite} on the classpath (an
 * optional dependency of this module: tests, the CLI's {@code bench}, not the job jar).
 *
 * <p>Input: raw pixel bytes of one image at the model's size (q = p for uint8 inputs, as the
 * reference file's recipe says). Output: the dequantized score vector, or for a segmentation model
 * (int64 ARG_MAX output) the class of every pixel.
 */
public final class TflitePeer implements AutoCloseable {

    private final FlatBufferModel model;
    private final org.bytedeco.tensorflowlite.OpResolver resolver;
    private final Interpreter interpreter;
    private final int inputBytes;
    private final int outputCount;
    private final int outputType;
    private final float outScale;
    private final int outZero;
    private final BytePointer inputData;  // stable after AllocateTensors
    private final BytePointer outputData;
    private final byte[] outputBytes;

    public TflitePeer(Path modelFile, int threads) {
        this(modelFile, threads, true);
    }

    /**
     * @param xnnpack true: TFLite's default delegate (XNNPACK); false: TFLite's own builtin integer
     *                kernels, which round requantization differently (the spread between the two is
     *                how far TFLite disagrees with itself)
     */
    public TflitePeer(Path modelFile, int threads, boolean xnnpack) {
        if (!Files.isRegularFile(modelFile)) {
            throw new IllegalArgumentException("no model file at " + modelFile);
        }
        this.model = FlatBufferModel.BuildFromFile(modelFile.toString());
        if (model == null || model.isNull()) {
            throw new IllegalArgumentException("TFLite could not read " + modelFile);
        }
        this.resolver = xnnpack ? new BuiltinOpResolver()
                : new org.bytedeco.tensorflowlite.BuiltinOpResolverWithoutDefaultDelegates();
        this.interpreter = new Interpreter((org.bytedeco.javacpp.Pointer) null);
        InterpreterBuilder builder = new InterpreterBuilder(model, resolver);
        builder.SetNumThreads(threads);
        check(builder.apply(interpreter), "build the interpreter");
        builder.close();
        check(interpreter.AllocateTensors(), "allocate tensors");
        TfLiteTensor in = interpreter.input_tensor(0);
        this.inputBytes = (int) in.bytes();
        if (in.type() != 3 /* kTfLiteUInt8 */) {
            throw new IllegalArgumentException("the peer feeds raw uint8 pixels; " + modelFile.getFileName()
                    + " has input type " + in.type());
        }
        TfLiteTensor out = interpreter.output_tensor(0);
        this.outputType = out.type();
        this.outScale = out.params().scale();
        this.outZero = out.params().zero_point();
        this.outputCount = switch (outputType) {
            case 1 -> (int) (out.bytes() / 4); // float32
            case 3, 9 -> (int) out.bytes();    // uint8, int8
            case 4 -> (int) (out.bytes() / 8); // int64: ARG_MAX's class map (segmentation)
            default -> throw new IllegalArgumentException("unsupported peer output type " + outputType);
        };
        // typed_input_tensor<T> checks T against the tensor type; JavaCPP's byte is int8, so use raw data
        this.inputData = in.data().raw();
        this.outputData = out.data().raw();
        this.outputBytes = new byte[(int) out.bytes()];
    }

    private static void check(int status, String what) {
        if (status != 0) {
            throw new IllegalStateException("TFLite failed to " + what + " (status " + status + ")");
        }
    }

    public int inputBytes() {
        return inputBytes;
    }

    public int outputCount() {
        return outputCount;
    }

    /** Runs one image; {@code pixels[off .. off+inputBytes)} are the raw input bytes. */
    public void invoke(byte[] pixels, int off) {
        inputData.put(pixels, off, inputBytes);
        check(interpreter.Invoke(), "invoke");
    }

    /** Dequantized output of the last {@link #invoke} into {@code out[0 .. outputCount)}. */
    public void output(float[] out) {
        outputData.get(outputBytes, 0, outputBytes.length);
        if (outputType == 4) {
            java.nio.LongBuffer longs = java.nio.ByteBuffer.wrap(outputBytes).order(java.nio.ByteOrder.nativeOrder())
                    .asLongBuffer();
            for (int i = 0; i < outputCount; i++) {
                out[i] = longs.get(i);
            }
            return;
        }
        if (outputType == 1) {
            java.nio.ByteBuffer.wrap(outputBytes).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer().get(out, 0, outputCount);
            return;
        }
        for (int i = 0; i < outputCount; i++) {
            int q = outputType == 3 ? outputBytes[i] & 0xFF : outputBytes[i];
            out[i] = (q - outZero) * outScale;
        }
    }

    /** Convenience: one image in, its dequantized scores out. */
    public float[] run(byte[] pixels) {
        invoke(pixels, 0);
        float[] out = new float[outputCount];
        output(out);
        return out;
    }

    @Override
    public void close() {
        interpreter.close();
        resolver.close();
        model.close();
    }
}
