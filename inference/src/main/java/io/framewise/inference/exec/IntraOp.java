package io.framewise.inference.exec;

import io.framewise.inference.plan.Step;
import io.framewise.inference.plan.Workspace;
import java.util.function.IntConsumer;

/**
 * Intra-op parallelism: one step's work split over the team of threads (output rows, pixel rows or
 * elements, as the step decides: {@link Step#runPart}), one fork-join per step and nothing allocated.
 * Used when a batch has fewer images than threads, so one image still uses every core. The slots are
 * those of the leading workspace; each part brings its own workspace for its tiles.
 */
final class IntraOp implements IntConsumer {

    private final BatchWorkers workers;
    private final Workspace[] own; // [part]
    private Step step;
    private Workspace ws;
    private int n;

    IntraOp(BatchWorkers workers, Workspace[] own) {
        if (own.length != workers.size()) {
            throw new IllegalArgumentException(own.length + " workspaces for " + workers.size() + " parts");
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
            workers.run(this);
        } finally {
            step = null;
            ws = null;
        }
    }

    @Override
    public void accept(int part) {
        step.runPart(ws, own[part], n, part, own.length);
    }
}
