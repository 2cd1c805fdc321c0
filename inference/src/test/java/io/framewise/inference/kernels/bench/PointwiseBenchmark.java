package io.framewise.inference.kernels.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.framewise.inference.kernels.KernelSet;
import io.framewise.inference.kernels.PointwiseConv;
import io.framewise.inference.kernels.reference.ReferencePointwiseConv;
import io.framewise.inference.kernels.simd.PointwiseGemm4x3V;
import io.framewise.inference.kernels.simd.PointwiseGemm6x4V;
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
 * MobileNetV2's pointwise layers (and the classifier FC at batch 8), vector tilings vs reference.
 * Shape: {@code pixels:cin:cout}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class PointwiseBenchmark {

    /** 112x112 16->96 expand, 56x56 24->144, 28x28 144->32, 14x14 384->64, 7x7 960->320, 7x7 320->1280, FC 1280->1001 x8. */
    @Param({"12544:16:96", "3136:24:144", "784:144:32", "196:384:64", "49:960:320", "49:320:1280", "8:1280:1001"})
    public String shape;

    @Param({"6x4-512", "4x3-512", "reference"})
    public String kernel;

    private PointwiseConv conv;
    private float[] in;
    private float[] packed;
    private float[] bias;
    private float[] out;
    private int pixels;
    private int cin;
    private int cout;
    private double gflopPerCall;

    @Setup
    public void setup() {
        String[] s = shape.split(":");
        pixels = Integer.parseInt(s[0]);
        cin = Integer.parseInt(s[1]);
        cout = Integer.parseInt(s[2]);
        conv = create(kernel);
        SplittableRandom r = new SplittableRandom(42);
        in = KernelSet.padded(randoms(r, pixels * cin)); // padded as the planner does
        packed = conv.pack(randoms(r, cin * cout), cin, cout);
        bias = KernelSet.padded(randoms(r, cout));
        out = new float[pixels * cout + KernelSet.ARRAY_PAD];
        gflopPerCall = 2.0 * pixels * cin * cout / 1e9;
    }

    static PointwiseConv create(String kernel) {
        if (kernel.equals("reference")) {
            return new ReferencePointwiseConv();
        }
        String[] k = kernel.split("-");
        VectorSpecies<Float> sp = VectorSpecies.of(float.class, jdk.incubator.vector.VectorShape.forBitSize(Integer.parseInt(k[1])));
        return switch (k[0]) {
            case "6x4" -> PointwiseGemm6x4V.of(sp);
            case "4x3" -> PointwiseGemm4x3V.of(sp);
            default -> throw new IllegalArgumentException(kernel);
        };
    }

    static float[] randoms(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }

    @Benchmark
    public float[] pointwise(FlopCounter flops) {
        conv.run(in, 0, pixels, cin, packed, bias, cout, out, 0, 0f, 6f);
        flops.gflop += gflopPerCall;
        return out;
    }

}
