package io.framewise.inference.kernels.conformance;

import java.util.Map;

import io.framewise.inference.kernels.DepthwiseConv;
import io.framewise.inference.kernels.KernelSet;
import io.framewise.inference.kernels.conformance.OnnxProto.Node;
import io.framewise.inference.kernels.conformance.OnnxProto.Tensor;

/**
 * Maps one ONNX node onto our kernels. Layout work (NCHW ↔ NHWC, weight transposes, per-group slices)
 * is done here in plain loops; all arithmetic is done by the kernels under test.
 *
 * <ul>
 *   <li>Conv, group 1: {@code Conv2d} (1×1 stride 1 unpadded: {@code PointwiseConv}).</li>
 *   <li>Conv, group = C = M: {@code DepthwiseConv} (3×3 stride ≤ 2: the 3×3 kernel, else the generic one).</li>
 *   <li>Conv, group = C, M = k·C (depth multiplier k): k depthwise runs, run j using filter j of each
 *       channel and filling output channels c·k + j.</li>
 *   <li>Conv, other groups: {@code Conv2d} once per group on that group's channel slice.</li>
 *   <li>AveragePool (count_include_pad 0): {@code Elementwise.averagePool}.</li>
 *   <li>Gemm: {@code PointwiseConv} with pixels = M, weights αBᵀ; a bias that varies along M is added
 *       with {@code Elementwise.add}.</li>
 *   <li>Softmax: {@code Elementwise.softmax} per slice along the axis (gathered when strided).</li>
 *   <li>Clip: the fused epilogue clamp, through {@code Elementwise.add(x, 0)}.</li>
 * </ul>
 */
final class OnnxCases {

    /** The node uses something our kernels do not have (the message says what). */
    static final class NotExpressible extends RuntimeException {
        NotExpressible(String why) {
            super(why);
        }
    }

    private static final float INF = Float.POSITIVE_INFINITY;

    private OnnxCases() {
    }

    static float[] run(Node node, Map<String, Tensor> values, long opset, KernelSet k) {
        for (String in : node.inputs()) {
            Tensor t = in.isEmpty() ? null : values.get(in);
            if (t != null && t.dataType() != OnnxProto.FLOAT) {
                throw new NotExpressible("input " + in + " has data type " + t.dataType() + ", kernels are fp32");
            }
        }
        return switch (node.opType()) {
            case "Conv" -> conv(node, values, k);
            case "AveragePool" -> averagePool(node, values.get(node.inputs().get(0)), k);
            case "Gemm" -> gemm(node, values, k);
            case "Softmax" -> softmax(node, values.get(node.inputs().get(0)), opset, k);
            case "Clip" -> clip(node, values, opset, k);
            default -> throw new NotExpressible("op " + node.opType());
        };
    }

    private static Tensor optional(Node node, int i, Map<String, Tensor> values) {
        return node.inputs().size() > i && !node.inputs().get(i).isEmpty() ? values.get(node.inputs().get(i)) : null;
    }

    /** [top, left, bottom, right] from pads or auto_pad. */
    private static int[] pads(Node node, int h, int w, int kh, int kw, int sh, int sw) {
        String auto = node.s("auto_pad", "NOTSET");
        if (auto.equals("SAME_UPPER") || auto.equals("SAME_LOWER")) {
            int th = Math.max(((h + sh - 1) / sh - 1) * sh + kh - h, 0);
            int tw = Math.max(((w + sw - 1) / sw - 1) * sw + kw - w, 0);
            boolean upper = auto.equals("SAME_UPPER");
            int top = upper ? th / 2 : th - th / 2;
            int left = upper ? tw / 2 : tw - tw / 2;
            return new int[]{top, left, th - top, tw - left};
        }
        if (auto.equals("VALID")) {
            return new int[4];
        }
        long[] p = node.ints("pads", new long[4]);
        return new int[]{(int) p[0], (int) p[1], (int) p[2], (int) p[3]};
    }

    private static float[] conv(Node node, Map<String, Tensor> values, KernelSet k) {
        Tensor x = values.get(node.inputs().get(0));
        Tensor wt = values.get(node.inputs().get(1));
        Tensor b = optional(node, 2, values);
        for (long d : node.ints("dilations", new long[]{1, 1})) {
            if (d != 1) {
                throw new NotExpressible("dilation " + d);
            }
        }
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        int m = wt.dim(0), cg = wt.dim(1), kh = wt.dim(2), kw = wt.dim(3);
        long[] st = node.ints("strides", new long[]{1, 1});
        if (st[0] != st[1]) {
            throw new NotExpressible("unequal strides " + st[0] + "x" + st[1]);
        }
        int s = (int) st[0];
        int g = (int) node.i("group", 1);
        int[] p = pads(node, h, w, kh, kw, s, s);
        int oh = (h + p[0] + p[2] - kh) / s + 1;
        int ow = (w + p[1] + p[3] - kw) / s + 1;
        float[] bias = b == null ? new float[m] : b.data();
        float[] out = new float[n * m * oh * ow];
        for (int img = 0; img < n; img++) {
            float[] nhwc = toNhwc(x.data(), img * c * h * w, c, h, w);
            float[] y = new float[oh * ow * m]; // [OH][OW][M]
            if (g == 1) {
                convGroup(k, nhwc, h, w, c, wt.data(), m, 0, m, kh, kw, s, p, bias, y, oh, ow);
            } else if (g == c && cg == 1 && m % c == 0) {
                depthwise(k, nhwc, h, w, c, wt.data(), m / c, kh, kw, s, p, bias, y, oh, ow);
            } else if (c % g == 0 && m % g == 0 && cg == c / g) {
                for (int gi = 0; gi < g; gi++) {
                    convGroup(k, slice(nhwc, h * w, c, gi * cg, cg), h, w, cg, wt.data(), m, gi * (m / g), m / g,
                            kh, kw, s, p, bias, y, oh, ow);
                }
            } else {
                throw new NotExpressible("group " + g + " with C=" + c + " M=" + m);
            }
            toNchw(y, oh, ow, m, out, img * m * oh * ow);
        }
        return out;
    }

    /** Output channels [m0, m0 + mg) of a regular conv over the given input channels, scattered into y [OH][OW][M]. */
    private static void convGroup(KernelSet k, float[] in, int h, int w, int cin, float[] onnxW, int m,
                                  int m0, int mg, int kh, int kw, int s, int[] p, float[] bias,
                                  float[] y, int oh, int ow) {
        float[] wts = new float[mg * kh * kw * cin]; // [Mg][KH][KW][Cin] from ONNX [M][Cin][KH][KW]
        for (int o = 0; o < mg; o++) {
            for (int ci = 0; ci < cin; ci++) {
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        wts[((o * kh + ky) * kw + kx) * cin + ci] = onnxW[(((m0 + o) * cin + ci) * kh + ky) * kw + kx];
                    }
                }
            }
        }
        float[] b = java.util.Arrays.copyOfRange(bias, m0, m0 + mg);
        float[] part = new float[oh * ow * mg];
        if (kh == 1 && kw == 1 && s == 1 && p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 0) {
            k.pointwise().run(in, 0, h * w, cin, k.pointwise().pack(wts, cin, mg), b, mg, part, 0, -INF, INF);
        } else {
            k.conv().run(in, 0, h, w, cin, kh, kw, s, p[0], p[1], k.conv().pack(wts, mg, kh, kw, cin), b, mg,
                    part, 0, oh, ow, -INF, INF, 1f, 0f);
        }
        for (int px = 0; px < oh * ow; px++) {
            System.arraycopy(part, px * mg, y, px * m + m0, mg);
        }
    }

    /** Depthwise with multiplier mult: run j takes filter c·mult + j of every channel c. */
    private static void depthwise(KernelSet k, float[] in, int h, int w, int c, float[] onnxW, int mult,
                                  int kh, int kw, int s, int[] p, float[] bias, float[] y, int oh, int ow) {
        DepthwiseConv dw = kh == 3 && kw == 3 && s <= 2 ? k.depthwise3x3() : k.depthwiseGeneric();
        int m = c * mult;
        for (int j = 0; j < mult; j++) {
            float[] wts = new float[kh * kw * c]; // [KH][KW][C] from ONNX [M][1][KH][KW]
            float[] b = new float[c];
            for (int ch = 0; ch < c; ch++) {
                int o = ch * mult + j;
                b[ch] = bias[o];
                for (int t = 0; t < kh * kw; t++) {
                    wts[t * c + ch] = onnxW[o * kh * kw + t];
                }
            }
            float[] part = new float[oh * ow * c];
            dw.run(in, 0, 0, h, w, c, kh, kw, s, p[0], p[1], dw.pack(wts, kh, kw, c), b,
                    part, 0, 0, oh, ow, 0, oh, -INF, INF);
            for (int px = 0; px < oh * ow; px++) {
                for (int ch = 0; ch < c; ch++) {
                    y[px * m + ch * mult + j] = part[px * c + ch];
                }
            }
        }
    }

    private static float[] averagePool(Node node, Tensor x, KernelSet k) {
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        long[] ks = node.ints("kernel_shape", null);
        long[] st = node.ints("strides", new long[]{1, 1});
        if (node.i("ceil_mode", 0) != 0 || st[0] != st[1]) {
            throw new NotExpressible("ceil_mode or unequal strides");
        }
        int kh = (int) ks[0], kw = (int) ks[1], s = (int) st[0];
        int[] p = pads(node, h, w, kh, kw, s, s);
        if (node.i("count_include_pad", 0) != 0 && (p[0] | p[1] | p[2] | p[3]) != 0) {
            throw new NotExpressible("count_include_pad with padding (TFLite averages in-bounds elements only)");
        }
        int oh = (h + p[0] + p[2] - kh) / s + 1;
        int ow = (w + p[1] + p[3] - kw) / s + 1;
        float[] out = new float[n * c * oh * ow];
        for (int img = 0; img < n; img++) {
            float[] y = new float[oh * ow * c];
            k.elementwise().averagePool(toNhwc(x.data(), img * c * h * w, c, h, w), 0, h, w, c, kh, kw, s, p[0], p[1],
                    y, 0, oh, ow, -INF, INF);
            toNchw(y, oh, ow, c, out, img * c * oh * ow);
        }
        return out;
    }

    private static float[] gemm(Node node, Map<String, Tensor> values, KernelSet k) {
        Tensor a = values.get(node.inputs().get(0));
        Tensor b = values.get(node.inputs().get(1));
        Tensor c = optional(node, 2, values);
        boolean ta = node.i("transA", 0) != 0, tb = node.i("transB", 0) != 0;
        float alpha = node.f("alpha", 1f), beta = node.f("beta", 1f);
        int m = ta ? a.dim(1) : a.dim(0), kk = ta ? a.dim(0) : a.dim(1), n = tb ? b.dim(0) : b.dim(1);
        float[] in = new float[m * kk]; // [M][K]
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < kk; j++) {
                in[i * kk + j] = ta ? a.data()[j * m + i] : a.data()[i * kk + j];
            }
        }
        float[] wts = new float[n * kk]; // [N][K] = alpha * B^T
        for (int o = 0; o < n; o++) {
            for (int j = 0; j < kk; j++) {
                wts[o * kk + j] = alpha * (tb ? b.data()[o * kk + j] : b.data()[j * n + o]);
            }
        }
        float[] bias = new float[n];
        float[] full = null; // [M][N] when C varies along M
        if (c != null) {
            float[] cd = c.data();
            int rows = c.dims().length == 2 ? c.dim(0) : 1;
            int cols = c.dims().length == 0 ? 1 : c.dim(c.dims().length - 1);
            if (rows == 1) {
                for (int o = 0; o < n; o++) {
                    bias[o] = beta * cd[cols == 1 ? 0 : o];
                }
            } else {
                full = new float[m * n];
                for (int i = 0; i < m; i++) {
                    for (int o = 0; o < n; o++) {
                        full[i * n + o] = beta * cd[i * cols + (cols == 1 ? 0 : o)];
                    }
                }
            }
        }
        float[] out = new float[m * n];
        k.pointwise().run(in, 0, m, kk, k.pointwise().pack(wts, kk, n), bias, n, out, 0, -INF, INF);
        if (full != null) {
            k.elementwise().add(out, 0, full, 0, out, 0, m * n, -INF, INF);
        }
        return out;
    }

    private static float[] softmax(Node node, Tensor x, long opset, KernelSet k) {
        int rank = x.dims().length;
        int axis = (int) node.i("axis", opset >= 13 ? -1 : 1);
        if (axis < 0) {
            axis += rank;
        }
        int outer = 1, len = 1, inner = 1;
        for (int d = 0; d < rank; d++) {
            if (d < axis) {
                outer *= x.dim(d);
            } else if (d == axis || opset < 13) {
                len *= x.dim(d); // before opset 13 the axis flattens everything after it
            } else {
                inner *= x.dim(d);
            }
        }
        float[] out = new float[x.data().length];
        float[] row = new float[len];
        float[] res = new float[len];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                for (int j = 0; j < len; j++) {
                    row[j] = x.data()[(o * len + j) * inner + i];
                }
                k.elementwise().softmax(row, 0, len, 1f, res, 0);
                for (int j = 0; j < len; j++) {
                    out[(o * len + j) * inner + i] = res[j];
                }
            }
        }
        return out;
    }

    private static float[] clip(Node node, Map<String, Tensor> values, long opset, KernelSet k) {
        float[] x = values.get(node.inputs().get(0)).data();
        float lo = -INF, hi = INF;
        if (opset >= 11) {
            Tensor min = optional(node, 1, values);
            Tensor max = optional(node, 2, values);
            lo = min == null ? lo : min.data()[0];
            hi = max == null ? hi : max.data()[0];
        } else {
            lo = node.f("min", -Float.MAX_VALUE);
            hi = node.f("max", Float.MAX_VALUE);
        }
        float[] out = new float[x.length];
        k.elementwise().add(x, 0, new float[x.length], 0, out, 0, x.length, lo, hi);
        return out;
    }

    private static float[] toNhwc(float[] src, int off, int c, int h, int w) {
        float[] dst = new float[h * w * c];
        for (int ch = 0; ch < c; ch++) {
            for (int px = 0; px < h * w; px++) {
                dst[px * c + ch] = src[off + ch * h * w + px];
            }
        }
        return dst;
    }

    private static void toNchw(float[] src, int h, int w, int c, float[] dst, int off) {
        for (int px = 0; px < h * w; px++) {
            for (int ch = 0; ch < c; ch++) {
                dst[off + ch * h * w + px] = src[px * c + ch];
            }
        }
    }

    private static float[] slice(float[] nhwc, int pixels, int c, int c0, int cn) {
        float[] dst = new float[pixels * cn];
        for (int px = 0; px < pixels; px++) {
            System.arraycopy(nhwc, px * c + c0, dst, px * cn, cn);
        }
        return dst;
    }
}
