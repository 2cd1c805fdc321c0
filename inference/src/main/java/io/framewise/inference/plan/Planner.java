package io.framewise.inference.plan;

import io.framewise.inference.kernels.DepthwiseConv;
import io.framewise.inference.kernels.KernelSet;
import io.framewise.inference.kernels.Resize;
import io.framewise.inference.model.Layer;
import io.framewise.inference.model.ModelFormatException;
import io.framewise.inference.model.ModelGraph;
import io.framewise.inference.model.TensorInfo;
import io.framewise.inference.plan.LayerGrouping.SplitFusion;
import io.framewise.inference.plan.LayerGrouping.Unit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a model's layer list into a {@link Plan}: the layers grouped into units and blocks
 * ({@link LayerGrouping}: which blocks run fused), then every tensor assigned a workspace slot by
 * liveness and every unit built into a step with its weights packed for the chosen kernels.
 */
public final class Planner {

    private final ModelGraph g;
    private final KernelSet k;
    private final PlanOptions opt;
    private final LayerGrouping grouping;
    private final List<Unit> units;
    private final List<SplitFusion> splitFusions;
    private final int[] consumers;      // per tensor id
    /** Per tensor: the zero rows and columns stored around each image (a padded depthwise input), or -1. */
    private int[] padOf = new int[0];

    private Planner(ModelGraph g, KernelSet k, PlanOptions opt) {
        this.g = g;
        this.k = k;
        this.opt = opt;
        this.grouping = new LayerGrouping(g, opt);
        this.units = grouping.units;
        this.splitFusions = grouping.splitFusions;
        this.consumers = grouping.consumers;
    }

    public static Plan plan(ModelGraph graph, KernelSet kernels, PlanOptions options) {
        return new Planner(graph, kernels, options).build();
    }

    // ---- slots by liveness, then steps ----

    private Plan build() {
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
                int elements = grouping.onePixel.contains(o) ? g.tensor(o).channels() : imageFloats(o);
                s.snapAfter(k.elementwise(), slot(o, slotOf), elements, snapScale(unit.layers()[0], o), grid(o));
            }
            steps.add(s);
            if (!grouping.insideSplitFusion(u)) {
                splitSteps.add(s);
            }
            SplitFusion alt = grouping.splitFusionEndingAt(u);
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
        boolean one = grouping.onePixel.contains(root(unit.output())); // read only at pixel 0 (tryBroadcastConcat)
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

    private boolean snaps() {
        return grouping.snaps();
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
        return grouping.root(t);
    }
}
