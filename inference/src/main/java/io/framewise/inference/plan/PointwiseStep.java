package io.framewise.inference.plan;

import java.util.Arrays;

import io.framewise.inference.kernels.ByteGemv;
import io.framewise.inference.kernels.Elementwise;
import io.framewise.inference.kernels.KernelSet;
import io.framewise.inference.kernels.PointwiseConv;

/**
 * A 1×1 convolution or fully connected layer as one GEMM over all (image × pixel) rows of the batch:
 * the images of a batch are contiguous in their slot, so the batch only makes the GEMM taller.
 */
final class PointwiseStep extends Step {

    private final PointwiseConv kernel;
    private final TensorSlot in;
    private final TensorSlot out;
    private final int pixels; // per image
    private final int cin;
    private final int cout;
    private final float[] packed;
    private final float[] bias; // [Cout]
    private final float lo;
    private final float hi;
    private float grid;  // the output's quantization step when the kernel rounds to it, else 0
    private float scale; // the kernel's rounding rint(x * scale) * grid: 1/grid, or a requantization scale
    private final BroadcastInput broadcast; // null unless a pixel-constant first input was folded into the bias
    private final int outPad;   // zero rows and columns stored around each output image (a padded depthwise input), or -1
    private final int outWidth; // output pixels per row, when padded
    private final ByteGemv gemv;         // null: no byte weights
    private final ByteGemv.Packed bytes; // the same weights as bytes, for batches of up to BYTE_ROWS rows; or null

    /**
     * Weights from this many floats up are also kept as bytes for the rows of a small batch: at 1 MB of
     * fp32 a layer's weights no longer stay in L2 from one image to the next, so batch 1 streams them
     * (MobileNetV2's head: 1280×1001, 5 MB).
     */
    static final long BYTE_WEIGHTS_MIN = 256L << 10;

    /**
     * Rows (images × pixels) up to which the byte weights run, row by row: the 1280×1001 head with its
     * weights evicted took 108-112 against 225-240 µs at one row, 193 against 239-250 at two, 278-312
     * against 260-273 at three (the bytes are read once per row, the fp32 weights once per 6-row tile).
     */
    static final int BYTE_ROWS = 2;

    /**
     * A concatenation's first input that is the same at every pixel (DeepLab's image pooling, resized from
     * 1×1), folded into a per-image bias: {@code bias'[o] = bias[o] + Σ_c weights[o][c] · v[c]} where v
     * is pixel 0 of {@code slot} clamped to [lo, hi] and rounded as the concatenation rounds its output
     * ({@code rint(v · scale) · grid}; grid 0: not rounded). The GEMM then reads only the other input.
     */
    record BroadcastInput(TensorSlot slot, int channels, float[] weights, float lo, float hi, float scale, float grid) {
    }

    /** Per-thread per-image bias of a folded step, {@code [Cout]} padded. */
    private static final ThreadLocal<float[]> IMAGE_BIAS = new ThreadLocal<>();

    PointwiseStep(String name, Kind kind, PointwiseConv kernel, TensorSlot in, TensorSlot out,
                  int pixels, int cin, int cout, float[] weights, float[] bias, float lo, float hi) {
        this(name, kind, kernel, in, out, pixels, cin, cout, weights, bias, lo, hi, null);
    }

    /**
     * With a folded pixel-constant input: {@code weights} are {@code [Cout][broadcast.channels + cin]}, the
     * broadcast input's channels first (the concatenation's order).
     */
    PointwiseStep(String name, Kind kind, PointwiseConv kernel, TensorSlot in, TensorSlot out,
                  int pixels, int cin, int cout, float[] weights, float[] bias, float lo, float hi,
                  BroadcastInput broadcast) {
        this(name, kind, kernel, in, out, pixels, cin, cout, weights, bias, lo, hi, broadcast, pixels, -1);
    }

    /**
     * With {@code outPad >= 0}: the output is stored with {@code outPad} zero rows and columns around each
     * image of {@code outWidth}-pixel rows; this step writes the interior and zeroes the padding of the
     * rows it writes (the slot is shared with other tensors).
     */
    PointwiseStep(String name, Kind kind, PointwiseConv kernel, TensorSlot in, TensorSlot out,
                  int pixels, int cin, int cout, float[] weights, float[] bias, float lo, float hi,
                  BroadcastInput broadcast, int outWidth, int outPad) {
        this(name, kind, kernel, in, out, pixels, cin, cout, weights, bias, lo, hi, broadcast, outWidth, outPad, null,
                null);
    }

    /**
     * A layer of one pixel per image whose weights came from the file as integers ({@code weightScales},
     * see {@code Layer.Conv2D#weightScales}): from {@link #BYTE_WEIGHTS_MIN} weights up, {@code gemv} also
     * keeps them as bytes and runs batches of up to {@link #BYTE_ROWS} rows on those, with the same bits.
     */
    PointwiseStep(String name, Kind kind, PointwiseConv kernel, TensorSlot in, TensorSlot out,
                  int pixels, int cin, int cout, float[] weights, float[] bias, float lo, float hi, ByteGemv gemv,
                  float[] weightScales) {
        this(name, kind, kernel, in, out, pixels, cin, cout, weights, bias, lo, hi, null, pixels, -1, gemv,
                weightScales);
    }

    private PointwiseStep(String name, Kind kind, PointwiseConv kernel, TensorSlot in, TensorSlot out,
                          int pixels, int cin, int cout, float[] weights, float[] bias, float lo, float hi,
                          BroadcastInput broadcast, int outWidth, int outPad, ByteGemv gemv, float[] weightScales) {
        super(name, kind);
        this.outPad = outPad;
        this.outWidth = outWidth;
        if (broadcast != null) {
            int cb = broadcast.channels();
            int k = cb + cin;
            float[] own = new float[cout * cin];
            float[] folded = new float[cout * cb];
            for (int o = 0; o < cout; o++) {
                System.arraycopy(weights, o * k, folded, o * cb, cb);
                System.arraycopy(weights, o * k + cb, own, o * cin, cin);
            }
            weights = own;
            broadcast = new BroadcastInput(broadcast.slot(), cb, folded, broadcast.lo(), broadcast.hi(),
                    broadcast.scale(), broadcast.grid());
        }
        this.broadcast = broadcast;
        this.kernel = kernel;
        this.in = in;
        this.out = out;
        this.pixels = pixels;
        this.cin = cin;
        this.cout = cout;
        this.packed = kernel.pack(weights, cin, cout);
        ByteGemv.Packed b = null;
        if (gemv != null && weightScales != null && pixels == 1 && broadcast == null && outPad < 0
                && (long) cin * cout >= BYTE_WEIGHTS_MIN && kernel.columnStep() % gemv.columnStep() == 0) {
            b = gemv.pack(weights, weightScales, cin, cout);
        }
        this.gemv = b != null ? gemv : null;
        this.bytes = b;
        this.bias = KernelSet.padded(bias);
        this.lo = lo;
        this.hi = hi;
        int outStride = outPad < 0 ? pixels * cout : (pixels / outWidth + 2 * outPad) * (outWidth + 2 * outPad) * cout;
        if (in.imageStride() != pixels * cin || out.imageStride() != outStride || pixels % outWidth != 0
                || (outPad >= 0 && broadcast != null)) {
            throw new IllegalStateException(name + ": pointwise needs dense per-image tensors");
        }
    }

    /** The kernel rounds to the grid on its tiles when that is exact; otherwise a separate pass does. */
    @Override
    void snapAfter(Elementwise snapKernel, TensorSlot slot, int elements, float scale, float grid) {
        if (Elementwise.snapsInRange(lo, hi, scale, grid)) {
            this.grid = grid;
            this.scale = scale;
        } else {
            super.snapAfter(snapKernel, slot, elements, scale, grid);
        }
    }

    @Override
    public void run(Workspace ws, int n) {
        if (outPad >= 0) {
            runPadded(ws, 0, n * pixels);
            return;
        }
        if (broadcast != null) {
            for (int i = 0; i < n; i++) {
                kernel.run(ws.slot(in.slot()), in.offset(i), pixels, cin, packed, imageBias(ws, i), cout,
                        ws.slot(out.slot()), out.offset(i), lo, hi, scale, grid, 0, cout);
            }
            return;
        }
        if (bytes != null && n * pixels <= BYTE_ROWS) {
            runBytes(ws, n * pixels, 0, cout);
            return;
        }
        kernel.run(ws.slot(in.slot()), in.offset(0), n * pixels, cin, packed, bias, cout, ws.slot(out.slot()), out.offset(0), lo, hi, scale,
                grid, 0, cout);
    }

    /**
     * Splits the GEMM's rows, or its output channels when the weights outweigh the input rows. Rows: not
     * below 16 output channels (a Cout narrower than one vector is stored by blending into the
     * neighbouring row, which another part may be writing) nor below 12 rows.
     */
    @Override
    public boolean splits(int n) {
        return cout >= 16 && (n * pixels >= 2 * ROWS || byColumns(n));
    }

    /**
     * Output channels, when the weights dwarf the rows: at least 16 output channels per row and 256
     * input channels (the classifier at batch 1, 1280×1001 weights for one row; MobileNetV2's last
     * 320→1280 conv on 49 rows). Split on rows, every thread streamed all the weights: on 2 threads those
     * two ran 1.11-1.19× and 1.73-1.75× as fast as on one; on columns 2.1-2.2× and 1.9-2.1× (docs/benchmarks.md,
     * part 5).
     * Not the 7×7 expansions and projections: a column split leaves each core half the channels of every
     * pixel, and the next layer, split on rows, read half its input from the other core (the projection
     * 960→320 ran 0.8× as fast as on rows, the depthwise after the expansion 0.6×). Not when the output
     * is rounded by a separate pass, which splits on rows. Not in the integer domain when Cout leaves a
     * tail panel: the last part's shifted-back panel rewrites its neighbour's columns, harmless when
     * rounding is idempotent (a value already on the grid stays), not with a requantization scale.
     */
    private boolean byColumns(int n) {
        boolean idempotent = grid == 0 || scale == 1f / grid || cout % kernel.columnStep() == 0;
        return broadcast == null && outPad < 0 && (long) n * pixels * 16 <= cout && cin >= 256 && cout >= 2 * kernel.columnStep() && !snapsSeparately()
                && idempotent;
    }

    @Override
    public void runPart(Workspace ws, Workspace own, int n, int part, int parts) {
        if (outPad >= 0) {
            runPadded(ws, share(n * pixels, part, parts, ROWS), share(n * pixels, part + 1, parts, ROWS));
            return;
        }
        if (broadcast != null) { // each part folds the bias itself: 256×256 MACs against its share of 33×33×256×256
            int from = share(pixels, part, parts, ROWS);
            int to = share(pixels, part + 1, parts, ROWS);
            for (int i = 0; i < n && to > from; i++) {
                kernel.run(ws.slot(in.slot()), in.offset(i) + from * cin, to - from, cin, packed, imageBias(ws, i), cout,
                        ws.slot(out.slot()), out.offset(i) + from * cout, lo, hi, scale, grid, 0, cout);
                snapRange(ws, out.offset(i) + from * cout, out.offset(i) + to * cout);
            }
            return;
        }
        if (byColumns(n)) {
            int step = kernel.columnStep();
            int c0 = share(cout, part, parts, step);
            int c1 = share(cout, part + 1, parts, step);
            if (c1 > c0 && bytes != null && n * pixels <= BYTE_ROWS) {
                runBytes(ws, n * pixels, c0, c1);
            } else if (c1 > c0) {
                kernel.run(ws.slot(in.slot()), in.offset(0), n * pixels, cin, packed, bias, cout, ws.slot(out.slot()),
                        out.offset(0),
                        lo, hi, scale, grid, c0, c1);
            }
            return;
        }
        int from = share(n * pixels, part, parts, ROWS);
        int to = share(n * pixels, part + 1, parts, ROWS);
        if (to > from) {
            kernel.run(ws.slot(in.slot()), in.offset(0) + from * cin, to - from, cin, packed, bias, cout,
                    ws.slot(out.slot()), out.offset(0) + from * cout, lo, hi, scale, grid, 0, cout);
            snapRange(ws, out.offset(0) + from * cout, out.offset(0) + to * cout);
        }
    }

    /**
     * The bias with image i's broadcast input folded in, in this thread's buffer (allocated on its first
     * call): {@code [Cout padded]} bias, then the input's {@code [channels]} values, each clamped and
     * rounded once, exactly as the concatenation would store it.
     */
    private float[] imageBias(Workspace ws, int i) {
        int cb = broadcast.channels();
        float[] b = IMAGE_BIAS.get();
        if (b == null || b.length < bias.length + cb) {
            b = new float[bias.length + cb];
            IMAGE_BIAS.set(b);
        }
        float[] src = ws.slot(broadcast.slot().slot());
        int at = broadcast.slot().offset(i); // pixel 0: every pixel holds the same values
        int vs = bias.length;
        for (int c = 0; c < cb; c++) {
            float v = Math.min(Math.max(src[at + c], broadcast.lo()), broadcast.hi());
            b[vs + c] = broadcast.grid() > 0 ? (float) Math.rint(v * broadcast.scale()) * broadcast.grid() + 0f : v;
        }
        float[] w = broadcast.weights();
        for (int o = 0; o < cout; o++) {
            float acc = bias[o];
            for (int c = 0; c < cb; c++) {
                acc = Math.fma(w[o * cb + c], b[vs + c], acc);
            }
            b[o] = acc;
        }
        return b;
    }

    /** Columns {@code [c0, c1)} of the first {@code rows} rows (one pixel per image) on the byte weights. */
    private void runBytes(Workspace ws, int rows, int c0, int c1) {
        float[] src = ws.slot(in.slot()), dst = ws.slot(out.slot());
        for (int r = 0; r < rows; r++) {
            gemv.run(src, in.offset(r), cin, bytes, bias, cout, dst, out.offset(r), lo, hi, scale, grid, c0, c1);
        }
    }

    /** Whether a batch of {@code n} runs on the byte weights (tests, the plan summary). */
    boolean runsOnBytes(int n) {
        return bytes != null && n * pixels <= BYTE_ROWS;
    }

    /**
     * Pixels {@code [from, to)} of the batch into the padded output, then the padding of every row they
     * touch (a row split between two parts has its padding zeroed by both: the same zeros).
     */
    private void runPadded(Workspace ws, int from, int to) {
        if (to <= from) {
            return;
        }
        float[] o = ws.slot(out.slot());
        int p = outPad, pitch = (outWidth + 2 * p) * cout;
        kernel.runRows(ws.slot(in.slot()), in.offset(0) + from * cin, from, to - from, cin, packed, bias, cout, o,
                out.offset(0) + p * pitch + p * cout, outWidth, pitch, pixels, out.imageStride(), lo, hi, scale, grid);
        int h = pixels / outWidth;
        for (int i = from / pixels; i <= (to - 1) / pixels; i++) {
            int y0 = i == from / pixels ? from % pixels / outWidth : 0;
            int y1 = i == (to - 1) / pixels ? (to - 1) % pixels / outWidth + 1 : h;
            int base = out.offset(i);
            if (y0 == 0) {
                Arrays.fill(o, base, base + p * pitch, 0f);
            }
            if (y1 == h) {
                Arrays.fill(o, base + (h + p) * pitch, base + (h + 2 * p) * pitch, 0f);
            }
            for (int y = y0; y < y1; y++) {
                int row = base + (y + p) * pitch;
                Arrays.fill(o, row, row + p * cout, 0f);
                Arrays.fill(o, row + pitch - p * cout, row + pitch, 0f);
            }
        }
    }

    /** Row granularity of a part: the GEMM's 6-row tiles. */
    static final int ROWS = 6;

    @Override
    public long macsPerImage() {
        return (long) pixels * cin * cout + (broadcast != null ? (long) broadcast.channels() * cout : 0);
    }
}
