package io.framewise.inference.exec;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * Runs a classifier until the JIT has finished with it. The Vector API kernels run 10-100× slower
 * before C2 has compiled them (interpreted or C1 code does not intrinsify vectors: every
 * {@code FloatVector} is a heap object), and a C2 version is deoptimized when a branch it had never
 * seen is taken (measured: {@code unstable_if} in the GEMM's {@code rows > 1} and in the snap's scalar
 * tail, both first reached by a batch-1 layer), falling back to slow code until C2 compiles it again.
 * On a busy 2-core machine the compile queue took 10-45 s to drain, so a warm-up of fixed length
 * measured a framewise-only slump (ratio to TFLite 0.01-0.3 in the first rounds, then recovering).
 *
 * <p>The warm-up classifies in turns at the full batch, at 1 image and at half the batch (partial
 * batches: every layer shape and tail the job will meet), and ends when the JVM's total compilation
 * time has not moved for {@code quiet} of classifying, or when {@code budget} is spent.
 */
public final class JitWarmUp {

    /** What a warm-up did: classify calls, seconds, and whether the JIT went quiet within the budget. */
    public record Report(int calls, double seconds, boolean settled) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%d calls in %.1f s, JIT %s", calls, seconds,
                    settled ? "settled" : "STILL COMPILING at the end of the budget");
        }
    }

    /** Calls before the JIT's quiet counts: the first calls have not made anything hot yet. */
    private static final int MIN_CALLS = 30;

    private JitWarmUp() {
    }

    /**
     * @param pixels images for {@link Classifier#classify(byte[], int)}, at least the classifier's max batch
     */
    public static Report run(Classifier c, byte[] pixels, Duration quiet, Duration budget) {
        return run(n -> c.classify(pixels, n), c.options().maxBatch(), quiet, budget);
    }

    /** @param batchOf runs one batch of the given size (a classifier's or a segmenter's) */
    public static Report run(IntConsumer batchOf, int max, Duration quiet, Duration budget) {
        int[] sizes = {max, 1, (max + 1) / 2};
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
        long t0 = System.nanoTime();
        long quietSince = t0;
        long compiled = timed ? jit.getTotalCompilationTime() : 0;
        int calls = 0;
        while (true) {
            batchOf.accept(sizes[calls % sizes.length]);
            calls++;
            long now = System.nanoTime();
            long total = timed ? jit.getTotalCompilationTime() : 0;
            if (total != compiled || calls < MIN_CALLS) {
                compiled = total;
                quietSince = now;
            }
            if (timed && now - quietSince >= quiet.toNanos()) {
                return new Report(calls, (now - t0) / 1e9, true);
            }
            if (now - t0 >= budget.toNanos()) {
                return new Report(calls, (now - t0) / 1e9, false);
            }
        }
    }
}
