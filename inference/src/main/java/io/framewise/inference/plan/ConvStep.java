package io.framewise.inference.plan;

import java.util.Arrays;

import io.framewise.inference.kernels.Conv2d;
import io.framewise.inference.kernels.KernelSet;
import io.framewise.inference.model.Layer;

/**
 * A regular K×K convolution, image by image (MobileNet's stem). With {@code outPad >= 0} its output is
 * stored with that many zero rows and columns around each image, for a padded depthwise layer to read
 * ({@link FusedBlockStep}); it is then written row by row and its padding zeroed with each band.
 */
final class ConvStep extends Step {

    private final Conv2d kernel;
    private final TensorSlot in;
    private final TensorSlot out;
    private final int h, w, cin, kh, kw, stride, padTop, padLeft, cout, oh, ow;
    private final float[] packed;
    private final float[] bias; // [Cout]
    private final float lo, hi;
    private final int outPad;

    ConvStep(String name, Conv2d kernel, Layer.Conv2D l, TensorSlot in, TensorSlot out, int h, int w, int oh, int ow,
             int outPad) {
        super(name, Kind.STEM);
        this.outPad = outPad;
        this.kernel = kernel;
        this.in = in;
        this.out = out;
        this.h = h;
        this.w = w;
        this.cin = l.cin();
        this.kh = l.kh();
        this.kw = l.kw();
        this.stride = l.stride();
        this.padTop = l.padding().padBefore(h, kh, stride);
        this.padLeft = l.padding().padBefore(w, kw, stride);
        this.cout = l.cout();
        this.oh = oh;
        this.ow = ow;
        this.packed = kernel.pack(l.weights(), cout, kh, kw, cin);
        this.bias = KernelSet.padded(l.bias());
        this.lo = l.lo();
        this.hi = l.hi();
        if (outPad >= 0 && (cout < 16 || out.imageStride() != (oh + 2 * outPad) * (ow + 2 * outPad) * cout)) {
            throw new IllegalStateException(name + ": a padded output needs bands (Cout >= 16) and a padded slot");
        }
    }

    @Override
    public void run(Workspace ws, int n) {
        if (roundsInRun()) {
            runInBands(ws, n, oh, ow * cout);
            return;
        }
        float[] src = ws.slot(in.slot());
        float[] dst = ws.slot(out.slot());
        for (int i = 0; i < n; i++) {
            kernel.run(src, in.offset(i), h, w, cin, kh, kw, stride, padTop, padLeft, packed, bias, cout,
                    dst, out.offset(i), oh, ow, lo, hi, 1f, 0f);
        }
    }

    /** In bands when it can split in bands (Cout of 16 and more); narrower, the whole output is rounded after. */
    @Override
    protected boolean roundsInRun() {
        return bandRows() >= 2;
    }

    /**
     * Bands of output rows (not below 16 output channels: a narrow Cout may be stored by blending into
     * the next pixel), each a convolution of the input rows the band reads: the window starts at the
     * band's first input row (its top padding what lies above row 0), and the real bottom padding
     * stays where it is, so every output is computed by the same taps.
     */
    @Override
    protected int bandRows() {
        return cout >= 16 ? oh : 0;
    }

    @Override
    protected void runBand(Workspace ws, Workspace own, int i, int oy0, int oy1) {
        if (outPad >= 0) {
            runPaddedBand(ws, i, oy0, oy1);
            return;
        }
        int iy0 = oy0 * stride - padTop;
        int inRow = Math.max(iy0, 0);
        int o = out.offset(i) + oy0 * ow * cout;
        float grid = kernelGrid(lo, hi); // rounded in the kernel's stores: no second pass over 1.6 MB
        kernel.run(ws.slot(in.slot()), in.offset(i) + inRow * w * cin, h - inRow, w, cin, kh, kw, stride, inRow - iy0,
                padLeft, packed, bias, cout, ws.slot(out.slot()), o, oy1 - oy0, ow, lo, hi, snapScale(), grid);
        if (grid == 0) {
            snapRange(ws, o, o + (oy1 - oy0) * ow * cout);
        }
    }

    /** Rows [oy0, oy1) one at a time into the padded output (rounded by the kernel when it can, else after), their padding (and the image's top or bottom) zeroed. */
    private void runPaddedBand(Workspace ws, int i, int oy0, int oy1) {
        float[] dst = ws.slot(out.slot());
        int p = outPad, pitch = (ow + 2 * p) * cout, base = out.offset(i);
        float grid = kernelGrid(lo, hi);
        for (int oy = oy0; oy < oy1; oy++) {
            int iy0 = oy * stride - padTop;
            int inRow = Math.max(iy0, 0);
            int row = base + (oy + p) * pitch;
            kernel.run(ws.slot(in.slot()), in.offset(i) + inRow * w * cin, h - inRow, w, cin, kh, kw, stride, inRow - iy0,
                    padLeft, packed, bias, cout, dst, row + p * cout, 1, ow, lo, hi, snapScale(), grid);
            Arrays.fill(dst, row, row + p * cout, 0f);
            Arrays.fill(dst, row + pitch - p * cout, row + pitch, 0f);
        }
        if (oy0 == 0) {
            Arrays.fill(dst, base, base + p * pitch, 0f);
        }
        if (oy1 == oh) {
            Arrays.fill(dst, base + (oh + p) * pitch, base + (oh + 2 * p) * pitch, 0f);
        }
        if (grid == 0) {
            snapRange(ws, base + (oy0 + p) * pitch, base + (oy1 + p) * pitch); // each value once; zeros stay zero
        }
    }

    @Override
    public long macsPerImage() {
        return (long) oh * ow * cout * kh * kw * cin;
    }
}
