package io.framewise.inference.kernels.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.framewise.inference.kernels.Conv2d;
import io.framewise.inference.kernels.KernelSet;
import io.framewise.inference.kernels.reference.ReferenceConv2d;
import io.framewise.inference.kernels.simd.ConvStrip6x2V;
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

/**
 * MobileNet stems, 3×3 stride 2 SAME, {@code size:cout}: V2 1.0/224 (224×224×3 → 112×112×32) and the
 * V1 0.25/128, 0.5/160 inputs (8 and 16 output channels).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class StemBenchmark {

    private static final int CIN = 3;

    @Param({"224:32", "128:8", "160:16"})
    public String shape;

    @Param({"strip6x2-512", "reference"})
    public String kernel;

    private Conv2d conv;
    private float[] in;
    private float[] packed;
    private float[] bias;
    private float[] out;
    private int h;
    private int cout;
    private int oh;
    private int pad;
    private double gflopPerCall;

    @Setup
    public void setup() {
        conv = kernel.equals("reference") ? new ReferenceConv2d()
                : ConvStrip6x2V.of(VectorSpecies.of(float.class, VectorShape.forBitSize(Integer.parseInt(kernel.split("-")[1]))));
        h = Integer.parseInt(shape.split(":")[0]);
        cout = Integer.parseInt(shape.split(":")[1]);
        oh = Padding.SAME.outputSize(h, 3, 2);
        pad = Padding.SAME.padBefore(h, 3, 2);
        SplittableRandom r = new SplittableRandom(3);
        in = KernelSet.padded(PointwiseBenchmark.randoms(r, h * h * CIN)); // padded as the planner does
        packed = conv.pack(PointwiseBenchmark.randoms(r, cout * 9 * CIN), cout, 3, 3, CIN);
        bias = KernelSet.padded(PointwiseBenchmark.randoms(r, cout));
        out = new float[oh * oh * cout + KernelSet.ARRAY_PAD];
        gflopPerCall = 2.0 * oh * oh * cout * 9 * CIN / 1e9;
    }

    @Benchmark
    public float[] stem(FlopCounter flops) {
        conv.run(in, 0, h, h, CIN, 3, 3, 2, pad, pad, packed, bias, cout, out, 0, oh, oh, 0f, 6f, 255f / 6f, 6f / 255f);
        flops.gflop += gflopPerCall;
        return out;
    }
}
