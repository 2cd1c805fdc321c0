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
        if (n > ws.capacity()) {
            throw new IllegalArgumentException("batch of " + n + " exceeds the workspace capacity " + ws.capacity());
        }
        var steps = split != null ? plan.splitSteps() : plan.steps();
        if (!ws.profiling()) {
            for (int i = 0; i < steps.size(); i++) {
                run(steps.get(i), ws, n, split);
            }
            return;
        }
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
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
