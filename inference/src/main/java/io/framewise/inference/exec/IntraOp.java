package io.framewise.inference.exec;

import io.framewise.inference.plan.Plan;
import io.framewise.inference.plan.Step;
import io.framewise.inference.plan.Workspace;

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
}
