package io.framewise.inference.plan;

/**
 * CONCATENATION along channels, or a one-input requantization (QUANTIZE between grids). Each input is
 * copied into its channel range clamped to the output's range; the planner then snaps the output to
 * its grid ({@link Step#snapOutput}), which is TFLite's requantization of every input whose scale or
 * zero point differs from the output's (an input already on the output's grid is left unchanged).
 */
final class ConcatStep extends Step {

    private final TensorSlot[] ins;
    private final int[] channels; // per input
    private final TensorSlot out;
    private final int pixels, cout;
    private final float lo, hi;

    ConcatStep(String name, TensorSlot[] ins, int[] channels, TensorSlot out, int pixels, float lo, float hi) {
        super(name, Kind.SHAPE);
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

    @Override
    public void run(Workspace ws, int n) {
        float[] dst = ws.slot(out.slot());
        for (int i = 0; i < n; i++) {
            int at = 0;
            for (int k = 0; k < ins.length; k++) {
                float[] src = ws.slot(ins[k].slot());
                int c = channels[k];
                int s = ins[k].offset(i);
                int d = out.offset(i) + at;
                for (int p = 0; p < pixels; p++, s += c, d += cout) {
                    for (int ch = 0; ch < c; ch++) {
                        dst[d + ch] = Math.min(Math.max(src[s + ch], lo), hi);
                    }
                }
                at += c;
            }
        }
    }

    @Override
    public long macsPerImage() {
        return 0;
    }
}
