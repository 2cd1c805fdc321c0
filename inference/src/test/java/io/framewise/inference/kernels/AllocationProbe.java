package io.framewise.inference.kernels;

import static io.framewise.inference.kernels.KernelAssertions.random;
import static io.framewise.inference.kernels.KernelAssertions.species;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.framewise.inference.kernels.simd.PointwiseGemm4x3V;
import io.framewise.inference.kernels.simd.VectorKernels;
import io.framewise.inference.model.Padding;
import jdk.incubator.vector.VectorSpecies;

/**
 * Bytes a kernel call allocates on the calling thread, after warm-up. Vector kernels that C2 fails to
 * keep in registers box every FloatVector they touch (measured: 65 MB per stem call before the fix),
 * so "0 bytes after warm-up" tests that the hot paths are intrinsified end to end.
 *
 * <p>Each species is measured in its own JVM ({@link #forked}), as in production where one process
 * uses one species: on JDK 17.0.15, once vector code of one width has been compiled, C2 no longer
 * removes the boxes of kernels compiled later at another width (measured: the same GEMM at 256 bits
 * allocates 3.6 MB per 3136×24→144 call and runs 4× slower after a 512-bit warm-up, 0 B when alone;
 * independent of type profiling flags). Mixing widths is a test-only situation.
 */
public final class AllocationProbe {

    static final int WARM_UP_CALLS = 300;
    private static final int MEASURED_CALLS = 3;
    private static final int MAX_ROUNDS = 10;
    /**
     * Rounds go on past {@link #MAX_ROUNDS} for this long: CI once saw a tiny GEMM (7 pixels, 33 to 5)
     * still boxed after 10 rounds, C2's background compile of its tail branch not yet installed.
     */
    private static final long ROUNDS_BUDGET_NANOS = 10_000_000_000L;

    private AllocationProbe() {
    }

    /**
     * Runs {@code call} {@link #WARM_UP_CALLS} times, then returns the largest allocation of the next
     * {@link #MEASURED_CALLS} calls, less what the measuring itself allocates. A non-zero result is
     * re-measured after more warm-up (at least {@link #MAX_ROUNDS} rounds, then until a time budget): a branch first taken late
     * (a tail shape) deoptimizes and runs boxed until C2 recompiles, whereas boxing that C2 cannot
     * remove never reaches zero.
     */
    static long bytesPerCallAfterWarmUp(Runnable call) {
        return bytesPerCallAfterWarmUp(call, WARM_UP_CALLS);
    }

    /** As {@link #bytesPerCallAfterWarmUp(Runnable)}, with {@code warmUpCalls} calls before each round. */
    public static long bytesPerCallAfterWarmUp(Runnable call, long warmUpCalls) {
        return bytesPerCallAfterWarmUp(call, warmUpCalls, null);
    }

    /**
     * As {@link #bytesPerCallAfterWarmUp(Runnable, long)}, counting also what the live threads whose
     * name starts with {@code teamPrefix} allocate (a classifier's worker threads).
     */
    public static long bytesPerCallAfterWarmUp(Runnable call, long warmUpCalls, String teamPrefix) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = threadIds(teamPrefix);
        long[] sum = new long[1];
        java.util.function.LongSupplier allocated = () -> {
            sum[0] = 0;
            for (long id : ids) {
                sum[0] += mx.getThreadAllocatedBytes(id);
            }
            return sum[0];
        };
        long overhead = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long before = allocated.getAsLong();
            long after = allocated.getAsLong();
            overhead = Math.min(overhead, after - before);
        }
        long worst = 0;
        long deadline = System.nanoTime() + ROUNDS_BUDGET_NANOS;
        for (int round = 0; round < MAX_ROUNDS || System.nanoTime() < deadline; round++) {
            for (long i = 0; i < warmUpCalls; i++) {
                call.run();
            }
            worst = 0;
            for (int i = 0; i < MEASURED_CALLS; i++) {
                long before = allocated.getAsLong();
                call.run();
                long after = allocated.getAsLong();
                worst = Math.max(worst, after - before - overhead);
            }
            if (worst == 0) {
                return 0;
            }
            try {
                Thread.sleep(20); // C2 compiles in the background: on a loaded machine it needs the CPU too
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return worst;
            }
        }
        return worst;
    }

    /** The calling thread's id and those of the live threads named {@code prefix}... (none for null). */
    private static long[] threadIds(String prefix) {
        List<Long> ids = new ArrayList<>(List.of(Thread.currentThread().getId()));
        if (prefix != null) {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith(prefix) && t != Thread.currentThread()) {
                    ids.add(t.getId());
                }
            }
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Runs {@link #main} in a fresh JVM for one species and asserts that every case reported 0 bytes.
     *
     * @param args {@code stem <bits> <size:cout>...}, {@code pool <bits> <h:w:c>...}, {@code add <bits> <len>...},
     *             {@code dilated <bits> <h:w:c:dilation>...}, {@code gemv <bits> <cin:cout>...},
     *             {@code rowtiled|generic <bits> <h:w:c:k:stride>...} or
     *             {@code selected|4x3 <bits> <pixels:cin:cout>...}
     */
    static void assertForkedAllocatesNothing(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), AllocationProbe.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "probe JVM timed out");
        assertEquals(0, p.exitValue(), "probe JVM failed:\n" + output);
        StringBuilder failures = new StringBuilder();
        int reported = 0;
        for (String line : output.split("\n")) {
            if (line.startsWith("bytes ")) {
                reported++;
                String[] f = line.split(" ");
                if (!f[2].equals("0")) {
                    failures.append(' ').append(f[1]).append('=').append(f[2]).append('B');
                }
            }
        }
        assertEquals(args.length - 2, reported, "cases reported by the probe JVM:\n" + output);
        assertEquals("", failures.toString(), args[0] + " at " + args[1] + " bits: cases whose warm call allocated");
    }

    /** Child JVM entry: prints {@code bytes <case> <n>} per case. */
    public static void main(String[] args) {
        VectorSpecies<Float> s = species(Integer.parseInt(args[1]));
        for (int i = 2; i < args.length; i++) {
            String[] f = args[i].split(":");
            long bytes = args[0].equals("stem")
                    ? stem(VectorKernels.create(s).conv(), Integer.parseInt(f[0]), Integer.parseInt(f[1]))
                    : args[0].equals("add")
                    ? fixedPointAdd(VectorKernels.create(s).elementwise(), Integer.parseInt(f[0]))
                    : args[0].equals("dilated")
                    ? dilated(VectorKernels.create(s).dilatedDepthwise3x3(), Integer.parseInt(f[0]), Integer.parseInt(f[1]),
                            Integer.parseInt(f[2]), Integer.parseInt(f[3]))
                    : args[0].equals("padded")
                    ? padded(VectorKernels.create(s).paddedDepthwise3x3(), Integer.parseInt(f[0]), Integer.parseInt(f[1]),
                            Integer.parseInt(f[2]), Integer.parseInt(f[3]))
                    : args[0].equals("rowtiled") || args[0].equals("generic")
                    ? depthwise(args[0].equals("rowtiled") ? VectorKernels.create(s).depthwise3x3()
                            : VectorKernels.create(s).depthwiseGeneric(), Integer.parseInt(f[0]), Integer.parseInt(f[1]),
                            Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]))
                    : args[0].equals("gemv")
                    ? gemv(VectorKernels.create(s).byteGemv(), Integer.parseInt(f[0]), Integer.parseInt(f[1]))
                    : args[0].equals("pool")
                    ? pool(VectorKernels.create(s).elementwise(), Integer.parseInt(f[0]), Integer.parseInt(f[1]),
                            Integer.parseInt(f[2]))
                    : pointwise(args[0].equals("4x3") ? PointwiseGemm4x3V.of(s) : VectorKernels.create(s).pointwise(),
                            Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]));
            System.out.println("bytes " + args[i] + " " + bytes);
        }
    }

    /** 3×3 stride-2 SAME conv, {@code size}×{@code size}×3 → {@code cout}, arrays padded as the planner does. */
    private static long stem(Conv2d conv, int size, int cout) {
        int cin = 3;
        int oh = Padding.SAME.outputSize(size, 3, 2);
        int pad = Padding.SAME.padBefore(size, 3, 2);
        float[] in = KernelSet.padded(random(size, size * size * cin));
        float[] packed = conv.pack(random(size + 1, cout * 9 * cin), cout, 3, 3, cin);
        float[] bias = KernelSet.padded(random(size + 2, cout));
        float[] out = new float[oh * oh * cout + KernelSet.ARRAY_PAD];
        return bytesPerCallAfterWarmUp(
                () -> conv.run(in, 0, size, size, cin, 3, 3, 2, pad, pad, packed, bias, cout, out, 0, oh, oh, 0f, 6f, 255f / 6f, 6f / 255f));
    }

    /**
     * Atrous depthwise 3×3, SAME, strides 1 and 2 in one warmed call: its interior strips keep taps in
     * registers across the calls of the edge strips.
     */
    private static long dilated(DilatedDepthwiseConv dw, int h, int w, int c, int d) {
        float[] in = KernelSet.padded(random(h, h * w * c));
        float[] packed = dw.pack(random(c, 9 * c), 3, 3, c);
        float[] bias = KernelSet.padded(random(c + 1, c));
        int ek = 2 * d + 1;
        int oh2 = Padding.SAME.outputSize(h, ek, 2), ow2 = Padding.SAME.outputSize(w, ek, 2);
        float[] out = new float[h * w * c + KernelSet.ARRAY_PAD];
        return bytesPerCallAfterWarmUp(() -> {
            dw.run(in, 0, h, w, c, 3, 3, 1, d, d, d, packed, bias, out, 0, h, w, 0f, 6f);
            dw.run(in, 0, h, w, c, 3, 3, 2, d, Padding.SAME.padBefore(h, ek, 2), Padding.SAME.padBefore(w, ek, 2),
                    packed, bias, out, 0, oh2, ow2, 0f, 6f);
        });
    }

    /**
     * Depthwise 3×3 on a zero-padded input (pad = dilation), SAME: stride 1 and, undilated, stride 2, in one
     * warmed call.
     */
    private static long padded(PaddedDepthwiseConv dw, int h, int w, int c, int d) {
        int pitch = (w + 2 * d) * c;
        float[] in = KernelSet.padded(random(h, (h + 2 * d) * pitch));
        float[] packed = dw.pack(random(c, 9 * c), c);
        float[] bias = KernelSet.padded(random(c + 1, c));
        int oh2 = Padding.SAME.outputSize(h, 3, 2), ow2 = Padding.SAME.outputSize(w, 3, 2);
        int top2 = Padding.SAME.padBefore(h, 3, 2), left2 = Padding.SAME.padBefore(w, 3, 2);
        float[] out = new float[h * w * c + KernelSet.ARRAY_PAD];
        return bytesPerCallAfterWarmUp(() -> {
            dw.run(in, 0, pitch, c, 1, d, 0, 0, packed, bias, out, 0, w, 0, h, 0f, 6f, 255f / 6f, 6f / 255f);
            if (d == 1) {
                dw.run(in, 0, pitch, c, 2, 1, 1 - top2, 1 - left2, packed, bias, out, 0, ow2, 0, oh2, 0f, 6f, 1f, 0f);
            }
        });
    }

    /** A depthwise k×k, SAME, whole image, at least 100 M multiply-adds of warm-up (a tiny shape needs thousands of calls). */
    private static long depthwise(DepthwiseConv dw, int h, int w, int c, int k, int stride) {
        int oh = Padding.SAME.outputSize(h, k, stride);
        int ow = Padding.SAME.outputSize(w, k, stride);
        int padTop = Padding.SAME.padBefore(h, k, stride);
        int padLeft = Padding.SAME.padBefore(w, k, stride);
        long seed = h * 1_000_003L + c * 31L + stride;
        float[] in = KernelSet.padded(random(seed, h * w * c));
        float[] bias = KernelSet.padded(random(seed + 1, c));
        float[] packed = dw.pack(random(seed + 2, k * k * c), k, k, c);
        float[] out = new float[oh * ow * c + KernelSet.ARRAY_PAD];
        long warmup = Math.max(WARM_UP_CALLS, 100_000_000L / ((long) oh * ow * c * k * k));
        return bytesPerCallAfterWarmUp(
                () -> dw.run(in, 0, 0, h, w, c, k, k, stride, padTop, padLeft, packed, bias, out, 0, 0, oh, ow, 0, oh, 0f, 6f),
                warmup);
    }

    /** One row on byte weights, with the grid and without, each a warmed call of its own (the head at batch 1, 2). */
    private static long gemv(ByteGemv g, int cin, int cout) {
        float[] w = new float[cin * cout];
        java.util.Random r = new java.util.Random(cin + cout);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((r.nextInt(256) - 128) * (double) 0.01f);
        }
        ByteGemv.Packed p = g.pack(w, new float[] {0.01f}, cin, cout);
        float[] in = KernelSet.padded(random(cin, cin));
        float[] bias = KernelSet.padded(random(cout, cout));
        float[] out = new float[cout + KernelSet.ARRAY_PAD];
        return Math.max(bytesPerCallAfterWarmUp(() -> g.run(in, 0, cin, p, bias, cout, out, 0, 0f, 6f, 255f / 6f, 6f / 255f, 0, cout)),
                bytesPerCallAfterWarmUp(() -> g.run(in, 0, cin, p, bias, cout, out, 0, Float.NEGATIVE_INFINITY,
                        Float.POSITIVE_INFINITY, 1f, 0f, 0, cout)));
    }

    private static long pointwise(PointwiseConv conv, int pixels, int cin, int cout) {
        float[] in = KernelSet.padded(random(pixels, pixels * cin));
        float[] packed = conv.pack(random(cin, cin * cout), cin, cout);
        float[] bias = KernelSet.padded(random(cout, cout));
        float[] out = new float[pixels * cout + KernelSet.ARRAY_PAD];
        return bytesPerCallAfterWarmUp(() -> conv.run(in, 0, pixels, cin, packed, bias, cout, out, 0, 0f, 6f));
    }

    /**
     * The larger of a global average pool over {@code h×w×c} and the same mean as an AVERAGE_POOL_2D whose
     * window is the whole map (DeepLab's image pooling: 65×65×320 → 1×1), each from a cold start: one
     * call of the first is long enough for on-stack replacement.
     */
    private static long pool(Elementwise e, int h, int w, int c) {
        float[] in = KernelSet.padded(random(h, h * w * c));
        float[] out = new float[c + KernelSet.ARRAY_PAD];
        long global = bytesPerCallAfterWarmUp(() -> e.globalAveragePool(in, 0, h * w, c, out, 0, -1f, 1f), 30);
        long window = bytesPerCallAfterWarmUp(
                () -> e.averagePool(in, 0, h, w, c, h, w, 1, 0, 0, out, 0, 1, 1, -1f, 1f), 30);
        return Math.max(global, window);
    }

    /** The integer domain's ADD on {@code len} integers (DeepLab's residuals: up to 129×129×24 per call). */
    private static long fixedPointAdd(Elementwise e, int len) {
        float[] a = KernelSet.padded(new float[len]);
        float[] b = KernelSet.padded(new float[len]);
        for (int i = 0; i < len; i++) {
            a[i] = i % 255 - 127;
            b[i] = i % 253 - 100;
        }
        float[] out = new float[len + KernelSet.ARRAY_PAD];
        return bytesPerCallAfterWarmUp(() -> e.addFixedPoint(a, 0, b, 0, out, 0, len, 1093126, 1427419, 21, -128f, 127f));
    }
}
