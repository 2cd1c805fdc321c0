package io.framewise.inference.plan;

import io.framewise.inference.kernels.KernelSet;

/**
 * Everything mutable one thread needs to run a plan, allocated once: the activation slots sized for
 * {@code capacity} images, the fused blocks' tiles, and profiling counters. A forward pass allocates
 * nothing. Not thread-safe: one workspace per thread.
 */
public final class Workspace {

    private final float[][] slots;   // slot s: [capacity][slotFloats[s]]
    private final float[] staging; // [capacity][batch input], see stage
    private final float[] expandTile; // [tile rows][W][Cexp] of the widest fused block
    private final float[] dwTile;     // [tile rows][OW][Cexp]
    private final int capacity;
    private boolean profiling;
    private final long[] nanosByKind = new long[Step.Kind.values().length];
    private final long[] nanosByStep;
    private final long[] bytesByStep; // heap bytes this thread allocated inside each step (profiling only)
    private final long[] nanosByStepKind; // [steps][Kind]: a fused block's phases apart, for the per-block table
    private int step = -1;               // the step being timed, or -1

    public Workspace(Plan plan, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("workspace capacity must be >= 1 image");
        }
        this.capacity = capacity;
        int[] sizes = plan.slotFloats();
        this.slots = new float[sizes.length][];
        for (int s = 0; s < sizes.length; s++) {
            slots[s] = AlignedFloats.allocate(Math.addExact(Math.multiplyExact(sizes[s], capacity),
                    AlignedFloats.BASE + KernelSet.ARRAY_PAD));
        }
        this.staging = plan.batchFrom() < plan.steps().size()
                ? new float[AlignedFloats.BASE + Math.multiplyExact(plan.batchInput().imageStride(), capacity)]
                : new float[0];
        this.expandTile = AlignedFloats.allocate(AlignedFloats.BASE + plan.expandTile() + KernelSet.ARRAY_PAD);
        this.dwTile = AlignedFloats.allocate(AlignedFloats.BASE + plan.dwTile() + KernelSet.ARRAY_PAD);
        // indexed by position in whichever list ran (steps or splitSteps)
        int maxSteps = Math.max(plan.steps().size(), plan.splitSteps().size());
        this.nanosByStep = new long[maxSteps];
        this.bytesByStep = new long[maxSteps];
        this.nanosByStepKind = new long[maxSteps * KINDS];
    }

    private static final int KINDS = Step.Kind.values().length;

    public float[] slot(int s) {
        return slots[s];
    }

    /** Keeps image {@code i}'s input of the batched tail ({@link Plan#batchFrom}), computed at image 0. */
    public void stage(Plan plan, int i) {
        TensorSlot t = plan.batchInput();
        System.arraycopy(slots[t.slot()], t.offset(0), staging, t.offset(i), t.imageStride());
    }

    /** Puts the first {@code n} staged images back at their places, for the batched tail. */
    public void unstage(Plan plan, int n) {
        TensorSlot t = plan.batchInput();
        System.arraycopy(staging, t.offset(0), slots[t.slot()], t.offset(0), n * t.imageStride());
    }

    public float[] expandTile() {
        return expandTile;
    }

    public float[] dwTile() {
        return dwTile;
    }

    public int capacity() {
        return capacity;
    }

    public boolean profiling() {
        return profiling;
    }

    /** Turns per-step timing on or off (off by default: it costs a few clock reads per tile). */
    public void setProfiling(boolean on) {
        this.profiling = on;
    }

    public void addTime(Step.Kind kind, long nanos) {
        nanosByKind[kind.ordinal()] += nanos;
        if (step >= 0) {
            nanosByStepKind[step * KINDS + kind.ordinal()] += nanos;
        }
    }

    /** The step that {@link #addTime} charges from now on as well as the kind (-1: the kind alone). */
    public void enterStep(int step) {
        this.step = step;
    }

    public void addStepTime(int step, long nanos) {
        nanosByStep[step] += nanos;
    }

    public void addStepBytes(int step, long bytes) {
        bytesByStep[step] += bytes;
    }

    /**
     * Heap bytes allocated per plan step since the last reset. Warmed-up kernels allocate nothing; bytes
     * here mean C2 compiled a kernel with boxed vectors (the slow-JVM mode, docs/benchmarks.md).
     */
    public long[] bytesByStep() {
        return bytesByStep.clone();
    }

    /** Nanoseconds spent per step kind since the last reset (fused blocks split into their phases). */
    public long[] nanosByKind() {
        return nanosByKind.clone();
    }

    /**
     * Nanoseconds per plan step and kind since the last reset, {@code [step * Kind count + kind]}: a fused
     * block's expand, depthwise and project phases apart, any other step under its own kind.
     */
    public long[] nanosByStepKind() {
        return nanosByStepKind.clone();
    }

    /** Nanoseconds spent per plan step since the last reset. */
    public long[] nanosByStep() {
        return nanosByStep.clone();
    }

    /** Profiling on or off for every workspace of an engine, its counters reset. */
    public static void setProfiling(Workspace[] all, boolean on) {
        for (Workspace ws : all) {
            ws.setProfiling(on);
            ws.resetTimes();
        }
    }

    /** One counter (nanos or bytes, per step or per kind) summed over an engine's workspaces. */
    public static long[] sum(Workspace[] all, java.util.function.Function<Workspace, long[]> counter) {
        long[] total = counter.apply(all[0]);
        for (int w = 1; w < all.length; w++) {
            long[] t = counter.apply(all[w]);
            for (int i = 0; i < t.length; i++) {
                total[i] += t[i];
            }
        }
        return total;
    }

    public void resetTimes() {
        java.util.Arrays.fill(nanosByKind, 0);
        java.util.Arrays.fill(nanosByStep, 0);
        java.util.Arrays.fill(bytesByStep, 0);
        java.util.Arrays.fill(nanosByStepKind, 0);
    }
}
