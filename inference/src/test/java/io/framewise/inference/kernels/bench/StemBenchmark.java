package io.framewise.inference.kernels.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.framewise.inference.kernels.Conv2d;
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

/** MobileNetV2's stem: 224×224×3 → 112×112×32, 3×3 stride 2 SAME. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class StemBenchmark {

    private static final int H = 224;
    private static final int CIN = 3;
    private static final int COUT = 32;

    @Param({"strip6x2-512", "reference"})
    public String kernel;

    private Conv2d conv;
    private float[] in;
    private float[] packed;
    private float[] bias;
    private float[] out;
    private int oh;
    private int pad;
    private double gflopPerCall;

    @Setup
    public void setup() {
        conv = kernel.equals("reference") ? new ReferenceConv2d()
                : ConvStrip6x2V.of(VectorSpecies.of(float.class, VectorShape.forBitSize(Integer.parseInt(kernel.split("-")[1]))));
        oh = Padding.SAME.outputSize(H, 3, 2);
        pad = Padding.SAME.padBefore(H, 3, 2);
        SplittableRandom r = new SplittableRandom(3);
        in = PointwiseBenchmark.randoms(r, H * H * CIN);
        packed = conv.pack(PointwiseBenchmark.randoms(r, COUT * 9 * CIN), COUT, 3, 3, CIN);
        bias = PointwiseBenchmark.randoms(r, COUT);
        out = new float[oh * oh * COUT];
        gflopPerCall = 2.0 * oh * oh * COUT * 9 * CIN / 1e9;
    }

    @Benchmark
    public float[] stem(FlopCounter flops) {
        conv.run(in, 0, H, H, CIN, 3, 3, 2, pad, pad, packed, bias, COUT, out, 0, oh, oh, 0f, 6f);
        flops.gflop += gflopPerCall;
        return out;
    }
}
