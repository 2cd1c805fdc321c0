package io.framewise.inference.exec;

import io.framewise.inference.plan.Plan;
import io.framewise.inference.plan.Step;
import io.framewise.inference.plan.Workspace;
import io.framewise.inference.preprocess.InputQuantization;

/**
 * Intra-op parallelism: one step's work split over the team of threads (output rows, pixel rows or
 * elements, as the step decides: {@link Step#runPart}), one fork-join per step and nothing allocated.
 * Used when a batch has fewer images than threads, so one image still uses every core. The slots are
 * those of the leading workspace; each team thread brings its own workspace for its tiles.
 */
final class IntraOp implements BatchWorkers.Task {

    /**
     * Parts per thread. One: a thread's part of one layer is the band the next layer's same part reads
     * ({@link BatchWorkers}: owners first), a late thread's part is still taken by the other, and every
     * band edge of a fused block recomputes {@code kh - stride} expanded rows. At 2 parts per thread,
     * MobileNetV2 b1t2 ran the 14×14 fused blocks 4-7 % slower (4.87 against 4.80 ms an image).
     */
    static final int PARTS_PER_THREAD = 1;

    private final BatchWorkers workers;
    private final Workspace[] own; // [thread]
    private Step step;
    private Workspace ws;
    private int n;

    /**
     * One workspace per thread for batches of up to {@code maxBatch} split over {@code threads}: each holds
     * its share of a batch, and the first also a whole batch smaller than the thread count (run split
     * per layer through an {@code IntraOp} over these workspaces).
     */
    static Workspace[] teamWorkspaces(Plan plan, int maxBatch, int threads) {
        int perThread = (maxBatch + threads - 1) / threads;
        Workspace[] ws = new Workspace[threads];
        for (int t = 0; t < threads; t++) {
            int capacity = t == 0 ? Math.max(perThread, Math.min(maxBatch, threads - 1)) : perThread;
            ws[t] = new Workspace(plan, capacity);
        }
        return ws;
    }

    IntraOp(BatchWorkers workers, Workspace[] own) {
        if (own.length != workers.size()) {
            throw new IllegalArgumentException(own.length + " workspaces for " + workers.size() + " threads");
        }
        this.workers = workers;
        this.own = own;
    }

    /** Runs {@code s} (and its snapping) on the first {@code n} images of {@code ws}, split over the team. */
    void run(Step s, Workspace slots, int images) {
        step = s;
        ws = slots;
        n = images;
        try {
            workers.run(this, own.length * PARTS_PER_THREAD);
        } finally {
            step = null;
            ws = null;
        }
    }

    @Override
    public void run(int part, int thread) {
        step.runPart(ws, own[thread], n, part, own.length * PARTS_PER_THREAD);
    }

    /**
     * Maps one image's bytes to the input floats in bands of {@code rows} rows, band p on the thread that
     * owns part p of every step ({@link BatchWorkers}), so the stem reads its band from its own core. On
     * one thread, DeepLab's 513×513 stem ran 1.26× as fast on 2 threads as on one, half its input
     * sitting in the other core's cache.
     */
    void mapInput(InputQuantization map, byte[] src, int srcOff, float[] dst, int dstOff, int bytes, int rows) {
        inputMap.set(map, src, srcOff, dst, dstOff, bytes, rows);
        try {
            workers.run(inputMap, own.length * PARTS_PER_THREAD);
        } finally {
            inputMap.set(null, null, 0, null, 0, 0, 1);
        }
    }

    private final InputMapTask inputMap = new InputMapTask();

    /** The band of an image's rows that part p maps. One instance, reused: nothing is allocated per call. */
    private final class InputMapTask implements BatchWorkers.Task {
        private InputQuantization map;
        private byte[] src;
        private float[] dst;
        private int srcOff, dstOff, bytes, rows;

        void set(InputQuantization m, byte[] s, int so, float[] d, int dOff, int b, int r) {
            map = m;
            src = s;
            srcOff = so;
            dst = d;
            dstOff = dOff;
            bytes = b;
            rows = r;
        }

        @Override
        public void run(int part, int thread) {
            int parts = own.length * PARTS_PER_THREAD;
            int rowBytes = bytes / rows;
            int r0 = (int) ((long) rows * part / parts), r1 = (int) ((long) rows * (part + 1) / parts);
            map.map(src, srcOff + r0 * rowBytes, dst, dstOff + r0 * rowBytes, (r1 - r0) * rowBytes);
        }
    }
}
