package io.framewise.inference.plan;

import io.framewise.inference.kernels.DepthwiseConv;
import io.framewise.inference.kernels.KernelSet;
import io.framewise.inference.kernels.Resize;
import io.framewise.inference.model.Layer;
import io.framewise.inference.model.ModelFormatException;
import io.framewise.inference.model.ModelGraph;
import io.framewise.inference.model.TensorInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a model's layer list into a {@link Plan}: recognises MobileNetV2's inverted residual block
 * (1×1 expand → depthwise → 1×1 project → optional ADD) and MobileNetV1's depthwise separable block
 * (depthwise → 1×1), decides per block between the fused row-tiled path and the unfused one, packs
 * weights for the chosen kernels, and assigns every tensor a workspace slot by liveness.
 */
public final class Planner {

    private final ModelGraph g;
    private final KernelSet k;
    private final PlanOptions opt;
    private final int[] consumers;      // per tensor id
    private final int[] alias;          // tensor id -> tensor whose memory it shares (itself if none)
    private final List<Unit> units = new ArrayList<>();
    private int blocks;

    /** A planned step before slots are known: which tensors it reads and writes. */
    private record Unit(Layer[] layers, int[] inputs, int output, boolean fused, int block) {
    }

    /**
     * A block planned unfused for one thread per image whose split plan ({@link Plan#splitSteps}) runs it
     * fused: {@code fused} stands for the units {@code [first, last]}.
     */
    private record SplitFusion(Unit fused, int first, int last) {
    }

    private final List<SplitFusion> splitFusions = new ArrayList<>();

    /**
     * Output rows below which a block stays unfused in the split plan, whatever its size: split in bands
     * of rows, a fused block computes each band's window of expanded rows, and on a 7-row output (MobileNetV2's
     * B13, 14×14 → 7×7) the bands of 4 and 3 rows expanded 8 and 7 of 14 rows and projected 28 and 21
     * pixels. Unfused its three steps split 98/98 rows, 3/4 rows and 24/25 pixels: b1t2 B13 201-205 →
     * 177 and 182 µs an image (a third JVM, noisy throughout: 216; docs/benchmarks.md session 22).
     */
    static final int SPLIT_FUSION_MIN_ROWS = 14;
    /** Tensors of a folded broadcast chain read only by the fold: their steps compute pixel 0 alone. */
    private final java.util.Set<Integer> onePixel = new java.util.HashSet<>();
    /** Per tensor: the zero rows and columns stored around each image (a padded depthwise input), or -1. */
    private int[] padOf = new int[0];

    private Planner(ModelGraph g, KernelSet k, PlanOptions opt) {
        this.g = g;
        this.k = k;
        this.opt = opt;
        int nt = g.tensors().size();
        this.consumers = new int[nt];
        this.alias = new int[nt];
        for (int t = 0; t < nt; t++) {
            alias[t] = t;
        }
        for (Layer l : g.layers()) {
            for (int t : inputsOf(l)) {
                consumers[t]++;
            }
        }
    }

    public static Plan plan(ModelGraph graph, KernelSet kernels, PlanOptions options) {
        return new Planner(graph, kernels, options).build();
    }

    private Plan build() {
        group();
        return assignAndBuild();
    }

    // ---- 1. group layers into units, recognising blocks ----

    private void group() {
        List<Layer> ls = g.layers();
        int i = 0;
        while (i < ls.size()) {
            Layer l = ls.get(i);
            if (l instanceof Layer.Reshape r) {
                alias[r.output()] = root(r.input());
                i++;
                continue;
            }
            if (l instanceof Layer.ResizeBilinear r && i + 1 < ls.size() && ls.get(i + 1) instanceof Layer.ArgMax a
                    && a.input() == r.output() && consumers[r.output()] == 1) {
                // the class map straight from the low-resolution scores: the resized scores are never stored
                units.add(new Unit(new Layer[] {r, a}, new int[] {r.input()}, a.output(), false, -1));
                i += 2;
                continue;
            }
            int used = tryBlock(ls, i);
            if (used == 0) {
                used = tryBroadcastConcat(ls, i);
            }
            if (used > 0) {
                i += used;
                continue;
            }
            units.add(new Unit(new Layer[] {l}, inputsOf(l), l.output(), false, -1));
            i++;
        }
    }

    /** Recognises a block starting at {@code i}; returns how many layers it took (0 if none). */
    private int tryBlock(List<Layer> ls, int i) {
        Layer.Conv2D expand = null;
        int j = i;
        if (ls.get(j) instanceof Layer.Conv2D c && c.isPointwise() && j + 1 < ls.size()
                && ls.get(j + 1) instanceof Layer.DepthwiseConv2D d && d.input() == c.output() && consumers[c.output()] == 1) {
            expand = c;
            j++;
        }
        if (!(ls.get(j) instanceof Layer.DepthwiseConv2D dw) || j + 1 >= ls.size()) {
            return 0;
        }
        if (!(ls.get(j + 1) instanceof Layer.Conv2D project) || !project.isPointwise()
                || project.input() != dw.output() || consumers[dw.output()] != 1) {
            return 0;
        }
        int blockInput = expand != null ? expand.input() : dw.input();
        Layer.Add add = null;
        if (j + 2 < ls.size() && ls.get(j + 2) instanceof Layer.Add a && consumers[project.output()] == 1
                && ((a.inputA() == project.output() && a.inputB() == blockInput)
                || (a.inputB() == project.output() && a.inputA() == blockInput))) {
            add = a;
        }
        int taken = (j - i) + 2 + (add != null ? 1 : 0);
        int output = add != null ? add.output() : project.output();
        // an atrous block fuses too (DeepLab), with the 3×3 dilated kernel on each band of rows
        boolean fusable = dw.dilation() == 1 || (dw.kh() == 3 && dw.kw() == 3);
        boolean fuse = fusable && shouldFuse(dw, opt.fuseAboveBytes());
        int b = blocks++;
        Unit fused = new Unit(new Layer[] {expand, dw, project, add}, new int[] {blockInput}, output, true, b);
        if (fuse) {
            units.add(fused);
        } else {
            if (fusable && shouldFuse(dw, opt.fuseSplitAboveBytes())
                    && g.tensor(dw.output()).height() >= SPLIT_FUSION_MIN_ROWS) {
                int first = units.size();
                int last = first + (expand != null ? 1 : 0) + 1 + (add != null ? 1 : 0);
                splitFusions.add(new SplitFusion(fused, first, last));
            }
            if (expand != null) {
                units.add(new Unit(new Layer[] {expand}, new int[] {expand.input()}, expand.output(), false, b));
            }
            units.add(new Unit(new Layer[] {dw}, new int[] {dw.input()}, dw.output(), false, b));
            units.add(new Unit(new Layer[] {project}, new int[] {project.input()}, project.output(), false, b));
            if (add != null) {
                units.add(new Unit(new Layer[] {add}, new int[] {add.inputA(), add.inputB()}, add.output(), false, b));
            }
        }
        return taken;
    }

    /**
     * A two-input CONCATENATION whose first input is the same at every pixel (resized from 1×1: DeepLab's
     * image-pooling branch), read only by a 1×1 conv: the pair becomes one unit, the conv with that
     * input folded into a per-image bias ({@link PointwiseStep.BroadcastInput}). Saves the 33×33×512
     * copy and half the conv's MACs (71 M of DeepLab's 2.74 G). Only when the concatenation leaves the
     * other input unchanged: a conv output within its clamp (and, in the real domain, on its grid).
     */
    private int tryBroadcastConcat(List<Layer> ls, int i) {
        if (!opt.foldImagePooling() || !(ls.get(i) instanceof Layer.Concatenation c) || c.inputs().length != 2
                || c.multiplier() != 0 || i + 1 >= ls.size()) {
            return 0;
        }
        if (!(ls.get(i + 1) instanceof Layer.Conv2D conv) || !conv.isPointwise() || conv.input() != c.output()
                || consumers[c.output()] != 1 || !isBroadcast(c.inputs()[0])) {
            return 0;
        }
        int x = c.inputs()[1];
        boolean unchanged;
        if (g.integerDomain()) { // the conv's output is rint(acc · requant) with acc clamped to [lo, hi]
            unchanged = producer(x) instanceof Layer.Conv2D p && p.requant() > 0
                    && Math.rint(p.lo() * p.requant()) >= c.lo() && Math.rint(p.hi() * p.requant()) <= c.hi();
        } else {
            unchanged = producer(x) instanceof Layer.Conv2D p && p.lo() >= c.lo() && p.hi() <= c.hi()
                    && (!snaps() || grid(x) == grid(c.output()));
        }
        if (!unchanged) {
            return 0;
        }
        // the chain feeding the fold runs on pixel 0 only where nothing else reads it
        for (int t = c.inputs()[0]; consumers[t] == 1; ) {
            onePixel.add(t);
            Layer p = producer(t);
            if (!(p instanceof Layer.Concatenation q)) {
                break;
            }
            t = q.inputs()[0];
        }
        // the conv first: it is what the unit computes and rounds (snapScale, yieldsIntegers look at layers[0])
        units.add(new Unit(new Layer[] {conv, c}, new int[] {x, c.inputs()[0]}, conv.output(), false, -1));
        return 2;
    }

    /** Whether tensor t holds the same values at every pixel: resized from 1×1, then requantized any number of times. */
    private boolean isBroadcast(int t) {
        Layer p = producer(t);
        if (p instanceof Layer.Concatenation q && q.inputs().length == 1) {
            return isBroadcast(q.inputs()[0]);
        }
        if (p instanceof Layer.ResizeBilinear r) {
            TensorInfo ti = g.tensor(r.input());
            return ti.height() == 1 && ti.width() == 1;
        }
        return false;
    }

    private Layer producer(int t) {
        for (Layer l : g.layers()) {
            if (l.output() == t) {
                return l;
            }
        }
        return null;
    }

    private boolean shouldFuse(Layer.DepthwiseConv2D dw, long aboveBytes) {
        return switch (opt.fusion()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> (long) g.tensor(dw.input()).elements() * Float.BYTES > aboveBytes;
        };
    }

    /** The split fusion whose units end at unit {@code u}, or null. */
    private SplitFusion splitFusionEndingAt(int u) {
        for (SplitFusion f : splitFusions) {
            if (f.last() == u) {
                return f;
            }
        }
        return null;
    }

    private boolean insideSplitFusion(int u) {
        for (SplitFusion f : splitFusions) {
            if (u >= f.first() && u <= f.last()) {
                return true;
            }
        }
        return false;
    }

    // ---- 2. slots by liveness, then steps ----

    private Plan assignAndBuild() {
        int nt = g.tensors().size();
        padOf = paddedDepthwiseInputs();
        int[] lastUse = new int[nt];
        Arrays.fill(lastUse, -1);
        for (int u = 0; u < units.size(); u++) {
            for (int t : units.get(u).inputs()) {
                lastUse[root(t)] = u;
            }
        }
        // the fused alternative reads the block input while it writes the block output: both stay live
        // to the block's last unit, so they never share a slot
        for (SplitFusion f : splitFusions) {
            int r = root(f.fused().inputs()[0]);
            lastUse[r] = Math.max(lastUse[r], f.last());
        }
        int out = root(g.outputTensor());
        lastUse[out] = Integer.MAX_VALUE;

        int[] slotOf = new int[nt];
        Arrays.fill(slotOf, -1);
        List<Integer> slotSize = new ArrayList<>();
        List<Boolean> slotBusy = new ArrayList<>();
        int in = root(g.inputTensor());
        slotOf[in] = take(slotSize, slotBusy, g.tensor(in).elements());

        List<Step> steps = new ArrayList<>();
        List<Step> splitSteps = new ArrayList<>();
        int expandTile = 0;
        int dwTile = 0;
        for (int u = 0; u < units.size(); u++) {
            Unit unit = units.get(u);
            int o = root(unit.output());
            for (int t : unit.inputs()) {
                if (slotOf[root(t)] < 0) {
                    throw new ModelFormatException("tensor '" + g.tensor(t).name() + "' is read before any layer writes it");
                }
            }
            slotOf[o] = take(slotSize, slotBusy, imageFloats(o));
            // the fused resize + ARG_MAX needs per-thread rows: a slot busy for this step only
            int scratch = isResizeArgMax(unit) ? take(slotSize, slotBusy, resizeArgMaxScratch(unit)) : -1;
            Step s = scratch >= 0 ? classMap(unit, slotOf, scratch) : step(unit, u, slotOf);
            if (scratch >= 0) {
                slotBusy.set(scratch, false);
            }
            if (snaps() && !unit.fused() && !(s instanceof SoftmaxStep) && !yieldsIntegers(unit)) {
                int elements = onePixel.contains(o) ? g.tensor(o).channels() : imageFloats(o);
                s.snapAfter(k.elementwise(), slot(o, slotOf), elements, snapScale(unit.layers()[0], o), grid(o));
            }
            steps.add(s);
            if (!insideSplitFusion(u)) {
                splitSteps.add(s);
            }
            SplitFusion alt = splitFusionEndingAt(u);
            Step fusedAlt = alt != null ? step(alt.fused(), u, slotOf) : null;
            if (fusedAlt != null) {
                splitSteps.add(fusedAlt);
            }
            for (Step t : new Step[] {s, fusedAlt}) {
                if (t instanceof FusedBlockStep f) { // the workspace's tiles serve both plans
                    expandTile = Math.max(expandTile, f.expandTileFloats());
                    dwTile = Math.max(dwTile, f.dwTileFloats());
                }
            }
            for (int t : unit.inputs()) {
                int r = root(t);
                if (lastUse[r] == u) {
                    slotBusy.set(slotOf[r], false);
                }
            }
            if (alt != null && lastUse[root(alt.fused().inputs()[0])] == u) {
                slotBusy.set(slotOf[root(alt.fused().inputs()[0])], false);
            }
        }
        int[] sizes = slotSize.stream().mapToInt(Integer::intValue).toArray();
        int batchFrom = batchedTail(lastUse);
        TensorSlot batchInput = batchFrom < units.size() ? slot(units.get(batchFrom).inputs()[0], slotOf) : null;
        return new Plan(g, k, opt, List.copyOf(steps), List.copyOf(splitSteps), batchFrom, batchInput, sizes,
                slot(in, slotOf), slot(out, slotOf), expandTile, dwTile);
    }

    /** Per-image floats up to which a tensor belongs to the batched tail: 256 KB. */
    private static final int TAIL_FLOATS = 64 * 1024;

    /**
     * Where a batch on one thread stops going image by image: the first unit from which every tensor
     * (read or written) stays within {@link #TAIL_FLOATS} per image and that only one tensor enters.
     * Above that, a batch's tensors overflow L2 (MobileNetV2's 28×28×192 expansion is 600 KB an image,
     * 4.8 MB for 8): at batch 8 on one thread an image took 8.68 ms against 8.48 at batch 1. Below, the
     * tensors are small and the weights large (7×7×960 and the 1280×1001 classifier): one GEMM over the
     * batch reads them once instead of once per image. DeepLab's last step writes a 513×513 class map,
     * so it has no tail and runs image by image throughout.
     */
    private int batchedTail(int[] lastUse) {
        int nt = g.tensors().size();
        int[] writer = new int[nt];
        Arrays.fill(writer, -1);
        for (int u = 0; u < units.size(); u++) {
            writer[root(units.get(u).output())] = u;
        }
        int from = units.size();
        for (int u = units.size() - 1; u > 0; u--) {
            Unit unit = units.get(u);
            if (g.tensor(unit.output()).elements() > TAIL_FLOATS) {
                break;
            }
            boolean small = true;
            for (int t : unit.inputs()) {
                small &= g.tensor(t).elements() <= TAIL_FLOATS;
            }
            if (!small) {
                break;
            }
            int live = 0;
            for (int t = 0; t < nt; t++) {
                if (root(t) == t && writer[t] < u && lastUse[t] >= u && (writer[t] >= 0 || t == root(g.inputTensor()))) {
                    live++;
                }
            }
            if (live == 1 && unit.inputs().length == 1) {
                from = u;
            }
        }
        return from;
    }

    private static int take(List<Integer> size, List<Boolean> busy, int floats) {
        for (int s = 0; s < busy.size(); s++) {
            if (!busy.get(s)) {
                busy.set(s, true);
                size.set(s, Math.max(size.get(s), floats));
                return s;
            }
        }
        size.add(floats);
        busy.add(true);
        return size.size() - 1;
    }

    private TensorSlot slot(int t, int[] slotOf) {
        int r = root(t);
        return new TensorSlot(slotOf[r], imageFloats(r));
    }

    /** Floats per image of tensor {@code t} in its slot: with its padding when it is stored padded. */
    private int imageFloats(int t) {
        int r = root(t);
        TensorInfo ti = g.tensor(r);
        int p = padOf.length > r ? padOf[r] : -1;
        return p < 0 ? ti.elements() : (ti.height() + 2 * p) * (ti.width() + 2 * p) * ti.channels();
    }

    /**
     * The unfused 1×1 convolutions whose output only a 3×3 depthwise layer reads, and which
     * {@link KernelSet#paddedDepthwise3x3} can take: their output is stored with its zero padding (the
     * GEMM writes the interior through {@link io.framewise.inference.kernels.PointwiseConv#runRows}),
     * so the depthwise layer has no border code (MobileNetV2's blocks B4-B16 at batch 1: docs/benchmarks.md,
     * session 19). Not when the conv's rounding would need a separate pass (it covers whole rows).
     */
    private int[] paddedDepthwiseInputs() {
        int[] pad = new int[g.tensors().size()];
        Arrays.fill(pad, -1);
        if (!opt.padDepthwise()) {
            return pad;
        }
        Unit[] writer = new Unit[pad.length];
        for (Unit u : units) {
            writer[root(u.output())] = u;
        }
        for (SplitFusion f : splitFusions) { // the split plan's fused block reads its input and writes its output dense
            writer[root(f.fused().inputs()[0])] = null;
            writer[root(f.fused().output())] = null;
        }
        for (Unit u : units) {
            if (u.fused() || u.layers().length != 1 || !(u.layers()[0] instanceof Layer.DepthwiseConv2D d)) {
                continue;
            }
            int t = root(u.inputs()[0]);
            Unit w = writer[t];
            if (w == null || w.fused() || w.layers().length != 1 || !(w.layers()[0] instanceof Layer.Conv2D c)
                    || (!c.isPointwise() && c.cout() < 16) || consumers[t] != 1 || t == root(g.outputTensor())) {
                continue; // a regular conv (the stem) writes padded rows in its bands: at least 16 channels
            }
            TensorInfo ti = g.tensor(t);
            TensorInfo to = g.tensor(root(u.output()));
            int p = FusedBlockStep.paddedBy(d, ti.height(), ti.width(), to.height(), to.width(), k.paddedDepthwise3x3());
            boolean roundsInKernel = !c.isPointwise() || !snaps() || grid(c.output()) == 0
                    || io.framewise.inference.kernels.Elementwise.snapsInRange(c.lo(), c.hi(), snapScale(c, c.output()),
                    grid(c.output()));
            if (p >= 0 && roundsInKernel) {
                pad[t] = p;
            }
        }
        // a fused block without expansion or residual (MobileNetV2's first, V1's) reading a regular conv's
        // output (the stem): the conv writes it padded, row by row, and rounds its bands itself
        for (Unit u : units) {
            if (!u.fused() || u.layers()[0] != null || u.layers()[3] != null) {
                continue;
            }
            Layer.DepthwiseConv2D d = (Layer.DepthwiseConv2D) u.layers()[1];
            int t = root(u.inputs()[0]);
            Unit w = writer[t];
            if (w == null || w.fused() || w.layers().length != 1 || !(w.layers()[0] instanceof Layer.Conv2D c)
                    || c.isPointwise() || c.cout() < 16 || consumers[t] != 1 || t == root(g.outputTensor())) {
                continue;
            }
            TensorInfo ti = g.tensor(t);
            TensorInfo to = g.tensor(d.output());
            pad[t] = FusedBlockStep.paddedBy(d, ti.height(), ti.width(), to.height(), to.width(), k.paddedDepthwise3x3());
        }
        return pad;
    }

    private Step step(Unit unit, int index, int[] slotOf) {
        Layer first = unit.layers()[0] != null ? unit.layers()[0] : unit.layers()[1];
        TensorSlot out = slot(unit.output(), slotOf);
        if (unit.fused()) {
            Layer.Conv2D expand = (Layer.Conv2D) unit.layers()[0];
            Layer.DepthwiseConv2D dw = (Layer.DepthwiseConv2D) unit.layers()[1];
            Layer.Conv2D project = (Layer.Conv2D) unit.layers()[2];
            Layer.Add add = (Layer.Add) unit.layers()[3];
            TensorInfo ti = g.tensor(unit.inputs()[0]);
            TensorInfo to = g.tensor(dw.output());
            int tile = tileRows(dw, ti.width(), to.height(), to.width(), expand != null);
            float[] grids = snaps()
                    ? new float[] {expand == null ? 0 : grid(expand.output()), grid(dw.output()), grid(project.output()),
                    add == null ? 0 : grid(add.output())}
                    : new float[4];
            float[] scales = {expand == null ? 1 : snapScale(expand, expand.output()), snapScale(dw, dw.output()),
                    snapScale(project, project.output())};
            boolean padded = opt.padDepthwise() && (expand != null
                    ? FusedBlockStep.paddedBy(dw, ti.height(), ti.width(), to.height(), to.width(), k.paddedDepthwise3x3()) >= 0
                    : add == null && padOf[root(unit.inputs()[0])] >= 0);
            return new FusedBlockStep(blockName(unit.block()) + (expand == null ? "dw+pw" : "expand+dw+project")
                    + (add != null ? "+add" : "") + " fused" + (padded ? " (padded dw)" : ""), k.pointwise(), depthwiseFor(dw), k.dilatedDepthwise3x3(),
                    opt.padDepthwise() ? k.paddedDepthwise3x3() : null,
                    k.elementwise(),
                    slot(unit.inputs()[0], slotOf), out, ti.height(), ti.width(), expand, dw, project, add,
                    to.height(), to.width(), tile, grids, scales, padOf[root(unit.inputs()[0])]);
        }
        String name = (unit.block() >= 0 ? blockName(unit.block()) : "L" + index + " ") + first.opName();
        TensorInfo ti = g.tensor(unit.inputs()[0]);
        TensorInfo to = g.tensor(unit.output());
        TensorSlot in = slot(unit.inputs()[0], slotOf);
        if (unit.layers().length == 2 && unit.layers()[1] instanceof Layer.Concatenation c) { // tryBroadcastConcat
            Layer.Conv2D conv = (Layer.Conv2D) first;
            TensorInfo tc = g.tensor(c.output());
            // the concatenation rounds its inputs to its grid in the real domain; in the integer domain it copies
            float cg = snaps() && !g.integerDomain() ? grid(c.output()) : 0;
            var folded = new PointwiseStep.BroadcastInput(slot(unit.inputs()[1], slotOf),
                    g.tensor(unit.inputs()[1]).channels(), null, c.lo(), c.hi(), cg > 0 ? 1f / cg : 1f, cg);
            return new PointwiseStep(name + "+" + c.opName() + " (image pooling in the bias)", Step.Kind.PROJECT,
                    k.pointwise(), in, out, tc.height() * tc.width(), ti.channels(), conv.cout(), conv.weights(),
                    conv.bias(), conv.lo(), conv.hi(), folded);
        }
        if (first instanceof Layer.Conv2D c) {
            if (c.isPointwise()) {
                Step.Kind kind = to.channels() > ti.channels() ? Step.Kind.EXPAND : Step.Kind.PROJECT;
                if (to.height() == 1 && to.width() == 1) {
                    kind = Step.Kind.HEAD;
                }
                int p = padOf[root(unit.output())];
                if (p >= 0) {
                    return new PointwiseStep(name, kind, k.pointwise(), in, out, ti.height() * ti.width(), c.cin(),
                            c.cout(), c.weights(), c.bias(), c.lo(), c.hi(), null, to.width(), p);
                }
                return new PointwiseStep(name, kind, k.pointwise(), in, out, ti.height() * ti.width(), c.cin(), c.cout(),
                        c.weights(), c.bias(), c.lo(), c.hi(), k.byteGemv(), c.weightScales());
            }
            return new ConvStep(name, k.conv(), c, in, out, ti.height(), ti.width(), to.height(), to.width(),
                    padOf[root(unit.output())]);
        }
        if (first instanceof Layer.DepthwiseConv2D d && padOf[root(unit.inputs()[0])] >= 0) {
            return new DepthwiseStep(name + " (padded input)", k.paddedDepthwise3x3(), padOf[root(unit.inputs()[0])], d, in, out, ti.height(),
                    ti.width(), to.height(), to.width());
        }
        if (first instanceof Layer.DepthwiseConv2D d && d.dilation() > 1) {
            if (d.kh() != 3 || d.kw() != 3) {
                throw new ModelFormatException("the planner runs dilated depthwise convolutions 3x3 only");
            }
            return new DilatedDepthwiseStep(name, k.dilatedDepthwise3x3(), d, in, out, ti.height(), ti.width(),
                    to.height(), to.width());
        }
        if (first instanceof Layer.DepthwiseConv2D d) {
            return new DepthwiseStep(name, depthwiseFor(d), d, in, out, ti.height(), ti.width(), to.height(), to.width());
        }
        if (first instanceof Layer.Add a) {
            return new AddStep(name, k.elementwise(), slot(a.inputA(), slotOf), slot(a.inputB(), slotOf), out,
                    to.elements(), to.channels(), a.lo(), a.hi(), a.aMultiplier(), a.bMultiplier(), a.shift());
        }
        if (first instanceof Layer.Mean m) {
            return PoolStep.global(name, k.elementwise(), in, out, ti.height(), ti.width(), ti.channels(), m.lo(), m.hi());
        }
        if (first instanceof Layer.AveragePool2D p) {
            return new PoolStep(name, k.elementwise(), in, out, ti.height(), ti.width(), ti.channels(), p.fh(), p.fw(),
                    p.stride(), p.padding().padBefore(ti.height(), p.fh(), p.stride()),
                    p.padding().padBefore(ti.width(), p.fw(), p.stride()), to.height(), to.width(), p.lo(), p.hi());
        }
        if (first instanceof Layer.FullyConnected f) {
            return new PointwiseStep(name, Step.Kind.HEAD, k.pointwise(), in, out, 1, f.cin(), f.cout(),
                    f.weights(), f.bias(), f.lo(), f.hi(), k.byteGemv(), f.weightScales());
        }
        if (first instanceof Layer.Softmax s) {
            return new SoftmaxStep(name, k.elementwise(), in, out, to.channels(), s.beta(), ti.grid());
        }
        if (first instanceof Layer.Pad p) {
            return new PadStep(name, in, out, ti.height(), ti.width(), ti.channels(), p.top(), p.left(),
                    to.height(), to.width());
        }
        boolean one = onePixel.contains(root(unit.output())); // read only at pixel 0 (tryBroadcastConcat)
        if (first instanceof Layer.ResizeBilinear r) {
            return new ResizeStep(name + (one ? " (pixel 0)" : ""), k.resize(), in, out, ti.height(), ti.width(),
                    ti.channels(), one ? 1 : to.height(), one ? 1 : to.width(), r.alignCorners(), r.halfPixelCenters(),
                    g.integerDomain());
        }
        if (first instanceof Layer.Concatenation c) {
            TensorSlot[] ins = new TensorSlot[c.inputs().length];
            int[] channels = new int[ins.length];
            for (int j = 0; j < ins.length; j++) {
                ins[j] = slot(c.inputs()[j], slotOf);
                channels[j] = g.tensor(c.inputs()[j]).channels();
            }
            return new ConcatStep(name + (one ? " (pixel 0)" : ""), k.elementwise(), ins, channels, out,
                    one ? 1 : to.height() * to.width(), c.lo(), c.hi(),
                    c.multiplier());
        }
        if (first instanceof Layer.ArgMax) {
            return ClassMapStep.argMaxOnly(name, k.resize(), in, out, ti.height(), ti.width(), ti.channels());
        }
        throw new ModelFormatException("the planner cannot run layer " + first.opName());
    }

    private static boolean isResizeArgMax(Unit unit) {
        return unit.layers().length == 2 && unit.layers()[1] instanceof Layer.ArgMax;
    }

    private int resizeArgMaxScratch(Unit unit) {
        int[] map = g.tensor(unit.output()).shape(); // [H][W]: a class map has no channel axis
        TensorInfo in = g.tensor(unit.inputs()[0]);
        return Resize.argMaxScratchFloats(in.channels(), in.width(), map[1]);
    }

    private Step classMap(Unit unit, int[] slotOf, int scratch) {
        Layer.ResizeBilinear r = (Layer.ResizeBilinear) unit.layers()[0];
        TensorInfo ti = g.tensor(r.input());
        int[] map = g.tensor(unit.output()).shape(); // [H][W]
        // scores on a quantization grid are compared as TFLite's uint8 resize leaves them; the offset
        // (the zero point of an unclamped tensor) only keeps the q values non-negative for the rounding
        float grid = g.tensor(r.output()).grid();
        int zeroPoint = grid > 0 && Float.isFinite(ti.lo()) ? Math.round(-ti.lo() / grid) : 0;
        return new ClassMapStep("L" + units.indexOf(unit) + " RESIZE_BILINEAR+ARG_MAX fused", k.resize(),
                slot(r.input(), slotOf), slot(unit.output(), slotOf), new TensorSlot(scratch, 0),
                ti.height(), ti.width(), ti.channels(), map[0], map[1], r.alignCorners(),
                r.halfPixelCenters(), grid, zeroPoint);
    }

    /** Steps of the same recognised block share this prefix in both paths, so benchmarks can compare them. */
    public static String blockName(int block) {
        return "B" + block + " ";
    }

    private DepthwiseConv depthwiseFor(Layer.DepthwiseConv2D d) {
        return d.kh() == 3 && d.kw() == 3 ? k.depthwise3x3() : k.depthwiseGeneric();
    }

    /** Output rows per tile: as many as keep the expanded-row tile within the budget, at least one. */
    private int tileRows(Layer.DepthwiseConv2D dw, int w, int oh, int ow, boolean expand) {
        long budget = opt.tileBytes() / Float.BYTES;
        // an atrous window spans (kh - 1) · dilation + 1 rows: a tile of one output row would move that
        // many expanded rows minus one for each new one (DeepLab's 33×33×960 rows are 127 KB); at least
        // twice the overlap keeps the moved rows under half the expanded ones
        int least = dw.dilation() > 1 ? Math.min(oh, 2 * (dw.effectiveKh() - dw.stride())) : 1;
        int best = least;
        for (int t = least; t <= oh; t++) {
            long floats = expand ? FusedBlockStep.expandTileFloats(t, dw.stride(), dw.effectiveKh(), w, dw.channels())
                    : (long) t * ow * dw.channels();
            if (floats > budget) {
                break;
            }
            best = t;
        }
        return best;
    }

    private float grid(int t) {
        return g.tensor(t).grid();
    }

    /** Whether outputs are rounded: as {@link PlanOptions#snapActivations} says, always in the integer domain. */
    private boolean snaps() {
        return opt.snapActivations() || g.integerDomain();
    }

    /** The rounding {@code rint(x * scale) * grid} into tensor {@code t} written by {@code l}: 1/grid, or a requantization. */
    private float snapScale(Layer l, int t) {
        float requant = l instanceof Layer.Conv2D c ? c.requant() : l instanceof Layer.DepthwiseConv2D d ? d.requant() : 0f;
        return requant > 0 ? requant : grid(t) > 0 ? 1f / grid(t) : 1f;
    }

    /** Integer-domain adds, requantizations and resizes round to integers themselves: no pass after them. */
    private boolean yieldsIntegers(Unit unit) {
        Layer l = unit.layers()[0];
        return g.integerDomain()
                && (l instanceof Layer.Add || l instanceof Layer.Concatenation || l instanceof Layer.ResizeBilinear);
    }

    private int root(int t) {
        while (alias[t] != t) {
            t = alias[t];
        }
        return t;
    }

    private static int[] inputsOf(Layer l) {
        if (l instanceof Layer.Add a) {
            return new int[] {a.inputA(), a.inputB()};
        }
        if (l instanceof Layer.Conv2D c) {
            return new int[] {c.input()};
        }
        if (l instanceof Layer.DepthwiseConv2D d) {
            return new int[] {d.input()};
        }
        if (l instanceof Layer.AveragePool2D p) {
            return new int[] {p.input()};
        }
        if (l instanceof Layer.Mean m) {
            return new int[] {m.input()};
        }
        if (l instanceof Layer.Pad p) {
            return new int[] {p.input()};
        }
        if (l instanceof Layer.FullyConnected f) {
            return new int[] {f.input()};
        }
        if (l instanceof Layer.Softmax s) {
            return new int[] {s.input()};
        }
        if (l instanceof Layer.ResizeBilinear r) {
            return new int[] {r.input()};
        }
        if (l instanceof Layer.Concatenation c) {
            return c.inputs().clone();
        }
        if (l instanceof Layer.ArgMax a) {
            return new int[] {a.input()};
        }
        return new int[] {((Layer.Reshape) l).input()};
    }
}
