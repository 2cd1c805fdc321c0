package io.framewise.pipeline.bench;

import io.framewise.inference.exec.AllocationCounter;
import io.framewise.inference.exec.Classifier;
import io.framewise.inference.exec.ClassifierOptions;
import io.framewise.inference.exec.CompiledModel;
import io.framewise.inference.exec.Segmenter;
import io.framewise.inference.exec.JitWarmUp;
import io.framewise.inference.peer.TflitePeer;
import io.framewise.inference.plan.Step;

import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Framewise against TFLite (XNNPACK) on the same model file, in the same process, interleaved per
 * setting so that machine noise hits both. TFLite's files have batch 1, so its "batch N" is N
 * invocations; its threads are XNNPACK's thread pool. A segmentation model (ending in ARG_MAX) runs
 * through a {@link Segmenter}, a classifier through a {@link Classifier}: the task follows from the model.
 */
public final class InferenceBench {

    /** How long a setting's warm-up may wait for the JIT to go quiet. */
    public static final Duration WARM_UP_BUDGET = Duration.ofSeconds(60);
    /** The JIT is taken as settled after this much classifying without a compilation. */
    public static final Duration JIT_QUIET = Duration.ofMillis(500);

    /** One batch × threads measurement: the warm-up, then the rounds, interleaved with the peer. */
    public record Row(int batch, int threads, JitWarmUp.Report warmUp, RoundStats rounds, double[] bytesPerImage,
                      double[] jitMillis) {
        public double fwImagesPerSec() {
            return rounds.fwMedian();
        }

        public double peerImagesPerSec() {
            return rounds.hasPeer() ? rounds.peerMedian() : 0;
        }

        /** Median of the per-round-pair ratios (not the ratio of the medians). */
        public double ratio() {
            return rounds.ratioMedian();
        }
    }

    private final CompiledModel model;
    private final Path modelFile;
    private final byte[] images; // [maxBatch][H][W][3], real photos resized
    private final PrintStream out;

    public InferenceBench(CompiledModel model, Path modelFile, byte[] images, PrintStream out) {
        this.model = model;
        this.modelFile = modelFile;
        this.images = images;
        this.out = out;
    }

    /** The model's task, Classifier or Segmenter: one batch, step timings, close. */
    private record Runner(IntConsumer batch, Consumer<Boolean> profiling, Supplier<long[]> nanosByKind,
                          Supplier<long[]> nanosByStep, Supplier<long[]> nanosByStepKind, Supplier<long[]> bytesByStep,
                          AutoCloseable engine)
            implements AutoCloseable {
        void run(int n) {
            batch.accept(n);
        }

        void setProfiling(boolean on) {
            profiling.accept(on);
        }

        @Override
        public void close() {
            try {
                engine.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private Runner runner(int batch, int threads) {
        ClassifierOptions options = ClassifierOptions.defaults().withMaxBatch(batch).withThreads(threads);
        if (!model.graph().isSegmentation()) {
            Classifier c = new Classifier(model, options);
            return new Runner(n -> c.classify(images, n), c::setProfiling, c::nanosByKind, c::nanosByStep, c::nanosByStepKind,
                    c::bytesByStep, c);
        }
        Segmenter s = new Segmenter(model, options);
        int bytes = model.imageBytes();
        byte[][] each = new byte[batch][];
        for (int i = 0; i < batch; i++) {
            each[i] = Arrays.copyOfRange(images, i * bytes, (i + 1) * bytes);
        }
        return new Runner(n -> s.segment(each, n), s::setProfiling, s::nanosByKind, s::nanosByStep, s::nanosByStepKind,
                s::bytesByStep, s);
    }

    /**
     * {@code rounds} round pairs of {@code seconds / (2 rounds)} each after a warm-up that lasts until
     * the JIT has gone quiet ({@link JitWarmUp}: a fixed one-second warm-up measured kernels still
     * waiting for C2 on a busy machine, the slow-JVM mode of issue 11); the order
     * inside a pair alternates (framewise first, then the peer first) so a drift hits both alike.
     */
    public Row measure(int batch, int threads, double seconds, int rounds, boolean peer) {
        try (Runner c = runner(batch, threads);
             TflitePeer p = peer ? new TflitePeer(modelFile, threads) : null) {
            double slice = seconds / (2.0 * rounds);
            JitWarmUp.Report warm = JitWarmUp.run(c::run, batch, JIT_QUIET, WARM_UP_BUDGET);
            if (p != null) {
                runPeer(p, batch, Math.min(1.0, Math.max(slice, 0.5)));
            }
            double[] fw = new double[rounds];
            double[] q = new double[p == null ? 0 : rounds];
            double[] bytes = new double[rounds];
            double[] jit = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                if (p != null && round % 2 == 1) {
                    q[round] = rate(runPeer(p, batch, slice));
                }
                long alloc0 = AllocationCounter.allThreads();
                long jit0 = jitMillis();
                long[] r = runFramewise(c, batch, slice);
                // a warmed-up forward allocates nothing: bytes here are the slow-JVM mode (boxed vectors)
                bytes[round] = (AllocationCounter.allThreads() - alloc0) / (double) r[0];
                jit[round] = jitMillis() - jit0;
                fw[round] = rate(r);
                if (p != null && round % 2 == 0) {
                    q[round] = rate(runPeer(p, batch, slice));
                }
            }
            return new Row(batch, threads, warm, new RoundStats(fw, q), bytes, jit);
        }
    }

    /** The JIT's total compilation time so far: a round that compiles was not measuring settled code. */
    private static long jitMillis() {
        CompilationMXBean c = ManagementFactory.getCompilationMXBean();
        return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : 0;
    }

    private static double rate(long[] imagesAndNanos) {
        return imagesAndNanos[0] / (imagesAndNanos[1] / 1e9);
    }

    private long[] runFramewise(Runner c, int batch, double seconds) {
        long t0 = System.nanoTime();
        long n = 0;
        long now;
        do {
            c.run(batch);
            n += batch;
            now = System.nanoTime();
        } while (now - t0 < seconds * 1e9);
        return new long[] {n, now - t0};
    }

    private long[] runPeer(TflitePeer p, int batch, double seconds) {
        int bytes = model.imageBytes();
        long t0 = System.nanoTime();
        long n = 0;
        long now;
        do {
            for (int i = 0; i < batch; i++) {
                p.invoke(images, i * bytes);
            }
            n += batch;
            now = System.nanoTime();
        } while (now - t0 < seconds * 1e9);
        return new long[] {n, now - t0};
    }

    /** Time and multiply-adds of one layer kind per image. */
    public record KindFigures(double ms, long macs) {
        public double gflops() {
            return 2.0 * macs / (ms * 1e6);
        }
    }

    /**
     * Where the time goes, per layer kind, per image (profiling on, 1 thread): a fused block's phases
     * count under expand, depthwise and project, with their multiply-adds, so each kind's GFLOP/s says
     * how close its kernels run to the FMA peak wherever they run.
     */
    public Map<Step.Kind, KindFigures> breakdown(int batch, double seconds) {
        try (Runner c = runner(batch, 1)) {
            runFramewise(c, batch, Math.min(1.0, seconds / 2));
            c.setProfiling(true);
            long[] r = runFramewise(c, batch, seconds);
            long[] byKind = c.nanosByKind().get();
            List<Step> steps = model.plan().steps();
            Map<Step.Kind, KindFigures> figures = new LinkedHashMap<>();
            for (Step.Kind k : Step.Kind.values()) {
                if (byKind[k.ordinal()] > 0) {
                    long macs = steps.stream().mapToLong(st -> st.macsPerImage(k)).sum();
                    figures.put(k, new KindFigures(byKind[k.ordinal()] / 1e6 / r[0], macs));
                }
            }
            return figures;
        }
    }

    /** The phases of a block the per-block table splits its time into. */
    public static final List<Step.Kind> PHASES = List.of(Step.Kind.EXPAND, Step.Kind.DEPTHWISE, Step.Kind.PROJECT);

    /**
     * Time and heap allocation of one block per image (allocation is 0 unless C2 boxed a kernel's
     * vectors), and its time and multiply-adds by {@link #PHASES} (a residual add counts under project).
     */
    public record BlockFigures(double ms, double bytes, long macs, double[] phaseMs, long[] phaseMacs) {
        public double gflops() {
            return 2.0 * macs / (ms * 1e6);
        }

        /** GFLOP/s of phase {@code p} of {@link #PHASES}; NaN when the block has no such phase. */
        public double phaseGflops(int p) {
            return phaseMacs[p] > 0 && phaseMs[p] > 0 ? 2.0 * phaseMacs[p] / (phaseMs[p] * 1e6) : Double.NaN;
        }

        BlockFigures plus(BlockFigures o) {
            double[] pm = phaseMs.clone();
            long[] pc = phaseMacs.clone();
            for (int p = 0; p < pm.length; p++) {
                pm[p] += o.phaseMs[p];
                pc[p] += o.phaseMacs[p];
            }
            return new BlockFigures(ms + o.ms, bytes + o.bytes, macs + o.macs, pm, pc);
        }
    }

    /** Per recognised block (steps named "B<n> ..."), ms and bytes per image, whole and by phase; 1 thread. */
    public Map<String, BlockFigures> blockTimes(int batch, double seconds) {
        try (Runner c = runner(batch, 1)) {
            runFramewise(c, batch, Math.min(1.0, seconds / 2));
            c.setProfiling(true);
            long[] r = runFramewise(c, batch, seconds);
            long[] bySteps = c.nanosByStep().get();
            long[] byStepKind = c.nanosByStepKind().get();
            long[] bytesBySteps = c.bytesByStep().get();
            int kinds = Step.Kind.values().length;
            List<Step> steps = model.plan().steps();
            Map<String, BlockFigures> figures = new LinkedHashMap<>();
            for (int i = 0; i < steps.size(); i++) {
                Step st = steps.get(i);
                String name = st.name();
                if (name.startsWith("B")) {
                    String block = name.substring(0, name.indexOf(' '));
                    double[] phaseMs = new double[PHASES.size()];
                    long[] phaseMacs = new long[PHASES.size()];
                    for (int p = 0; p < PHASES.size(); p++) {
                        Step.Kind k = PHASES.get(p);
                        phaseMs[p] = byStepKind[i * kinds + k.ordinal()] / 1e6 / r[0];
                        phaseMacs[p] = st.macsPerImage(k);
                    }
                    // an unfused residual add is its own step: its time goes with the projection it follows
                    phaseMs[2] += byStepKind[i * kinds + Step.Kind.ADD.ordinal()] / 1e6 / r[0];
                    BlockFigures f = new BlockFigures(bySteps[i] / 1e6 / r[0], bytesBySteps[i] / (double) r[0],
                            st.macsPerImage(), phaseMs, phaseMacs);
                    figures.merge(block, f, BlockFigures::plus);
                }
            }
            return figures;
        }
    }
}
