package io.framewise.inference.plan;

import io.framewise.inference.kernels.DepthwiseConv;
import io.framewise.inference.kernels.DilatedDepthwiseConv;
import io.framewise.inference.kernels.Elementwise;
import io.framewise.inference.kernels.KernelSet;
import io.framewise.inference.kernels.PaddedDepthwiseConv;
import io.framewise.inference.kernels.PointwiseConv;

import java.util.Arrays;
import io.framewise.inference.model.Layer;

/**
 * MobileNetV2's inverted residual block (1×1 expand → 3×3 depthwise → 1×1 project → optional residual
 * add) or MobileNetV1's depthwise separable block (no expand, no add), computed over tiles of output
 * rows so the expanded tensor never goes to memory in full: for the early blocks (112×112×96,
 * 56×56×144 expanded) it would not fit in L2, and writing then re-reading it is what the unfused path
 * pays for.
 *
 * <p>Each tile expands only the input rows its depthwise window needs; the {@code kh - stride} rows
 * shared with the previous tile are moved to the front of the tile buffer instead of being
 * recomputed. The arithmetic per output element is exactly the unfused path's, so both paths agree
 * bit for bit (tested). An atrous depthwise layer (DeepLab, dilation 2) runs its dilated kernel on the
 * tile's rows as a smaller image; its window spans {@code (kh - 1) · dilation + 1} rows.
 *
 * <p>With a {@link PaddedDepthwiseConv} (3×3, the block has an expansion), the expanded tile carries the
 * depthwise padding in memory: its rows are {@code pad} zero columns wider on each side and rows above
 * or below the image are zero rows, so the depthwise kernel has no border code (1.4-2.4× as fast on
 * these shapes, docs/benchmarks.md, session 19). The expansion's GEMM writes the interior
 * ({@link PointwiseConv#runRows}); this step zeroes the padding of its tile, which other blocks share.
 */
final class FusedBlockStep extends Step {

    private final PointwiseConv pointwise;
    private final DepthwiseConv depthwise;
    private final DilatedDepthwiseConv dilated; // null unless the depthwise layer is atrous (DeepLab)
    private final PaddedDepthwiseConv padded;   // null: the depthwise kernels pad implicitly
    private final int pad;                      // zero columns each side of a padded tile row
    private final int dilation;
    private final int ekh;                      // rows of the depthwise window: (kh - 1) * dilation + 1
    private final Elementwise elementwise;
    private final TensorSlot in;  // block input [H][W][Cin]
    private final TensorSlot out; // block output [OH][OW][Cout]
    private final int h, w, cin, cexp, cout, kh, kw, stride, padTop, padLeft, oh, ow;
    private final int tileRows;   // output rows per tile
    private final boolean expand;
    private final float[] expandPacked; // null without expand
    private final float[] expandBias;   // [Cexp]
    private final float expandLo, expandHi;
    private final float[] dwPacked;
    private final float[] dwBias;       // [Cexp]
    private final float dwLo, dwHi;
    private final float[] projectPacked;
    private final float[] projectBias;  // [Cout]
    private final float projectLo, projectHi;
    private final boolean residual;
    private final float addLo, addHi;
    private final long macs;
    private final long expandMacs, dwMacs, projectMacs; // per image, by phase
    private final float expandGrid, dwGrid, projectGrid, addGrid; // separate snapping passes; 0: none
    private final float expandKernelGrid, dwKernelGrid, projectKernelGrid; // rounded by the kernel itself; 0: not
    private final float expandScale, dwScale, projectScale;       // rint(x * scale) * grid (see Step#snapAfter)
    private final int projectMultiplier, inputMultiplier, addShift; // the integer domain's residual; shift 0: real

    FusedBlockStep(String name, PointwiseConv pointwise, DepthwiseConv depthwise, DilatedDepthwiseConv dilated,
                   PaddedDepthwiseConv padded, Elementwise elementwise, TensorSlot in, TensorSlot out, int h, int w,
                   Layer.Conv2D expandLayer, Layer.DepthwiseConv2D dw, Layer.Conv2D project, Layer.Add add,
                   int oh, int ow, int tileRows, float[] grids, float[] scales, int inPad) {
        super(name, Step.Kind.FUSED_BLOCK);
        this.pointwise = pointwise;
        this.depthwise = depthwise;
        this.dilation = dw.dilation();
        this.ekh = dw.effectiveKh();
        // with an expansion the tile is padded here; without, the block input may come padded (the stem's output)
        this.pad = padded == null ? -1 : expandLayer != null ? paddedBy(dw, h, w, oh, ow, padded)
                : add == null ? inPad : -1;
        this.padded = pad >= 0 ? padded : null;
        this.dilated = dilation > 1 && this.padded == null ? dilated : null;
        this.elementwise = elementwise;
        this.in = in;
        this.out = out;
        this.h = h;
        this.w = w;
        this.expand = expandLayer != null;
        this.cin = expand ? expandLayer.cin() : dw.channels();
        this.cexp = dw.channels();
        this.cout = project.cout();
        this.kh = dw.kh();
        this.kw = dw.kw();
        this.stride = dw.stride();
        this.padTop = dw.padding().padBefore(h, dw.effectiveKh(), stride);
        this.padLeft = dw.padding().padBefore(w, dw.effectiveKw(), stride);
        this.oh = oh;
        this.ow = ow;
        this.tileRows = tileRows;
        this.expandPacked = expand ? pointwise.pack(expandLayer.weights(), cin, cexp) : null;
        this.expandBias = expand ? KernelSet.padded(expandLayer.bias()) : null;
        this.expandLo = expand ? expandLayer.lo() : 0;
        this.expandHi = expand ? expandLayer.hi() : 0;
        this.dwPacked = this.padded != null ? this.padded.pack(dw.weights(), cexp)
                : this.dilated != null ? this.dilated.pack(dw.weights(), kh, kw, cexp)
                : depthwise.pack(dw.weights(), kh, kw, cexp);
        this.dwBias = KernelSet.padded(dw.bias());
        this.dwLo = dw.lo();
        this.dwHi = dw.hi();
        this.projectPacked = pointwise.pack(project.weights(), cexp, cout);
        this.projectBias = KernelSet.padded(project.bias());
        this.projectLo = project.lo();
        this.projectHi = project.hi();
        this.residual = add != null;
        this.addLo = residual ? add.lo() : 0;
        this.addHi = residual ? add.hi() : 0;
        // the GEMMs round to these grids on their tiles when that is exact (always, for a quantized
        // model's clamped ranges); otherwise a separate pass does
        this.expandScale = scales[0];
        this.dwScale = scales[1];
        this.projectScale = scales[2];
        boolean fixedPoint = residual && add.shift() > 0;
        boolean projectFirst = residual && add.inputA() == project.output();
        this.addShift = fixedPoint ? add.shift() : 0;
        this.projectMultiplier = fixedPoint ? (projectFirst ? add.aMultiplier() : add.bMultiplier()) : 0;
        this.inputMultiplier = fixedPoint ? (projectFirst ? add.bMultiplier() : add.aMultiplier()) : 0;
        boolean expandInKernel = Elementwise.snapsInRange(expandLo, expandHi, scales[0], grids[0]);
        boolean projectInKernel = Elementwise.snapsInRange(projectLo, projectHi, scales[2], grids[2]);
        this.expandKernelGrid = expandInKernel ? grids[0] : 0;
        this.expandGrid = expandInKernel ? 0 : grids[0];
        boolean dwInKernel = this.padded != null && Elementwise.snapsInRange(dwLo, dwHi, scales[1], grids[1]);
        this.dwKernelGrid = dwInKernel ? grids[1] : 0;
        this.dwGrid = dwInKernel ? 0 : grids[1];
        this.projectKernelGrid = projectInKernel ? grids[2] : 0;
        this.projectGrid = projectInKernel ? 0 : grids[2];
        this.addGrid = grids[3];
        this.expandMacs = expand ? (long) h * w * cin * cexp : 0;
        this.dwMacs = (long) oh * ow * cexp * kh * kw;
        this.projectMacs = (long) oh * ow * cexp * cout;
        this.macs = expandMacs + dwMacs + projectMacs;
    }

    /**
     * The zero columns (and rows) a padded input needs around an image for this 3×3 depthwise layer, or
     * -1 when {@code kernel} does not take its stride and dilation or its padding reaches further.
     */
    static int paddedBy(Layer.DepthwiseConv2D dw, int h, int w, int oh, int ow, PaddedDepthwiseConv kernel) {
        if (dw.kh() != 3 || dw.kw() != 3 || !kernel.supports(dw.stride(), dw.dilation())) {
            return -1;
        }
        int p = dw.dilation();
        int top = dw.padding().padBefore(h, dw.effectiveKh(), dw.stride());
        int left = dw.padding().padBefore(w, dw.effectiveKw(), dw.stride());
        int bottom = (oh - 1) * dw.stride() - top + dw.effectiveKh() - h;
        int right = (ow - 1) * dw.stride() - left + dw.effectiveKw() - w;
        return top <= p && left <= p && bottom <= p && right <= p ? p : -1;
    }

    /** Floats of the expanded-row tile buffer this step needs. */
    static int expandTileFloats(int tileRows, int stride, int kh, int w, int cexp) {
        return ((tileRows - 1) * stride + kh) * w * cexp;
    }

    int expandTileFloats() {
        return expand ? expandTileFloats(tileRows, stride, ekh, w + 2 * Math.max(pad, 0), cexp) : 0;
    }

    int dwTileFloats() {
        return tileRows * ow * cexp;
    }

    @Override
    public void run(Workspace ws, int n) {
        for (int i = 0; i < n; i++) {
            rows(ws, ws, i, 0, oh, ws.profiling());
        }
    }

    /**
     * Bands of output rows (not below 16 output channels: see {@link PointwiseStep#splits}), each with
     * the part's own tiles; a band's first tile expands the rows it shares with the band above again
     * (same operations, same values).
     */
    @Override
    protected int bandRows() {
        return cout >= 16 ? oh : 0;
    }

    @Override
    protected void runBand(Workspace ws, Workspace own, int i, int oy0, int oy1) {
        rows(ws, own, i, oy0, oy1, oy0 == 0 && ws.profiling()); // the first band's phases stand for the wall time
    }

    /** Output rows [r0, r1) of image i, tile by tile, in {@code own}'s tiles. */
    private void rows(Workspace ws, Workspace own, int i, int r0, int r1, boolean profile) {
        float[] src = ws.slot(in.slot());
        float[] dst = ws.slot(out.slot());
        float[] et = own.expandTile(); // [rows][W][Cexp] from B, row iy at B + (iy - row0) * rowFloats
        float[] dt = own.dwTile();     // [tileRows][OW][Cexp] from B
        final int B = AlignedFloats.BASE; // both tiles start on a cache line
        int rowFloats = (padded != null ? w + 2 * pad : w) * cexp; // a tile row, padding included
        int inOff = in.offset(i);
        if (padded != null && expand) {
            zeroTilePadding(et, B, rowFloats);
        }
        int outOff = out.offset(i);
        int prevRow0 = 0;
        int prevHi = 0; // rows [.., prevHi) of the image are valid in the tile at (iy - prevRow0)
        for (int oy0 = r0; oy0 < r1; oy0 += tileRows) {
            int oy1 = Math.min(oy0 + tileRows, r1);
            long t0 = profile ? System.nanoTime() : 0;
            float[] dwIn;
            int dwInOff;
            int dwRow0;
            if (expand) {
                int row0 = oy0 * stride - padTop;
                int lo = Math.max(row0, 0);
                int hi = Math.min((oy1 - 1) * stride - padTop + ekh, h);
                int from = lo;
                if (prevHi > lo) {
                    // hot spot avoided: the kh - stride overlap rows move, they are not recomputed
                    System.arraycopy(et, B + (lo - prevRow0) * rowFloats, et, B + (lo - row0) * rowFloats,
                            (prevHi - lo) * rowFloats);
                    from = prevHi;
                }
                if (hi > from && padded != null) {
                    int pixels = (hi - from) * w;
                    pointwise.runRows(src, inOff + from * w * cin, 0, pixels, cin, expandPacked, expandBias, cexp,
                            et, B + (from - row0) * rowFloats + pad * cexp, w, rowFloats, pixels, 0,
                            expandLo, expandHi, expandScale, expandKernelGrid);
                    snap(et, B + (from - row0) * rowFloats, (hi - from) * rowFloats, expandScale, expandGrid); // zeros stay zero
                } else if (hi > from) {
                    pointwise.run(src, inOff + from * w * cin, (hi - from) * w, cin, expandPacked, expandBias,
                            cexp, et, B + (from - row0) * rowFloats, expandLo, expandHi, expandScale, expandKernelGrid,
                            0, cexp);
                    snap(et, B + (from - row0) * rowFloats, (hi - from) * rowFloats, expandScale, expandGrid);
                }
                if (padded != null) { // rows above and below the image the window reaches: zero rows
                    int end = (oy1 - 1) * stride - padTop + ekh;
                    Arrays.fill(et, B, B + (lo - row0) * rowFloats, 0f);
                    Arrays.fill(et, B + (Math.max(hi, lo) - row0) * rowFloats, B + (end - row0) * rowFloats, 0f);
                }
                prevRow0 = row0;
                prevHi = hi;
                dwIn = et;
                dwInOff = B;
                dwRow0 = row0;
            } else {
                dwIn = src;
                dwInOff = inOff;
                dwRow0 = 0;
            }
            long t1 = profile ? System.nanoTime() : 0;
            if (padded != null && expand) {
                padded.run(dwIn, B, rowFloats, cexp, stride, dilation, 0, pad - padLeft, dwPacked, dwBias, dt, B, ow,
                        0, oy1 - oy0, dwLo, dwHi, dwScale, dwKernelGrid);
            } else if (padded != null) { // the block input, stored padded
                padded.run(src, inOff, rowFloats, cexp, stride, dilation, pad - padTop, pad - padLeft, dwPacked, dwBias,
                        dt, B, ow, oy0, oy1, dwLo, dwHi, dwScale, dwKernelGrid);
            } else if (dilated != null) {
                // the band's rows as a smaller image from its first input row, with the top padding left
                // over (as DilatedDepthwiseStep's bands): each output sees the same inputs in the same order
                int first = oy0 * stride - padTop;
                int skip = Math.max(0, first);
                int last = Math.min(h, (oy1 - 1) * stride - padTop + ekh);
                dilated.run(dwIn, dwInOff + (skip - dwRow0) * rowFloats, last - skip, w, cexp, kh, kw, stride,
                        dilation, skip - first, padLeft, dwPacked, dwBias, dt, B, oy1 - oy0, ow, dwLo, dwHi);
            } else {
                depthwise.run(dwIn, dwInOff, dwRow0, h, w, cexp, kh, kw, stride, padTop, padLeft, dwPacked, dwBias,
                        dt, B, oy0, oh, ow, oy0, oy1, dwLo, dwHi);
            }
            snap(dt, B, (oy1 - oy0) * ow * cexp, dwScale, dwGrid);
            long t2 = profile ? System.nanoTime() : 0;
            int pix = (oy1 - oy0) * ow;
            int o = outOff + oy0 * ow * cout;
            pointwise.run(dt, B, pix, cexp, projectPacked, projectBias, cout, dst, o, projectLo, projectHi,
                    projectScale, projectKernelGrid, 0, cout);
            snap(dst, o, pix * cout, projectScale, projectGrid);
            if (residual && addShift > 0) {
                elementwise.addFixedPoint(dst, o, src, inOff + oy0 * w * cin, dst, o, pix * cout, projectMultiplier,
                        inputMultiplier, addShift, addLo, addHi);
            } else if (residual) {
                elementwise.add(dst, o, src, inOff + oy0 * w * cin, dst, o, pix * cout, addLo, addHi);
                snap(dst, o, pix * cout, addGrid > 0 ? 1f / addGrid : 1f, addGrid);
            }
            if (profile) {
                long t3 = System.nanoTime();
                if (expand) {
                    ws.addTime(Kind.EXPAND, t1 - t0);
                }
                ws.addTime(Kind.DEPTHWISE, t2 - t1);
                ws.addTime(Kind.PROJECT, t3 - t2);
            }
        }
    }

    /** Zeroes the padding columns of every row of a padded tile (the tile is shared with other blocks). */
    private void zeroTilePadding(float[] et, int base, int rowFloats) {
        int rows = (tileRows - 1) * stride + ekh;
        int side = pad * cexp;
        Arrays.fill(et, base, base + side, 0f);
        for (int r = 0; r < rows; r++) { // a row's right padding and the next row's left padding are adjacent
            int at = base + r * rowFloats + side + w * cexp;
            Arrays.fill(et, at, Math.min(at + 2 * side, base + rows * rowFloats), 0f);
        }
    }

    private void snap(float[] a, int off, int len, float scale, float grid) {
        if (grid > 0) {
            elementwise.snap(a, off, len, scale, grid);
        }
    }

    @Override
    public long macsPerImage() {
        return macs;
    }

    /** By phase, as {@link #rows} times them (the project phase includes the residual add). */
    @Override
    public long macsPerImage(Kind k) {
        return switch (k) {
            case EXPAND -> expandMacs;
            case DEPTHWISE -> dwMacs;
            case PROJECT -> projectMacs;
            default -> 0;
        };
    }
}
