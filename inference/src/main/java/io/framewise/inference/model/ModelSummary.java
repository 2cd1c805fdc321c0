package io.framewise.inference.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-layer cost of a float graph: shapes, parameters (weights + bias) and multiply-adds per image,
 * plus, for every depthwise-separable pair, its cost against a plain f×f convolution next to the
 * closed form 1/n_c' + 1/f² from the MobileNet paper (the two must agree; the table shows both).
 */
public record ModelSummary(String model, List<Row> rows, List<SeparablePair> pairs, long totalMacs, long totalParams) {

    /** One layer. Pooling, add, softmax and reshapes count no multiply-adds, as in the MobileNet papers. */
    public record Row(int index, String type, int[] inputShape, int[] outputShape, long params, long macs) {
    }

    /**
     * A DEPTHWISE_CONV_2D directly followed by a 1×1 CONV_2D on its output.
     *
     * @param ratio      (depthwise + pointwise multiply-adds) / (multiply-adds of an f×f conv with the same
     *                   input and output shapes)
     * @param closedForm 1/n_c' + 1/f² with n_c' the pointwise output channels and f the kernel size
     */
    public record SeparablePair(int depthwiseIndex, int pointwiseIndex, int kernel, int outChannels,
                                long separableMacs, long standardMacs, double ratio, double closedForm) {
    }

    public static ModelSummary of(ModelGraph graph) {
        List<Row> rows = new ArrayList<>();
        List<SeparablePair> pairs = new ArrayList<>();
        long macs = 0;
        long params = 0;
        List<Layer> layers = graph.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            int[] in = graph.tensor(layer.inputs()[0]).shape();
            TensorInfo out = graph.tensor(layer.output());
            long p = 0;
            long m = 0;
            if (layer instanceof Layer.Conv2D c) {
                p = (long) c.cout() * c.kh() * c.kw() * c.cin() + c.cout();
                m = (long) out.height() * out.width() * c.cout() * c.kh() * c.kw() * c.cin();
            } else if (layer instanceof Layer.DepthwiseConv2D d) {
                p = (long) d.kh() * d.kw() * d.channels() + d.channels();
                m = (long) out.height() * out.width() * d.channels() * d.kh() * d.kw();
                if (i + 1 < layers.size() && layers.get(i + 1) instanceof Layer.Conv2D pw
                        && pw.isPointwise() && pw.input() == d.output() && d.kh() == d.kw()) {
                    long pwMacs = (long) out.height() * out.width() * pw.cout() * pw.cin();
                    int f = d.kh();
                    long standard = (long) out.height() * out.width() * pw.cout() * f * f * d.channels();
                    pairs.add(new SeparablePair(i, i + 1, f, pw.cout(), m + pwMacs, standard,
                            (double) (m + pwMacs) / standard, 1.0 / pw.cout() + 1.0 / (f * f)));
                }
            } else if (layer instanceof Layer.FullyConnected fc) {
                p = (long) fc.cout() * fc.cin() + fc.cout();
                m = (long) fc.cout() * fc.cin();
            }
            rows.add(new Row(i, layer.opName(), in, out.shape(), p, m));
            macs += m;
            params += p;
        }
        return new ModelSummary(graph.name(), List.copyOf(rows), List.copyOf(pairs), macs, params);
    }

    /** A fixed-width table of every layer, the separable pairs, and the totals. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(model).append('\n');
        sb.append(String.format("%4s  %-18s %-16s %-16s %12s %15s%n", "#", "op", "input", "output", "params", "mult-adds"));
        for (Row r : rows) {
            sb.append(String.format("%4d  %-18s %-16s %-16s %,12d %,15d%n", r.index(), r.type(), shape(r.inputShape()),
                    shape(r.outputShape()), r.params(), r.macs()));
        }
        if (!pairs.isEmpty()) {
            sb.append(String.format("%nDepthwise separable pairs: cost / standard f x f conv%n"));
            sb.append(String.format("%4s %4s %3s %6s %15s %15s %10s %12s%n", "dw", "pw", "f", "n_c'", "separable",
                    "standard", "ratio", "1/n'+1/f^2"));
            for (SeparablePair p : pairs) {
                sb.append(String.format("%4d %4d %3d %6d %,15d %,15d %10.6f %12.6f%n", p.depthwiseIndex(),
                        p.pointwiseIndex(), p.kernel(), p.outChannels(), p.separableMacs(), p.standardMacs(),
                        p.ratio(), p.closedForm()));
            }
        }
        sb.append(String.format("%nTotal: %,d multiply-adds per image (%.1f M), %,d parameters (%.2f M), %d layers%n",
                totalMacs, totalMacs / 1e6, totalParams, totalParams / 1e6, rows.size()));
        return sb.toString();
    }

    private static String shape(int[] s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length; i++) {
            sb.append(i == 0 ? "" : "x").append(s[i]);
        }
        return sb.length() == 0 ? Arrays.toString(s) : sb.toString();
    }
}
