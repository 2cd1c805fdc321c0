package io.framewise.inference.plan;

import io.framewise.inference.kernels.Resize;

/**
 * The segmentation head's last step: ARG_MAX over channels, either alone or fused with the
 * RESIZE_BILINEAR before it (DeepLab: 33×33×21 scores → 513×513 class map). Fused, the 513×513×21
 * resized scores are never stored: each output pixel interpolates its 21 scores and keeps the first
 * largest, rounding them to the scores' quantization grid first as TFLite does. The class map is
 * written as floats ({@code [OH][OW]}, one index per pixel) into the output slot.
 */
final class ClassMapStep extends Step {

    private final Resize kernel;
    private final TensorSlot in, out;
    private final TensorSlot scratch; // null unless fused: two width-resized rows and a row of maxima
    private final int h, w, c, oh, ow;
    private final boolean alignCorners, halfPixelCenters;
    private final float grid;
    private final int zeroPoint;

    /** Fused resize + ARG_MAX. */
    ClassMapStep(String name, Resize kernel, TensorSlot in, TensorSlot out, TensorSlot scratch, int h, int w, int c,
                 int oh, int ow, boolean alignCorners, boolean halfPixelCenters, float grid, int zeroPoint) {
        super(name, Kind.HEAD);
        this.kernel = kernel;
        this.in = in;
        this.out = out;
        this.scratch = scratch;
        this.h = h;
        this.w = w;
        this.c = c;
        this.oh = oh;
        this.ow = ow;
        this.alignCorners = alignCorners;
        this.halfPixelCenters = halfPixelCenters;
        this.grid = grid;
        this.zeroPoint = zeroPoint;
    }

    /** ARG_MAX alone. */
    static ClassMapStep argMaxOnly(String name, Resize kernel, TensorSlot in, TensorSlot out, int h, int w, int c) {
        return new ClassMapStep(name, kernel, in, out, null, h, w, c, h, w, false, false, 0f, 0);
    }

    @Override
    public void run(Workspace ws, int n) {
        float[] src = ws.slot(in.slot());
        float[] dst = ws.slot(out.slot());
        for (int i = 0; i < n; i++) {
            if (scratch == null) {
                kernel.argMax(src, in.offset(i), h * w, c, dst, out.offset(i));
            } else {
                // the scratch slot is reused per image: its offset(0) region is this thread's alone
                kernel.bilinearArgMax(src, in.offset(i), h, w, c, grid, zeroPoint, dst, out.offset(i), oh, ow,
                        alignCorners, halfPixelCenters, ws.slot(scratch.slot()));
            }
        }
    }

    /** Fused: each part writes a band of class-map rows, with its own workspace's scratch rows. */
    @Override
    protected int bandRows() {
        return scratch == null ? 0 : oh;
    }

    @Override
    protected void runBand(Workspace ws, Workspace own, int i, int oy0, int oy1) {
        kernel.bilinearArgMax(ws.slot(in.slot()), in.offset(i), h, w, c, grid, zeroPoint, ws.slot(out.slot()),
                out.offset(i), oh, ow, alignCorners, halfPixelCenters, oy0, oy1, own.slot(scratch.slot()));
    }

    @Override
    public long macsPerImage() {
        return scratch == null ? (long) h * w * c : 2L * oh * ow * c;
    }
}
