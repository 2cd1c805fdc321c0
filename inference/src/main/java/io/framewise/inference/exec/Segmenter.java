package io.framewise.inference.exec;

import io.framewise.inference.plan.Plan;
import io.framewise.inference.plan.Workspace;

/**
 * Segments batches of preprocessed images (RGB bytes at the model's input size, e.g.
 * {@code [N][513][513][3]}) with a shared segmentation {@link CompiledModel} (a graph ending in
 * ARG_MAX). The sibling of {@link Classifier}, with the same lifetimes: one workspace per thread and
 * the class maps owned here, so after the first call {@link #segment} allocates nothing;
 * {@link #result} builds the (allocating) summary of one image on request.
 *
 * <p>Not thread-safe: one segmenter per thread of the caller. Threads split the batch (each image is
 * computed by the same code on its own, so results do not depend on the split); a batch smaller than the
 * threads is split layer by layer instead ({@link IntraOp}: output row bands, bit-identical to one thread),
 * so one 513x513 frame still uses every core.
 */
public final class Segmenter implements AutoCloseable {

    private final CompiledModel model;
    private final ClassifierOptions options;
    private final Workspace[] workspaces; // [threads]
    private final byte[][] maps;          // [maxBatch][H * W] class per pixel
    private final Segmentation.RegionScratch regionScratch; // for result(): the caller's thread, one frame at a time
    private final BatchWorkers workers;
    private final IntraOp intraOp; // null with one thread
    private final Part part = new Part();

    public Segmenter(CompiledModel model, ClassifierOptions options) {
        if (!model.graph().isSegmentation()) {
            throw new IllegalArgumentException(model.graph().name() + " is a classification model (it does not end "
                    + "in ARG_MAX); use a Classifier");
        }
        this.model = model;
        this.options = options;
        int threads = options.threads();
        this.workspaces = IntraOp.teamWorkspaces(model.plan(), options.maxBatch(), threads);
        this.maps = new byte[options.maxBatch()][mapWidth() * mapHeight()];
        this.regionScratch = new Segmentation.RegionScratch(mapWidth() * mapHeight());
        this.workers = threads > 1 ? new BatchWorkers(threads, "framewise-segment") : null;
        this.intraOp = workers != null ? new IntraOp(workers, workspaces) : null;
    }

    public CompiledModel model() {
        return model;
    }

    /** Width of the class map (the model's output, e.g. 513). */
    public int mapWidth() {
        return model.graph().tensor(model.graph().outputTensor()).shape()[1];
    }

    public int mapHeight() {
        return model.graph().tensor(model.graph().outputTensor()).shape()[0];
    }

    /**
     * Segments {@code n <= maxBatch} images, one array of {@code H*W*3} bytes each. Returns this
     * segmenter's class maps ({@code [i][y * mapWidth + x]} = class index); entries {@code [0, n)} are
     * valid until the next call.
     */
    public byte[][] segment(byte[][] images, int n) {
        if (n < 0 || n > options.maxBatch() || n > images.length) {
            throw new IllegalArgumentException("batch of " + n + " images; this segmenter takes 0.." + options.maxBatch());
        }
        for (int i = 0; i < n; i++) {
            if (images[i] == null || images[i].length != model.imageBytes()) {
                throw new IllegalArgumentException("image " + i + " must be " + model.imageBytes() + " bytes (RGB "
                        + model.input().width() + "x" + model.input().height() + ")");
            }
        }
        part.images = images;
        part.n = n;
        if (n > 0) {
            if (workers == null) {
                forward(workspaces[0], 0, n, null);
            } else if (n < workspaces.length) {
                forward(workspaces[0], 0, n, intraOp);
            } else {
                workers.run(part, workspaces.length);
            }
        }
        return maps;
    }

    /**
     * The summary of image {@code i} of the last {@link #segment} call, boxes scaled to a frame of
     * {@code frameWidth × frameHeight} (the picture before it was resized to the model's input).
     */
    public Segmentation result(int i, int frameWidth, int frameHeight, double minRegionFraction, boolean keepMap) {
        return Segmentation.of(maps[i], mapWidth(), mapHeight(), frameWidth, frameHeight, model.labels(),
                model.numClasses(), minRegionFraction, keepMap, regionScratch);
    }

    /** Per-step timings (bench --breakdown). */
    public void setProfiling(boolean on) {
        Workspace.setProfiling(workspaces, on);
    }

    /** Nanoseconds per step kind summed over all workspaces (fused blocks also by phase). */
    public long[] nanosByKind() {
        return Workspace.sum(workspaces, Workspace::nanosByKind);
    }

    /** Nanoseconds per plan step and kind summed over all workspaces (see {@link Workspace#nanosByStepKind}). */
    public long[] nanosByStepKind() {
        return Workspace.sum(workspaces, Workspace::nanosByStepKind);
    }

    /** Nanoseconds and heap bytes (0 when warmed up) per plan step, summed over all workspaces. */
    public long[] nanosByStep() {
        return Workspace.sum(workspaces, Workspace::nanosByStep);
    }

    public long[] bytesByStep() {
        return Workspace.sum(workspaces, Workspace::bytesByStep);
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.close();
        }
    }

    /** The work of one thread: a contiguous share of the batch. One instance, reused. */
    private final class Part implements BatchWorkers.Task {
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

    /** Images [from, to) of the current call through {@code ws} ({@code split}: over the team, layer by layer). */
    private void forward(Workspace ws, int from, int to, IntraOp split) {
        Plan plan = model.plan();
        int bytes = model.imageBytes();
        float[] in = ws.slot(plan.input().slot());
        if (split == null && to - from > 1 && plan.batchFrom() == plan.steps().size()) {
            // image by image: a 513×513 image's tensors already overflow L2 (Plan#batchFrom)
            for (int i = from; i < to; i++) {
                model.inputMap().map(part.images[i], 0, in, plan.input().offset(0), bytes);
                Engine.forward(plan, ws, 1, 0, plan.steps().size());
                takeMap(ws, plan, 0, i);
            }
            return;
        }
        for (int i = from; i < to; i++) {
            if (split != null && to - from == 1) { // the stem's bands, each on the core that owns it
                split.mapInput(model.inputMap(), part.images[i], 0, in, plan.input().offset(0), bytes, model.graph().input().height());
            } else {
                model.inputMap().map(part.images[i], 0, in, plan.input().offset(i - from), bytes);
            }
        }
        Engine.forward(plan, ws, to - from, split);
        for (int i = from; i < to; i++) {
            takeMap(ws, plan, i - from, i);
        }
    }

    /** Class map of workspace image {@code at} into {@code maps[i]}. */
    private void takeMap(Workspace ws, Plan plan, int at, int i) {
        float[] out = ws.slot(plan.output().slot());
        int o = plan.output().offset(at);
        byte[] map = maps[i];
        for (int p = 0; p < map.length; p++) {
            map[p] = (byte) out[o + p]; // class indices are small exact integers
        }
    }
}
