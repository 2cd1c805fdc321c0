package io.framewise.inference.exec;

import io.framewise.inference.plan.Plan;
import io.framewise.inference.plan.Step;
import io.framewise.inference.plan.Workspace;

/** Runs a plan's steps in order on a workspace: the forward pass. */
public final class Engine {

    private Engine() {
    }

    /** Forward pass over the first {@code n} images already in the workspace's input slot. */
    public static void forward(Plan plan, Workspace ws, int n) {
        forward(plan, ws, n, null);
    }

    /** Same, with the steps that split run over {@code split}'s team (null: all on this thread). */
    static void forward(Plan plan, Workspace ws, int n, IntraOp split) {
        var steps = split != null ? plan.splitSteps() : plan.steps();
        forward(steps, ws, n, split, 0, steps.size());
    }

    /** Steps {@code [from, to)} of the one-thread-per-image plan on the first {@code n} images. */
    static void forward(Plan plan, Workspace ws, int n, int from, int to) {
        forward(plan.steps(), ws, n, null, from, to);
    }

    private static void forward(java.util.List<Step> steps, Workspace ws, int n, IntraOp split, int from, int to) {
        if (n > ws.capacity()) {
            throw new IllegalArgumentException("batch of " + n + " exceeds the workspace capacity " + ws.capacity());
        }
        if (!ws.profiling()) {
            for (int i = from; i < to; i++) {
                run(steps.get(i), ws, n, split);
            }
            return;
        }
        for (int i = from; i < to; i++) {
            Step s = steps.get(i);
            ws.enterStep(i);
            long b0 = AllocationCounter.currentThread();
            long t0 = System.nanoTime();
            run(s, ws, n, split);
            long dt = System.nanoTime() - t0;
            ws.addStepTime(i, dt);
            ws.addStepBytes(i, AllocationCounter.currentThread() - b0);
            if (s.kind() != Step.Kind.FUSED_BLOCK) { // fused blocks time their own phases
                ws.addTime(s.kind(), dt);
            }
        }
        ws.enterStep(-1);
    }

    private static void run(Step s, Workspace ws, int n, IntraOp split) {
        if (split != null && s.splits(n)) {
            split.run(s, ws, n);
        } else {
            s.run(ws, n);
            s.snapOutput(ws, n);
        }
    }
}
