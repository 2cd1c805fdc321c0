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
        if (n > ws.capacity()) {
            throw new IllegalArgumentException("batch of " + n + " exceeds the workspace capacity " + ws.capacity());
        }
        var steps = plan.steps();
        if (!ws.profiling()) {
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                s.run(ws, n);
                s.snapOutput(ws, n);
            }
            return;
        }
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            long t0 = System.nanoTime();
            s.run(ws, n);
            s.snapOutput(ws, n);
            long dt = System.nanoTime() - t0;
            ws.addStepTime(i, dt);
            if (s.kind() != Step.Kind.FUSED_BLOCK) { // fused blocks time their own phases
                ws.addTime(s.kind(), dt);
            }
        }
    }
}
