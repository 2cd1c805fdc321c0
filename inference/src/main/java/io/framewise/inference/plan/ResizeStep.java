package io.framewise.inference.plan;

import io.framewise.inference.kernels.Resize;

/** RESIZE_BILINEAR of whole images (DeepLab's 1×1 → 33×33 image-pooling branch and its 33 → 33 step). */
final class ResizeStep extends Step {

    private final Resize kernel;
    private final TensorSlot in, out;
    private final int h, w, c, oh, ow;
    private final boolean alignCorners, halfPixelCenters;
    private final boolean halfUp; // the integer domain: round to integers half up, as XNNPACK's uint8 resize

    ResizeStep(String name, Resize kernel, TensorSlot in, TensorSlot out, int h, int w, int c, int oh, int ow,
               boolean alignCorners, boolean halfPixelCenters, boolean halfUp) {
        super(name, Kind.SHAPE);
        this.kernel = kernel;
        this.in = in;
        this.out = out;
        this.h = h;
        this.w = w;
        this.c = c;
        this.oh = oh;
        this.ow = ow;
        this.alignCorners = alignCorners;
        this.halfPixelCenters = halfPixelCenters;
        // a broadcast from 1×1 or a resize to the same size copies integers: nothing to round
        this.halfUp = halfUp && !(h == 1 && w == 1) && !(h == oh && w == ow);
    }

    @Override
    public void run(Workspace ws, int n) {
        float[] src = ws.slot(in.slot());
        float[] dst = ws.slot(out.slot());
        for (int i = 0; i < n; i++) {
            kernel.bilinear(src, in.offset(i), h, w, c, dst, out.offset(i), oh, ow, alignCorners, halfPixelCenters);
            if (halfUp) {
                // not a hot spot: DeepLab's resizes here (from 1×1, and to the same size) skip it
                for (int j = out.offset(i), end = j + oh * ow * c; j < end; j++) {
                    dst[j] = (float) Math.floor(dst[j] + 0.5f);
                }
            }
        }
    }

    @Override
    public long macsPerImage() {
        return 3L * oh * ow * c; // three lerps per value
    }
}
