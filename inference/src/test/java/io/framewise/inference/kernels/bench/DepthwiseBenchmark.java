package io.framewise.inference.kernels.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.framewise.inference.kernels.DepthwiseConv;
import io.framewise.inference.kernels.KernelSet;
import io.framewise.inference.kernels.reference.ReferenceDepthwiseConv;
import io.framewise.inference.kernels.simd.DwConv3x3RowTiled;
import io.framewise.inference.kernels.simd.DwConvPixelV;
import io.framewise.inference.model.Padding;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** MobileNetV2's depthwise 3×3 layers (whole image, SAME padding). Shape: {@code HxWxC:stride} (input size). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class DepthwiseBenchmark {

    @Param({"112x112x96:2", "56x56x144:1", "28x28x192:1", "14x14x576:1", "7x7x960:1"})
    public String shape;

    @Param({"rowtiled-512", "pixel-512", "reference"})
    public String kernel;

    private DepthwiseConv dw;
    private float[] in;
    private float[] packed;
    private float[] bias;
    private float[] out;
    private int h;
    private int w;
    private int c;
    private int stride;
    private int oh;
    private int ow;
    private int padTop;
    private int padLeft;
    private double gflopPerCall;

    @Setup
    public void setup() {
        String[] s = shape.split("[x:]");
        h = Integer.parseInt(s[0]);
        w = Integer.parseInt(s[1]);
        c = Integer.parseInt(s[2]);
        stride = Integer.parseInt(s[3]);
        oh = Padding.SAME.outputSize(h, 3, stride);
        ow = Padding.SAME.outputSize(w, 3, stride);
        padTop = Padding.SAME.padBefore(h, 3, stride);
        padLeft = Padding.SAME.padBefore(w, 3, stride);
        if (kernel.equals("reference")) {
            dw = new ReferenceDepthwiseConv();
        } else {
            String[] k = kernel.split("-");
            VectorSpecies<Float> sp = VectorSpecies.of(float.class, VectorShape.forBitSize(Integer.parseInt(k[1])));
            dw = k[0].equals("rowtiled") ? DwConv3x3RowTiled.of(sp) : DwConvPixelV.of(sp);
        }
        SplittableRandom r = new SplittableRandom(7);
        // Padded like the planner's arrays, so channel tails take the kernels' inference path.
        in = KernelSet.padded(PointwiseBenchmark.randoms(r, h * w * c));
        packed = dw.pack(PointwiseBenchmark.randoms(r, 9 * c), 3, 3, c);
        bias = KernelSet.padded(PointwiseBenchmark.randoms(r, c));
        out = new float[oh * ow * c + KernelSet.ARRAY_PAD];
        gflopPerCall = 2.0 * 9 * oh * ow * c / 1e9;
    }

    @Benchmark
    public float[] depthwise(FlopCounter flops) {
        dw.run(in, 0, 0, h, w, c, 3, 3, stride, padTop, padLeft, packed, bias, out, 0, 0, oh, ow, 0, oh, 0f, 6f);
        flops.gflop += gflopPerCall;
        return out;
    }
}
