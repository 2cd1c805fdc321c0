package io.framewise.inference.exec;

import io.framewise.inference.plan.Step;
import io.framewise.inference.plan.Workspace;

/**
 * Intra-op parallelism: one step's work split over the team of threads (output rows, pixel rows or
 * elements, as the step decides: {@link Step#runPart}), one fork-join per step and nothing allocated.
 * Used when a batch has fewer images than threads, so one image still uses every core. The slots are
 * those of the leading workspace; each team thread brings its own workspace for its tiles.
 */
final class IntraOp implements BatchWorkers.Task {

    /** Parts per thread: more parts than threads balance a late or slowed thread, at a few recomputed rows. */
    static final int PARTS_PER_THREAD = 2;

    private final BatchWorkers workers;
    private final Workspace[] own; // [thread]
    private Step step;
    private Workspace ws;
    private int n;

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
