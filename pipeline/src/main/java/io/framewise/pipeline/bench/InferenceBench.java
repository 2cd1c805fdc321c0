package io.framewise.pipeline.bench;

import io.framewise.inference.exec.Classifier;
import io.framewise.inference.exec.ClassifierOptions;
import io.framewise.inference.exec.CompiledModel;
import io.framewise.inference.peer.TflitePeer;
import io.framewise.inference.plan.Step;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Framewise against TFLite (XNNPACK) on the same model file, in the same process, interleaved per
 * setting so that machine noise hits both. TFLite's files have batch 1, so its "batch N" is N
 * invocations; its threads are XNNPACK's thread pool.
 */
public final class InferenceBench {

    /** One batch × threads measurement. */
    public record Row(int batch, int threads, double fwImagesPerSec, double peerImagesPerSec) {
        public double ratio() {
            return peerImagesPerSec > 0 ? fwImagesPerSec / peerImagesPerSec : Double.NaN;
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

    public Row measure(int batch, int threads, double seconds, boolean peer) {
        try (Classifier c = new Classifier(model, ClassifierOptions.defaults().withMaxBatch(batch).withThreads(threads));
             TflitePeer p = peer ? new TflitePeer(modelFile, threads) : null) {
            double slice = seconds / 4;
            runFramewise(c, batch, Math.min(1.0, slice));
            if (p != null) {
                runPeer(p, batch, Math.min(1.0, slice));
            }
            long fwImages = 0;
            long fwNanos = 0;
            long peerImages = 0;
            long peerNanos = 0;
            for (int round = 0; round < 2; round++) {
                long[] r = runFramewise(c, batch, slice);
                fwImages += r[0];
                fwNanos += r[1];
                if (p != null) {
                    long[] q = runPeer(p, batch, slice);
                    peerImages += q[0];
                    peerNanos += q[1];
                }
            }
            return new Row(batch, threads, fwImages / (fwNanos / 1e9), p == null ? 0 : peerImages / (peerNanos / 1e9));
        }
    }

    private long[] runFramewise(Classifier c, int batch, double seconds) {
        long t0 = System.nanoTime();
        long n = 0;
        long now;
        do {
            c.classify(images, batch);
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

    /** Where the time goes, per step kind, in ms per image (profiling on, 1 thread). */
    public Map<Step.Kind, Double> breakdown(int batch, double seconds) {
        try (Classifier c = new Classifier(model, ClassifierOptions.defaults().withMaxBatch(batch))) {
            runFramewise(c, batch, Math.min(1.0, seconds / 2));
            c.setProfiling(true);
            long[] r = runFramewise(c, batch, seconds);
            long[] byKind = c.nanosByKind();
            Map<Step.Kind, Double> ms = new LinkedHashMap<>();
            for (Step.Kind k : Step.Kind.values()) {
                if (byKind[k.ordinal()] > 0) {
                    ms.put(k, byKind[k.ordinal()] / 1e6 / r[0]);
                }
            }
            return ms;
        }
    }

    /** Per recognised block (steps named "B<n> ..."), ms per image; 1 thread. */
    public Map<String, Double> blockTimes(int batch, double seconds) {
        try (Classifier c = new Classifier(model, ClassifierOptions.defaults().withMaxBatch(batch))) {
            runFramewise(c, batch, Math.min(1.0, seconds / 2));
            c.setProfiling(true);
            long[] r = runFramewise(c, batch, seconds);
            long[] bySteps = c.nanosByStep();
            List<Step> steps = model.plan().steps();
            Map<String, Double> ms = new LinkedHashMap<>();
            for (int i = 0; i < steps.size(); i++) {
                String name = steps.get(i).name();
                if (name.startsWith("B")) {
                    String block = name.substring(0, name.indexOf(' '));
                    ms.merge(block, bySteps[i] / 1e6 / r[0], Double::sum);
                }
            }
            return ms;
        }
    }
}
