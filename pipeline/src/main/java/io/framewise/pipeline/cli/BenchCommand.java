package io.framewise.pipeline.cli;

import io.framewise.inference.exec.CompiledModel;
import io.framewise.inference.exec.SharedModels;
import io.framewise.inference.kernels.select.KernelSelection;
import io.framewise.inference.plan.PlanOptions;
import io.framewise.inference.plan.Step;
import io.framewise.pipeline.bench.FmaPeak;
import io.framewise.pipeline.bench.InferenceBench;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    @Option(names = "--seconds", defaultValue = "6", description = "Measured seconds per setting, split between the two engines (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--peer", defaultValue = "tflite", description = "tflite or none (default: ${DEFAULT-VALUE}).")
    String peer;

    @Option(names = "--breakdown", description = "Also print where the time goes (stem, expand, depthwise, project, head).")
    boolean breakdown;

    @Option(names = "--blocks", description = "Also print fused vs unfused time per block.")
    boolean blocks;

    @Override
    public Integer call() throws IOException {
        if (!peer.equals("tflite") && !peer.equals("none")) {
            throw new IllegalArgumentException("--peer must be tflite or none, got '" + peer + "'");
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
        System.out.printf("model %s: %.1fM multiply-adds/image, kernels %s, %d fused blocks (fusion %s)%n",
                m.graph().name(), macs / 1e6, m.plan().kernels().name(), m.plan().fusedBlocks(),
                m.plan().options().fusion().name().toLowerCase());
        double peak = KernelSelection.get().name().startsWith("vector") ? FmaPeak.measure(1.0) : Double.NaN;
        System.out.printf("machine: %d cores; measured FMA peak %.1f GFLOP/s per core (%d-lane vectors, 12 chains)%n",
                Runtime.getRuntime().availableProcessors(), peak, KernelSelection.get().name().startsWith("vector") ? FmaPeak.lanes() : 0);
        System.out.printf("%5s %7s | %13s %8s %8s %6s | %13s %8s | %6s%n",
                "batch", "threads", "framewise/s", "ms/img", "GFLOP/s", "%peak", "tflite/s", "ms/img", "ratio");
        InferenceBench bench = new InferenceBench(m, file, images, System.out);
        for (int t : threads) {
            for (int b : batches) {
                InferenceBench.Row r = bench.measure(b, t, seconds, peer.equals("tflite"));
                double gflops = r.fwImagesPerSec() * macs * 2 / 1e9;
                System.out.printf("%5d %7d | %13.1f %8.2f %8.1f %5.0f%% | %13s %8s | %6s%n",
                        b, t, r.fwImagesPerSec(), 1000 / r.fwImagesPerSec(), gflops, 100 * gflops / (peak * t),
                        r.peerImagesPerSec() > 0 ? String.format("%.1f", r.peerImagesPerSec()) : "-",
                        r.peerImagesPerSec() > 0 ? String.format("%.2f", 1000 / r.peerImagesPerSec()) : "-",
                        r.peerImagesPerSec() > 0 ? String.format("%.2f", r.ratio()) : "-");
            }
        }
        if (breakdown) {
            Map<Step.Kind, Double> ms = bench.breakdown(8, seconds);
            double total = ms.values().stream().mapToDouble(Double::doubleValue).sum();
            System.out.println("time per image by layer kind (batch 8, 1 thread, profiling on):");
            ms.forEach((k, v) -> System.out.printf("  %-10s %7.3f ms  %5.1f%%%n", k.name().toLowerCase(), v, 100 * v / total));
        }
        if (blocks) {
            PlanOptions base = PlanOptions.fromSystemProperties();
            CompiledModel fused = SharedModels.compile(model, base.withFusion(PlanOptions.Fusion.ALWAYS));
            CompiledModel unfused = SharedModels.compile(model, base.withFusion(PlanOptions.Fusion.NEVER));
            Map<String, Double> f = new InferenceBench(fused, file, images, System.out).blockTimes(8, seconds);
            Map<String, Double> u = new InferenceBench(unfused, file, images, System.out).blockTimes(8, seconds);
            System.out.println("block time per image, fused vs unfused (batch 8, 1 thread):");
            System.out.printf("  %-5s %10s %10s %7s  %s%n", "block", "fused ms", "unfused ms", "f/u", "chosen by auto");
            CompiledModel auto = m;
            for (String blk : f.keySet()) {
                boolean autoFused = auto.plan().steps().stream()
                        .anyMatch(s -> s.name().startsWith(blk + " ") && s.kind() == Step.Kind.FUSED_BLOCK);
                System.out.printf("  %-5s %10.3f %10.3f %7.2f  %s%n", blk, f.get(blk), u.getOrDefault(blk, Double.NaN),
                        f.get(blk) / u.getOrDefault(blk, Double.NaN), autoFused ? "fused" : "unfused");
            }
        }
        return 0;
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
}
