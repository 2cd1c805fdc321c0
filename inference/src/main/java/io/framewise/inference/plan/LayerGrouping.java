package io.framewise.inference.plan;

import io.framewise.inference.model.Layer;
import io.framewise.inference.model.ModelGraph;
import io.framewise.inference.model.TensorInfo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Planning, step 1: the layer list grouped into units, one per step to be. Recognises MobileNetV2's
 * inverted residual block (1×1 expand → depthwise → 1×1 project → optional ADD) and MobileNetV1's
 * depthwise separable block (depthwise → 1×1), decides per block between the fused row-tiled path and
 * the unfused one (and which unfused blocks the split plan runs fused), folds DeepLab's image pooling
 * into a bias, and resolves RESHAPE to an alias. {@link Planner} then assigns slots and builds the steps.
 */
final class LayerGrouping {

    /** A planned step before slots are known: which tensors it reads and writes. */
    record Unit(Layer[] layers, int[] inputs, int output, boolean fused, int block) {
    }

    /**
     * A block planned unfused for one thread per image whose split plan ({@link Plan#splitSteps}) runs it
     * fused: {@code fused} stands for the units {@code [first, last]}.
     */
    record SplitFusion(Unit fused, int first, int last) {
    }

    /**
     * Output rows below which a block stays unfused in the split plan, whatever its size: split in bands
     * of rows, a fused block computes each band's window of expanded rows, and on a 7-row output (MobileNetV2's
     * B13, 14×14 → 7×7) the bands of 4 and 3 rows expanded 8 and 7 of 14 rows and projected 28 and 21
     * pixels. Unfused its three steps split 98/98 rows, 3/4 rows and 24/25 pixels: b1t2 B13 201-205 →
     * 177 and 182 µs an image (a third JVM, noisy throughout: 216; docs/benchmarks.md session 22).
     */
    static final int SPLIT_FUSION_MIN_ROWS = 14;

    private final ModelGraph g;
    private final PlanOptions opt;
    final int[] consumers;              // per tensor id
    private final int[] alias;          // tensor id -> tensor whose memory it shares (itself if none)
    final List<Unit> units = new ArrayList<>();
    final List<SplitFusion> splitFusions = new ArrayList<>();
    /** Tensors of a folded broadcast chain read only by the fold: their steps compute pixel 0 alone. */
    final Set<Integer> onePixel = new HashSet<>();
    private int blocks;

    LayerGrouping(ModelGraph g, PlanOptions opt) {
        this.g = g;
        this.opt = opt;
        int nt = g.tensors().size();
        this.consumers = new int[nt];
        this.alias = new int[nt];
        for (int t = 0; t < nt; t++) {
            alias[t] = t;
        }
        for (Layer l : g.layers()) {
            for (int t : l.inputs()) {
                consumers[t]++;
            }
        }
        group();
    }

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
            units.add(new Unit(new Layer[] {l}, l.inputs(), l.output(), false, -1));
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
    SplitFusion splitFusionEndingAt(int u) {
        for (SplitFusion f : splitFusions) {
            if (f.last() == u) {
                return f;
            }
        }
        return null;
    }

    boolean insideSplitFusion(int u) {
        for (SplitFusion f : splitFusions) {
            if (u >= f.first() && u <= f.last()) {
                return true;
            }
        }
        return false;
    }

    /** Whether outputs are rounded: as {@link PlanOptions#snapActivations} says, always in the integer domain. */
    boolean snaps() {
        return opt.snapActivations() || g.integerDomain();
    }

    private float grid(int t) {
        return g.tensor(t).grid();
    }

    int root(int t) {
        while (alias[t] != t) {
            t = alias[t];
        }
        return t;
    }
}
