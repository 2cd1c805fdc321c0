package io.framewise.inference.plan;


import java.util.Arrays;

/** Explicit zero padding of H and W (some converters emit PAD + VALID instead of SAME). */
final class PadStep extends Step {

    private final TensorSlot in, out;
    private final int h, w, c, top, left, oh, ow;

    PadStep(String name, TensorSlot in, TensorSlot out, int h, int w, int c, int top, int left, int oh, int ow) {
        super(name, Kind.SHAPE);
        this.in = in;
        this.out = out;
        this.h = h;
        this.w = w;
        this.c = c;
        this.top = top;
        this.left = left;
        this.oh = oh;
        this.ow = ow;
    }

    @Override
    public void run(Workspace ws, int n) {
        float[] src = ws.slot(in.slot());
        float[] dst = ws.slot(out.slot());
        for (int i = 0; i < n; i++) {
            int o = out.offset(i);
            Arrays.fill(dst, o, o + oh * ow * c, 0f);
            for (int y = 0; y < h; y++) {
                System.arraycopy(src, in.offset(i) + y * w * c, dst, o + ((y + top) * ow + left) * c, w * c);
            }
        }
    }

    @Override
    public long macsPerImage() {
        return 0;
    }
}
