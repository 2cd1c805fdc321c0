package io.framewise.inference.plan;

import io.framewise.inference.kernels.Elementwise;

/**
 * CONCATENATION along channels, or a one-input requantization (QUANTIZE between grids). Each input is
 * copied into its channel range clamped to the output's range; the planner then snaps the output to
 * its grid ({@link Step#snapOutput}), which is TFLite's requantization of every input whose scale or
 * zero point differs from the output's (an input already on the output's grid is left unchanged).
 */
final class ConcatStep extends Step {

    private final Elementwise kernel;
    private final int multiplier; // the integer domain's QUANTIZE: (x * multiplier + 128) >> 8; 0: a copy
    private final TensorSlot[] ins;
    private final int[] channels; // per input
    private final TensorSlot out;
    private final int pixels, cout;
    private final float lo, hi;

    ConcatStep(String name, Elementwise kernel, TensorSlot[] ins, int[] channels, TensorSlot out, int pixels,
               float lo, float hi, int multiplier) {
        super(name, Kind.SHAPE);
        this.kernel = kernel;
        this.multiplier = multiplier;
        if (multiplier > 0 && ins.length != 1) {
            throw new IllegalArgumentException(name + ": a requantization has one input, not " + ins.length);
        }
        this.ins = ins.clone();
        this.channels = channels.clone();
        this.out = out;
        this.pixels = pixels;
        int sum = 0;
        for (int c : channels) {
            sum += c;
        }
        this.cout = sum;
        this.lo = lo;
        this.hi = hi;
    }

    /**
     * In bands of pixels, each rounded to the grid right after it is copied: DeepLab's 65×65×512
     * concatenation and 65×65×256 requantization took 1.33 and 0.66 ms of a 513×513 frame as a copy
     * then a whole-tensor rounding pass, and did not split over threads (docs/benchmarks.md, part 5).
     */
    @Override
    public void run(Workspace ws, int n) {
        runInBands(ws, n, pixels, cout);
    }

    @Override
    protected boolean roundsInRun() {
        return true;
    }

    /** Pixels are this step's rows: any band of them splits the work. */
    @Override
    protected int bandRows() {
        return pixels;
    }

    @Override
    protected void runBand(Workspace ws, Workspace own, int i, int p0, int p1) {
        float[] dst = ws.slot(out.slot());
        int at = 0;
        for (int k = 0; k < ins.length; k++) {
            float[] src = ws.slot(ins[k].slot());
            int c = channels[k];
            int s = ins[k].offset(i) + p0 * c;
            int d = out.offset(i) + p0 * cout + at;
            if (multiplier > 0) { // one input: c == cout, the band is contiguous
                kernel.addFixedPoint(src, s, src, s, dst, d, (p1 - p0) * c, multiplier, 0, 8, lo, hi);
                break;
            }
            for (int p = p0; p < p1; p++, s += c, d += cout) {
                for (int ch = 0; ch < c; ch++) {
                    dst[d + ch] = Math.min(Math.max(src[s + ch], lo), hi);
                }
            }
            at += c;
        }
        snapRange(ws, out.offset(i) + p0 * cout, out.offset(i) + p1 * cout);
    }

    @Override
    public long macsPerImage() {
        return 0;
    }
}
