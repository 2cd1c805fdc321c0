package io.framewise.inference.exec;

import io.framewise.inference.plan.Plan;
import io.framewise.inference.plan.Workspace;

/**
 * Classifies batches of preprocessed images (RGB bytes at the model's input size, e.g.
 * {@code [N][224][224][3]}) with a shared {@link CompiledModel}. Owns one workspace per thread and
 * the result objects; after the first call of a given size, {@code classify} allocates nothing.
 *
 * <p>With several threads, a batch of at least as many images as threads is split over the threads by
 * images; a smaller one (batch 1 on two threads) runs each layer split over the threads instead
 * ({@link IntraOp}: one fork-join per layer or fused block).
 *
 * <p>Not thread-safe: one classifier per thread of the caller (one per Flink subtask). Results are
 * bit-identical whatever the thread count or batch split: every output element is computed by the
 * same operations whichever thread computes it.
 */
public final class Classifier implements AutoCloseable {

    private final CompiledModel model;
    private final ClassifierOptions options;
    private final Workspace[] workspaces; // [threads]
    private final Classification[] results; // [maxBatch]
    private final BatchWorkers workers;
    private final IntraOp intraOp; // null with one thread
    private final Part part = new Part();

    public Classifier(CompiledModel model, ClassifierOptions options) {
        this.model = model;
        this.options = options;
        int threads = options.threads();
        this.workspaces = IntraOp.teamWorkspaces(model.plan(), options.maxBatch(), threads);
        this.results = new Classification[options.maxBatch()];
        for (int i = 0; i < results.length; i++) {
            results[i] = new Classification(options.topK(), model.numClasses(), options.keepScores());
        }
        this.workers = threads > 1 ? new BatchWorkers(threads, "framewise-infer") : null;
        this.intraOp = workers != null ? new IntraOp(workers, workspaces) : null;
    }

    public CompiledModel model() {
        return model;
    }

    public ClassifierOptions options() {
        return options;
    }

    /**
     * Classifies {@code n <= maxBatch} images packed back to back in {@code pixels}. Returns this
     * classifier's result array; entries {@code [0, n)} are valid until the next call.
     */
    public Classification[] classify(byte[] pixels, int n) {
        int bytes = model.imageBytes();
        if (n < 0 || n > options.maxBatch()) {
            throw new IllegalArgumentException("batch of " + n + " images; this classifier takes 0.." + options.maxBatch());
        }
        if ((long) n * bytes > pixels.length) {
            throw new IllegalArgumentException("pixel buffer holds " + pixels.length + " bytes, " + n + " images need "
                    + (long) n * bytes);
        }
        part.pixels = pixels;
        part.images = null;
        run(n);
        return results;
    }

    /** Like {@link #classify(byte[], int)} with one array per image, each {@code H*W*3} bytes. */
    public Classification[] classify(byte[][] images, int n) {
        if (n < 0 || n > options.maxBatch() || n > images.length) {
            throw new IllegalArgumentException("batch of " + n + " images; this classifier takes 0.." + options.maxBatch());
        }
        for (int i = 0; i < n; i++) {
            if (images[i] == null || images[i].length != model.imageBytes()) {
                throw new IllegalArgumentException("image " + i + " must be " + model.imageBytes() + " bytes (RGB "
                        + model.input().width() + "x" + model.input().height() + ")");
            }
        }
        part.pixels = null;
        part.images = images;
        run(n);
        return results;
    }

    private void run(int n) {
        part.n = n;
        if (n == 0) {
            return;
        }
        if (workers == null) {
            forward(workspaces[0], 0, n, null);
        } else if (n < workspaces.length) {
            forward(workspaces[0], 0, n, intraOp);
        } else {
            workers.run(part, workspaces.length);
        }
    }

    /** Per-step and per-kind timings need profiling on every workspace. */
    public void setProfiling(boolean on) {
        Workspace.setProfiling(workspaces, on);
    }

    /** Nanoseconds per step kind summed over all workspaces. */
    public long[] nanosByKind() {
        return Workspace.sum(workspaces, Workspace::nanosByKind);
    }

    /** Nanoseconds per plan step and kind summed over all workspaces (see {@link Workspace#nanosByStepKind}). */
    public long[] nanosByStepKind() {
        return Workspace.sum(workspaces, Workspace::nanosByStepKind);
    }

    /** Nanoseconds per plan step summed over all workspaces. */
    public long[] nanosByStep() {
        return Workspace.sum(workspaces, Workspace::nanosByStep);
    }

    /** Heap bytes allocated per plan step summed over all workspaces (0 when warmed up). */
    public long[] bytesByStep() {
        return Workspace.sum(workspaces, Workspace::bytesByStep);
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.close();
        }
    }

    /** Images [from, to) of the current call through {@code ws}: input mapping, forward, results. */
    private void forward(Workspace ws, int from, int to, IntraOp split) {
        Plan plan = model.plan();
        float[] in = ws.slot(plan.input().slot());
        int tail = plan.batchFrom();
        if (split == null && to - from > 1 && tail > 0) {
            // image by image through the large early layers, then the batched tail (Plan#batchFrom)
            int end = plan.steps().size();
            for (int i = from; i < to; i++) {
                mapImage(i, in, plan.input().offset(0), null);
                Engine.forward(plan, ws, 1, 0, tail);
                if (tail == end) {
                    results[i].fill(ws.slot(plan.output().slot()), plan.output().offset(0), model.numClasses(),
                            model.labels());
                } else {
                    ws.stage(plan, i - from);
                }
            }
            if (tail < end) {
                ws.unstage(plan, to - from);
                Engine.forward(plan, ws, to - from, tail, end);
                float[] out = ws.slot(plan.output().slot());
                for (int i = from; i < to; i++) {
                    results[i].fill(out, plan.output().offset(i - from), model.numClasses(), model.labels());
                }
            }
            return;
        }
        for (int i = from; i < to; i++) {
            mapImage(i, in, plan.input().offset(i - from), to - from == 1 ? split : null);
        }
        Engine.forward(plan, ws, to - from, split);
        float[] out = ws.slot(plan.output().slot());
        for (int i = from; i < to; i++) {
            results[i].fill(out, plan.output().offset(i - from), model.numClasses(), model.labels());
        }
    }

    /** Image {@code i} of the current call into the input slot at {@code at}; over {@code split}'s team if not null. */
    private void mapImage(int i, float[] in, int at, IntraOp split) {
        int bytes = model.imageBytes();
        byte[] src = part.pixels != null ? part.pixels : part.images[i];
        int srcOff = part.pixels != null ? i * bytes : 0;
        if (split != null) {
            split.mapInput(model.inputMap(), src, srcOff, in, at, bytes, model.graph().input().height());
        } else {
            model.inputMap().map(src, srcOff, in, at, bytes);
        }
    }

    /** Part t of the batch split: a contiguous share of the batch, through workspace t. One instance, reused. */
    private final class Part implements BatchWorkers.Task {
        byte[] pixels;
        byte[][] images;
        int n;

        @Override
        public void run(int t, int thread) {
            int threads = workspaces.length;
            int per = (n + threads - 1) / threads;
            int from = Math.min(n, t * per);
            int to = Math.min(n, from + per);
            if (from < to) {
                forward(workspaces[t], from, to, null);
            }
        }
    }
}
