package io.framewise.pipeline.cli;

import io.framewise.inference.exec.CompiledModel;
import io.framewise.inference.exec.SharedModels;
import io.framewise.inference.kernels.select.KernelSelection;
import io.framewise.inference.plan.PlanOptions;
import io.framewise.inference.plan.Step;
import io.framewise.pipeline.bench.FmaPeak;
import io.framewise.pipeline.bench.InferenceBench;
import io.framewise.pipeline.bench.RoundStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code framewise bench}: images/s of Framewise and of TFLite on the same model, side by side. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Throughput of the inference core per batch x threads, against TFLite 2.20 + XNNPACK "
                + "on the same model file in the same run.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = SharedModels.DEFAULT_MODEL, description = "Model (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--batch", split = ",", defaultValue = "1,8,32", description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "Thread counts (default: ${DEFAULT-VALUE}).")
    List<Integer> threads;

    @Option(names = "--seconds", defaultValue = "6", description = "Measured seconds per setting, split between the two engines and the rounds (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--rounds", defaultValue = "5", description = "Interleaved framewise/peer round pairs per setting; "
            + "medians, spreads and per-pair ratios are printed (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--peer", defaultValue = "tflite", description = "tflite or none (default: ${DEFAULT-VALUE}).")
    String peer;

    @Option(names = "--breakdown", description = "Also print where the time goes: per layer kind (stem, expand, depthwise, project, head) and per block.")
    boolean breakdown;

    @Option(names = "--blocks", description = "Also print fused vs unfused time per block.")
    boolean blocks;

    @Override
    public Integer call() throws IOException {
        if (!peer.equals("tflite") && !peer.equals("none")) {
            throw new IllegalArgumentException("--peer must be tflite or none, got '" + peer + "'");
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be >= 1");
        }
        for (int v : batches) {
            if (v < 1) {
                throw new IllegalArgumentException("--batch values must be >= 1");
            }
        }
        Path file = SharedModels.modelPath(model);
        CompiledModel m = SharedModels.load(model, null);
        int maxBatch = batches.stream().mapToInt(Integer::intValue).max().orElse(1);
        byte[] images = photos(m, maxBatch);
        double macs = m.plan().macsPerImage();
        System.out.printf("model %s: %.1fM multiply-adds/image, kernels %s, %d fused blocks (fusion %s), %d layer%s on"
                        + " byte weights at batch 1-2%n",
                m.graph().name(), macs / 1e6, m.plan().kernels().name(), m.plan().fusedBlocks(),
                m.plan().options().fusion().name().toLowerCase(), m.plan().byteWeightLayers(),
                m.plan().byteWeightLayers() == 1 ? "" : "s");
        boolean vector = KernelSelection.get().name().startsWith("vector");
        double peak = vector ? FmaPeak.measure(1.0) : Double.NaN;
        System.out.printf("machine: %d cores; measured FMA peak %.1f GFLOP/s per core (%d-lane vectors, 12 chains)%n",
                Runtime.getRuntime().availableProcessors(), peak, vector ? FmaPeak.lanes() : 0);
        System.out.printf("%d interleaved round pairs per setting; figures are medians over rounds, spread = (max - min) / median%n",
                rounds);
        System.out.printf("%5s %7s | %11s %6s %7s %7s %6s | %9s %6s | %6s %13s | %s%n", "batch", "threads",
                "framewise/s", "spread", "ms/img", "GFLOP/s", "%peak", "tflite/s", "spread", "ratio", "ratio min-max",
                "verdict");
        InferenceBench bench = new InferenceBench(m, file, images, System.out);
        List<String> roundLines = new ArrayList<>();
        for (int t : threads) {
            for (int b : batches) {
                double settingPeak = vector ? FmaPeak.measure(0.3) : Double.NaN;
                peak = Math.max(peak, settingPeak);
                InferenceBench.Row r = bench.measure(b, t, seconds, rounds, peer.equals("tflite"));
                RoundStats st = r.rounds();
                double gflops = r.fwImagesPerSec() * macs * 2 / 1e9;
                double[] ratios = st.ratios();
                System.out.printf("%5d %7d | %11.1f %5.0f%% %7.2f %7.1f %5.0f%% | %9s %6s | %6s %13s | %s%n",
                        b, t, r.fwImagesPerSec(), 100 * RoundStats.spread(st.fw()), 1000 / r.fwImagesPerSec(), gflops,
                        100 * gflops / (peak * Math.min(t, Runtime.getRuntime().availableProcessors())),
                        st.hasPeer() ? String.format("%.1f", r.peerImagesPerSec()) : "-",
                        st.hasPeer() ? String.format("%.0f%%", 100 * RoundStats.spread(st.peer())) : "-",
                        st.hasPeer() ? String.format("%.2f", r.ratio()) : "-",
                        st.hasPeer() ? String.format("%.2f-%.2f", Arrays.stream(ratios).min().orElseThrow(),
                                Arrays.stream(ratios).max().orElseThrow()) : "-",
                        st.verdict() + boxed(r.bytesPerImage()));
                roundLines.add(String.format("  b%dt%d framewise %s | tflite %s | ratio %s | bytes/img %s | JIT ms %s"
                                + " | FMA peak before %.1f | warm-up %s",
                        b, t, join(st.fw(), "%.1f"), st.hasPeer() ? join(st.peer(), "%.1f") : "-",
                        st.hasPeer() ? join(ratios, "%.2f") : "-", join(r.bytesPerImage(), "%.0f"),
                        join(r.jitMillis(), "%.0f"), settingPeak, r.warmUp()));
            }
        }
        System.out.println("rounds (images/s per round, in order):");
        roundLines.forEach(System.out::println);
        // the profiling runs use the images the rounds used: at most batch 8, the breakdown's usual batch
        int profileBatch = Math.min(8, maxBatch);
        if (breakdown) {
            double pk = peak; // the highest probe of the run, as the table's %peak column uses
            Map<Step.Kind, InferenceBench.KindFigures> kinds = bench.breakdown(profileBatch, seconds);
            double total = kinds.values().stream().mapToDouble(InferenceBench.KindFigures::ms).sum();
            System.out.printf("time per image by layer kind (batch %d, 1 thread, profiling on; fused blocks by phase,"
                    + " their residual add under project; %%peak against %.1f GFLOP/s):%n", profileBatch, pk);
            kinds.forEach((k, v) -> System.out.printf("  %-10s %7.3f ms  %5.1f%%%s%n", k.name().toLowerCase(), v.ms(),
                    100 * v.ms() / total, v.macs() > 0 ? String.format("  %8.1f MFLOP %6.1f GFLOP/s %4.0f%%",
                            2 * v.macs() / 1e6, v.gflops(), 100 * v.gflops() / pk) : ""));
            Map<String, InferenceBench.BlockFigures> perBlock = bench.blockTimes(profileBatch, seconds);
            System.out.printf("time and heap allocation per image by block (batch %d, 1 thread, profiling on; f = fused;"
                    + " any KB here is a kernel C2 compiled with boxed vectors), then by phase: ms, GFLOP/s, %%peak"
                    + " (the residual add under project):%n", profileBatch);
            perBlock.forEach((blk, v) -> System.out.printf("  %-5s %7.3f ms  %5.1f%%  %6.1f GFLOP/s %4.0f%%  %8.1f KB%s |%s%n",
                    blk, v.ms(), 100 * v.ms() / total, v.gflops(), 100 * v.gflops() / pk, v.bytes() / 1024,
                    m.plan().steps().stream().anyMatch(st -> st.name().startsWith(blk + " ")
                            && st.kind() == Step.Kind.FUSED_BLOCK) ? "  f" : "   ", phases(v, pk)));
        }
        if (blocks) {
            PlanOptions base = PlanOptions.fromSystemProperties();
            CompiledModel fused = SharedModels.compile(model, base.withFusion(PlanOptions.Fusion.ALWAYS));
            CompiledModel unfused = SharedModels.compile(model, base.withFusion(PlanOptions.Fusion.NEVER));
            Map<String, InferenceBench.BlockFigures> f = new InferenceBench(fused, file, images, System.out).blockTimes(profileBatch, seconds);
            Map<String, InferenceBench.BlockFigures> u = new InferenceBench(unfused, file, images, System.out).blockTimes(profileBatch, seconds);
            System.out.printf("block time per image, fused vs unfused (batch %d, 1 thread):%n", profileBatch);
            System.out.printf("  %-5s %10s %10s %7s  %s%n", "block", "fused ms", "unfused ms", "f/u", "chosen by auto");
            CompiledModel auto = m;
            for (String blk : f.keySet()) {
                boolean autoFused = auto.plan().steps().stream()
                        .anyMatch(s -> s.name().startsWith(blk + " ") && s.kind() == Step.Kind.FUSED_BLOCK);
                double fm = f.get(blk).ms();
                double um = u.containsKey(blk) ? u.get(blk).ms() : Double.NaN;
                System.out.printf("  %-5s %10.3f %10.3f %7.2f  %s%n", blk, fm, um, fm / um, autoFused ? "fused" : "unfused");
            }
        }
        return 0;
    }

    /**
     * A warmed-up forward allocates nothing; the bench loop and other threads account for well under
     * a kilobyte per image. The boxing modes C2 has produced allocate 405 KB to 20 MB per image (one box
     * per vector of a whole layer or more): from {@link #BOXING_BYTES} on, the slow-JVM mode is named.
     * Between the two (7-24 KB seen) is a few hundred vectors per image; it fades as compilation
     * finishes, most likely once-per-image kernels still in C1 code: reported, not named a mode.
     */
    static String boxed(double[] bytesPerImage) {
        double median = RoundStats.median(bytesPerImage);
        if (median >= BOXING_BYTES) {
            return String.format("; JIT BOXED VECTORS: %.0f KB/img allocated (slow-JVM mode, docs/benchmarks.md)",
                    median / 1024);
        }
        return median > 1024 ? String.format("; %.0f KB/img allocated (a few hundred vectors: not a boxing mode,"
                + " docs/benchmarks.md)", median / 1024) : "";
    }

    /** Bytes per image from which the rounds' allocation is a boxing mode: below the smallest one seen (405 KB). */
    static final double BOXING_BYTES = 64 * 1024;

    private static String join(double[] v, String format) {
        StringBuilder b = new StringBuilder();
        for (double x : v) {
            b.append(b.length() == 0 ? "" : " ").append(String.format(format, x));
        }
        return b.toString();
    }

    /** The shared photos resized to the model input, repeated to fill the batch (random pixels without them). */
    private static byte[] photos(CompiledModel m, int n) throws IOException {
        byte[] out = new byte[n * m.imageBytes()];
        List<Path> files = new ArrayList<>();
        Path dir = SharedModels.dataDir().map(d -> d.resolve("images")).orElse(null);
        if (dir != null && Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().matches(".*\\.(bmp|jpg|png)$")).sorted().forEach(files::add);
            }
        }
        if (files.isEmpty()) {
            new java.util.Random(1).nextBytes(out);
            return out;
        }
        for (int i = 0; i < n; i++) {
            ModelTasks.readInto(files.get(i % files.size()), m.input(), null, out, i * m.imageBytes());
        }
        return out;
    }

    /** A block's phases for the per-block table: {@code expand 0.412 ms 61.0 27% | dw ... | project ...}. */
    private static String phases(InferenceBench.BlockFigures v, double peak) {
        String[] names = {"expand", "dw", "project"};
        StringBuilder b = new StringBuilder();
        for (int p = 0; p < InferenceBench.PHASES.size(); p++) {
            if (v.phaseMacs()[p] == 0) {
                continue;
            }
            double g = v.phaseGflops(p);
            b.append(String.format(" %s %.3f ms %5.1f %3.0f%% ", names[p], v.phaseMs()[p], g, 100 * g / peak));
            if (p < InferenceBench.PHASES.size() - 1) {
                b.append('|');
            }
        }
        return b.toString();
    }
}
