package io.framewise.inference.kernels.simd;

import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LE;

import java.lang.invoke.MethodHandles;

import io.framewise.inference.kernels.Elementwise;
import io.framewise.inference.kernels.PointwiseConv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * 1×1 convolution / fully connected as a register-blocked GEMM: a tile of 6 pixel rows × 4 vectors of
 * output channels is accumulated in 24 of AVX-512's 32 registers over the whole of Cin; the panels
 * left over (Cout/VL mod 4) go through 6×2 and 6×1 tiles.
 *
 * <p>Why 6×4 and not the former 6×2: per step of Cin a tile pays 6 row-address computations and 6
 * broadcasts (Java has no pointer to step, and six row indices already fill the GPRs) whatever its
 * width; at 2 vectors that overhead stood beside only 12 FMAs (~45 instructions per 12 FMAs in C2's
 * code), and an L1-resident loop of that shape ran at 129 GFLOP/s against 150 for 6×4 and 193 for
 * bare FMAs (a 2-core Xeon at 512 bits; docs/benchmarks.md, part 4).
 *
 * <p>Weights are packed once into panels of one vector of output channels, {@code [Cout/VL][Cin][VL]}
 * ({@link PanelPacking#pointwiseOverlapped}: a Cout tail panel is shifted back to end at Cout). The
 * loop runs panel group outer, pixel tile inner: a group's weights (4·Cin·VL floats, 16 KB at Cin 64)
 * stay in L1 while every 6-row input tile streams past.
 *
 * <p>The tiles store their raw accumulators; {@link #finish} then clamps and, when asked, rounds to
 * the output's quantization grid (see {@link PointwiseConv}) while the tile is in L1. Done on the
 * accumulators, that epilogue made the 6×4 tile's compile unit pass C2's {@code NodeCountInliningCutoff},
 * and C2 then boxed the stored vectors (17.6 MB per image). With a grid the clamp is done on the
 * rounded values' bits ({@link #finishGrid}); without one it is a compare and a blend per bound.
 *
 * <p>Allocation-free by construction (JDK 17 boxes any vector C2 cannot keep in a register, and
 * materializes the box where the value is made, i.e. on every tile): no vector is passed to or
 * returned from a method, and every store is a full unmasked store (masked stores are not intrinsified
 * on 17). Tails are handled by overlap instead of masks: the last pixel tile starts at
 * {@code pixels - 6} and the last Cout panel at {@code cout - VL}, recomputing a few outputs with the
 * same operations, hence the same values; only 1-2 rows past whole 6-row tiles run one row at a time
 * ({@link #tile1x4}), where the overlap would recompute 4-5. Only Cout below one vector needs a blend
 * store ({@link #tileNarrow}).
 *
 * <p>Hot spot: the k loop of {@link #tile6x4}: 4 weight loads + 6 broadcasts feed 24 independent FMA
 * chains.
 */
public final class PointwiseGemm6x4V implements PointwiseConv {

    private static final VectorSpecies<Float> S = SpeciesSpecialization.bound(MethodHandles.lookup());
    private static final int VL = S.length();
    private static final VectorSpecies<Integer> IS = VectorSpecies.of(int.class, S.vectorShape());
    private static final int MR = 6;
    private static final int NR = 2;
    /**
     * Up to this many input channels the 6×3 and 6×2 tiles clamp and round their accumulators in
     * registers ({@link #tile6x3Rounded}, {@link #tile6x2Rounded}): with 16-32 FMAs per accumulator,
     * storing, reloading and storing again ({@link #finishGrid}) cost about as much as the FMAs. Three
     * panels wide where Cout allows: 112·5×16→96 ran at 71 GFLOP/s in 6×2 tiles and 78 in 6×3, 56·5×24→144
     * at 72 and 82 (one thread, hot, probe ~116; docs/benchmarks.md, session 21).
     */
    private static final int SMALL_K = 32;
    /** Lane indices 0..VL-1, compared against the Cout to form the blend mask of {@link #tileNarrow}. */
    private static final float[] IOTA = iota(VL);

    public PointwiseGemm6x4V(VectorSpecies<Float> species) {
        SpeciesSpecialization.check(S, species, PointwiseGemm6x4V.class);
    }

    /** This kernel specialized for {@code species} (see {@link SpeciesSpecialization}). */
    public static PointwiseConv of(VectorSpecies<Float> species) {
        return SpeciesSpecialization.instantiate(MethodHandles.lookup(), PointwiseConv.class, species);
    }

    private static float[] iota(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    @Override
    public float[] pack(float[] weights, int cin, int cout) {
        return PanelPacking.pointwiseOverlapped(weights, cin, cout, VL);
    }

    @Override
    public int columnStep() {
        return 4 * VL;
    }

    /** Column ranges are whole panel groups of the 6×4 tile (the last one ends at Cout). */
    @Override
    public void run(float[] in, int inOff, int pixels, int cin, float[] packed, float[] bias, int cout,
                    float[] out, int outOff, float lo, float hi, float scale, float grid, int col0, int col1) {
        if (col0 < 0 || col1 > cout || col0 % (4 * VL) != 0 || (col1 != cout && col1 % (4 * VL) != 0)) {
            throw new IllegalArgumentException("columns [" + col0 + ", " + col1 + ") of " + cout
                    + ": bounds must be multiples of " + 4 * VL + " or Cout");
        }
        if (col1 <= col0 || pixels <= 0) {
            return;
        }
        if (cout < VL) {
            // [scale, add, sub, grid]: with grid 0 the exact no-op x·1 + (-0) - (+0), then ·1
            float inv = grid > 0 ? scale : 1f;
            float add = grid > 0 ? Elementwise.SNAP_MAGIC : -0f;
            float sub = grid > 0 ? Elementwise.SNAP_MAGIC : 0f;
            float g = grid > 0 ? grid : 1f;
            for (int p = 0; p < pixels; p += MR) {
                tileNarrow(in, inOff + p * cin, Math.min(MR, pixels - p), cin, packed, bias, cout,
                        out, outOff + p * cout, lo, hi, inv, add, sub, g);
            }
            return;
        }
        int[] offs = rowOffsets(pixels);
        for (int p = 0; p < pixels; p++) {
            offs[p] = outOff + p * cout;
        }
        tiles(in, inOff, pixels, cin, packed, bias, cout, out, offs, lo, hi, scale, grid, col0, col1);
    }

    /**
     * Output pixel {@code p0 + j} at {@code outOff + (p / imagePixels) * imagePitch + (p % imagePixels /
     * rowPixels) * rowPitch + (p % rowPixels) * cout}: each tile row is stored where the table of
     * {@link #rowOffsets} says, so a 6-pixel tile may straddle two rows of a padded tensor at no cost.
     */
    @Override
    public void runRows(float[] in, int inOff, int p0, int pixels, int cin, float[] packed, float[] bias, int cout,
                        float[] out, int outOff, int rowPixels, int rowPitch, int imagePixels, int imagePitch,
                        float lo, float hi, float scale, float grid) {
        if (cout < VL || imagePixels % rowPixels != 0) {
            PointwiseConv.super.runRows(in, inOff, p0, pixels, cin, packed, bias, cout, out, outOff, rowPixels,
                    rowPitch, imagePixels, imagePitch, lo, hi, scale, grid);
            return;
        }
        if (pixels <= 0) {
            return;
        }
        int[] offs = rowOffsets(pixels);
        int img = p0 / imagePixels, y = p0 % imagePixels / rowPixels, x = p0 % rowPixels;
        int rowsPerImage = imagePixels / rowPixels;
        for (int j = 0; j < pixels; j++) {
            offs[j] = outOff + img * imagePitch + y * rowPitch + x * cout;
            if (++x == rowPixels) {
                x = 0;
                if (++y == rowsPerImage) {
                    y = 0;
                    img++;
                }
            }
        }
        tiles(in, inOff, pixels, cin, packed, bias, cout, out, offs, lo, hi, scale, grid, 0, cout);
    }

    /** Per-thread table of output row offsets, {@code pixels + MR} long (see {@link #tiles}). */
    private static final ThreadLocal<int[]> OFFSETS = new ThreadLocal<>();

    private static int[] rowOffsets(int pixels) {
        int[] t = OFFSETS.get();
        if (t == null || t.length < pixels + MR) {
            t = new int[pixels + MR + 64];
            OFFSETS.set(t);
        }
        return t;
    }

    /**
     * The panel-group / pixel-tile loops over a table of output offsets ({@code offs[p]}: where pixel p's
     * row of Cout starts). Entries past the last pixel repeat it: a call of fewer than 6 pixels stores
     * its extra tile rows onto the last row (see {@link #tile6x2}).
     */
    private static void tiles(float[] in, int inOff, int pixels, int cin, float[] packed, float[] bias, int cout,
                              float[] out, int[] offs, float lo, float hi, float scale, float grid, int col0, int col1) {
        for (int p = pixels; p < pixels + MR; p++) {
            offs[p] = offs[pixels - 1];
        }
        int panels = col1 == cout ? (cout + VL - 1) / VL : col1 / VL;
        int rows = Math.min(MR, pixels);
        int j = col0 / VL;
        if (grid > 0 && cin <= SMALL_K) {
            float magic = Elementwise.SNAP_MAGIC;
            int lBits = Float.floatToRawIntBits(lo * scale + magic), uBits = Float.floatToRawIntBits(hi * scale + magic);
            for (; j + 3 <= panels; j += 3) {
                int c0 = PanelPacking.panelStart(j, cout, VL), c1 = PanelPacking.panelStart(j + 1, cout, VL);
                int c2 = PanelPacking.panelStart(j + 2, cout, VL);
                for (int p = 0; p < pixels; p += MR) {
                    int p0 = Math.max(0, Math.min(p, pixels - MR));
                    tile6x3Rounded(in, inOff + p0 * cin, rows, cin, packed, j * cin * VL, bias, c0, c1, c2, out, offs, p0,
                            scale, lBits, uBits, grid);
                }
            }
            for (; j + NR <= panels; j += NR) {
                int c0 = PanelPacking.panelStart(j, cout, VL), c1 = PanelPacking.panelStart(j + 1, cout, VL);
                for (int p = 0; p < pixels; p += MR) {
                    int p0 = Math.max(0, Math.min(p, pixels - MR));
                    tile6x2Rounded(in, inOff + p0 * cin, rows, cin, packed, j * cin * VL, bias, c0, c1, out, offs, p0,
                            scale, lBits, uBits, grid);
                }
            }
        }
        // 1 or 2 rows past whole 6-row tiles run one row at a time: the overlapping last tile recomputed
        // 4-5 rows (49 pixels, a 7×7 map, took 9 tiles for 8.2; 25, one part of it on 2 threads, 5 for 4.2)
        int tail = pixels > MR && pixels % MR <= 2 ? pixels % MR : 0;
        int body = pixels - tail;
        for (; j + 4 <= panels; j += 4) {
            int c0 = PanelPacking.panelStart(j, cout, VL), c1 = PanelPacking.panelStart(j + 1, cout, VL);
            int c2 = PanelPacking.panelStart(j + 2, cout, VL), c3 = PanelPacking.panelStart(j + 3, cout, VL);
            for (int p = 0; p < body; p += MR) {
                int p0 = Math.max(0, Math.min(p, body - MR)); // the last tile overlaps its neighbour
                tile6x4(in, inOff + p0 * cin, rows, cin, packed, j * cin * VL, bias, c0, c1, c2, c3, out, offs, p0);
                finish(out, offs, p0, rows, c0, c3 + VL, lo, hi, scale, grid);
            }
            int ps = cin * VL, w0 = j * ps;
            for (int p = body; p < pixels; p++) {
                tile1x4(in, inOff + p * cin, cin, packed, w0, w0 + ps, w0 + 2 * ps, w0 + 3 * ps, bias, c0, c1, c2, c3,
                        out, offs[p]);
                finish(out, offs, p, 1, c0, c3 + VL, lo, hi, scale, grid);
            }
        }
        for (; j + NR <= panels; j += NR) {
            int c0 = PanelPacking.panelStart(j, cout, VL), c1 = PanelPacking.panelStart(j + 1, cout, VL);
            for (int p = 0; p < body; p += MR) {
                int p0 = Math.max(0, Math.min(p, body - MR));
                tile6x2(in, inOff + p0 * cin, rows, cin, packed, j * cin * VL, bias, c0, c1, out, offs, p0);
                finish(out, offs, p0, rows, c0, c1 + VL, lo, hi, scale, grid);
            }
            int ps = cin * VL, w0 = j * ps;
            for (int p = body; p < pixels; p++) { // the pair twice over: the same values stored twice
                tile1x4(in, inOff + p * cin, cin, packed, w0, w0 + ps, w0, w0 + ps, bias, c0, c1, c0, c1, out, offs[p]);
                finish(out, offs, p, 1, c0, c1 + VL, lo, hi, scale, grid);
            }
        }
        if (j < panels && pixels >= 2 * MR) {
            // one panel: 12 rows keep 12 FMA chains in flight where 6 rows left the two FMA pipes a
            // quarter idle (4-cycle latency); MobileNetV2's 32 -> 16 projection and the odd panel of a group
            int c0 = PanelPacking.panelStart(j, cout, VL);
            for (int p = 0; p < pixels; p += 2 * MR) {
                int p0 = Math.min(p, pixels - 2 * MR);
                tile12x1(in, inOff + p0 * cin, cin, packed, j * cin * VL, bias, c0, out, offs, p0);
                finish(out, offs, p0, 2 * MR, c0, c0 + VL, lo, hi, scale, grid);
            }
        } else if (j < panels && j > col0 / VL) {
            // the odd panel of a short call (a classifier's head at a batch of 2-11) with the panel before
            // it, again: tile6x2 is hot in every network, whereas tile6x1 ran boxed for the first ~60
            // batches of 8 (1280-long k loop, reached by no other layer). Panel j - 1 is stored raw and
            // rounded again from raw: the same values, each rounded once after its own tile.
            int c0 = PanelPacking.panelStart(j - 1, cout, VL), c1 = PanelPacking.panelStart(j, cout, VL);
            for (int p = 0; p < pixels; p += MR) {
                int p0 = Math.max(0, Math.min(p, pixels - MR));
                tile6x2(in, inOff + p0 * cin, rows, cin, packed, (j - 1) * cin * VL, bias, c0, c1, out, offs, p0);
                finish(out, offs, p0, rows, c0, c1 + VL, lo, hi, scale, grid);
            }
        } else if (j < panels) {
            int c0 = PanelPacking.panelStart(j, cout, VL);
            for (int p = 0; p < pixels; p += MR) {
                int p0 = Math.max(0, Math.min(p, pixels - MR));
                tile6x1(in, inOff + p0 * cin, rows, cin, packed, j * cin * VL, bias, c0, out, offs, p0);
                finish(out, offs, p0, rows, c0, c0 + VL, lo, hi, scale, grid);
            }
        }
    }

    /**
     * Channels {@code [co0, co0 + VL)} .. {@code [co3, co3 + VL)}, all inside Cout, from the four
     * consecutive panels at {@code w0}. Rows past {@code rows}: see {@link #tile6x2}.
     */
    private static void tile6x4(float[] in, int a0, int rows, int cin, float[] w, int w0, float[] bias,
                                int co0, int co1, int co2, int co3, float[] out, int[] offs, int pi) {
        FloatVector b0 = FloatVector.fromArray(S, bias, co0);
        FloatVector b1 = FloatVector.fromArray(S, bias, co1);
        FloatVector b2 = FloatVector.fromArray(S, bias, co2);
        FloatVector b3 = FloatVector.fromArray(S, bias, co3);
        FloatVector c00 = b0, c01 = b1, c02 = b2, c03 = b3, c10 = b0, c11 = b1, c12 = b2, c13 = b3;
        FloatVector c20 = b0, c21 = b1, c22 = b2, c23 = b3, c30 = b0, c31 = b1, c32 = b2, c33 = b3;
        FloatVector c40 = b0, c41 = b1, c42 = b2, c43 = b3, c50 = b0, c51 = b1, c52 = b2, c53 = b3;
        int a1 = a0 + Math.min(1, rows - 1) * cin, a2 = a0 + Math.min(2, rows - 1) * cin;
        int a3 = a0 + Math.min(3, rows - 1) * cin, a4 = a0 + Math.min(4, rows - 1) * cin;
        int a5 = a0 + Math.min(5, rows - 1) * cin;
        int ps = cin * VL; // one panel
        for (int k = 0; k < cin; k++) {
            int wk = w0 + k * VL;
            FloatVector v0 = FloatVector.fromArray(S, w, wk);
            FloatVector v1 = FloatVector.fromArray(S, w, wk + ps);
            FloatVector v2 = FloatVector.fromArray(S, w, wk + 2 * ps);
            FloatVector v3 = FloatVector.fromArray(S, w, wk + 3 * ps);
            FloatVector x = FloatVector.broadcast(S, in[a0 + k]);
            c00 = x.fma(v0, c00); c01 = x.fma(v1, c01); c02 = x.fma(v2, c02); c03 = x.fma(v3, c03);
            x = FloatVector.broadcast(S, in[a1 + k]);
            c10 = x.fma(v0, c10); c11 = x.fma(v1, c11); c12 = x.fma(v2, c12); c13 = x.fma(v3, c13);
            x = FloatVector.broadcast(S, in[a2 + k]);
            c20 = x.fma(v0, c20); c21 = x.fma(v1, c21); c22 = x.fma(v2, c22); c23 = x.fma(v3, c23);
            x = FloatVector.broadcast(S, in[a3 + k]);
            c30 = x.fma(v0, c30); c31 = x.fma(v1, c31); c32 = x.fma(v2, c32); c33 = x.fma(v3, c33);
            x = FloatVector.broadcast(S, in[a4 + k]);
            c40 = x.fma(v0, c40); c41 = x.fma(v1, c41); c42 = x.fma(v2, c42); c43 = x.fma(v3, c43);
            x = FloatVector.broadcast(S, in[a5 + k]);
            c50 = x.fma(v0, c50); c51 = x.fma(v1, c51); c52 = x.fma(v2, c52); c53 = x.fma(v3, c53);
        }
        int o0 = offs[pi], o1 = offs[pi + 1], o2 = offs[pi + 2], o3 = offs[pi + 3], o4 = offs[pi + 4];
        int o5 = offs[pi + 5];
        c00.intoArray(out, o0 + co0);
        c01.intoArray(out, o0 + co1);
        c02.intoArray(out, o0 + co2);
        c03.intoArray(out, o0 + co3);
        c10.intoArray(out, o1 + co0);
        c11.intoArray(out, o1 + co1);
        c12.intoArray(out, o1 + co2);
        c13.intoArray(out, o1 + co3);
        c20.intoArray(out, o2 + co0);
        c21.intoArray(out, o2 + co1);
        c22.intoArray(out, o2 + co2);
        c23.intoArray(out, o2 + co3);
        c30.intoArray(out, o3 + co0);
        c31.intoArray(out, o3 + co1);
        c32.intoArray(out, o3 + co2);
        c33.intoArray(out, o3 + co3);
        c40.intoArray(out, o4 + co0);
        c41.intoArray(out, o4 + co1);
        c42.intoArray(out, o4 + co2);
        c43.intoArray(out, o4 + co3);
        c50.intoArray(out, o5 + co0);
        c51.intoArray(out, o5 + co1);
        c52.intoArray(out, o5 + co2);
        c53.intoArray(out, o5 + co3);
    }

    /**
     * One row × the panels at weight offsets {@code wa..wd} (channels {@code co0..co3}), raw as
     * {@link #tile6x4} stores them: the same FMA chain per output, so the same values. Four chains keep
     * the FMA pipe busy at its 4-cycle latency; 5 loads per 4 FMAs make it slower per FMA than the 6-row
     * tile, but it computes no row twice.
     */
    private static void tile1x4(float[] in, int a, int cin, float[] w, int wa, int wb, int wc, int wd, float[] bias,
                                int co0, int co1, int co2, int co3, float[] out, int o) {
        FloatVector c0 = FloatVector.fromArray(S, bias, co0), c1 = FloatVector.fromArray(S, bias, co1);
        FloatVector c2 = FloatVector.fromArray(S, bias, co2), c3 = FloatVector.fromArray(S, bias, co3);
        for (int k = 0; k < cin; k++) {
            FloatVector x = FloatVector.broadcast(S, in[a + k]);
            int kv = k * VL;
            c0 = x.fma(FloatVector.fromArray(S, w, wa + kv), c0);
            c1 = x.fma(FloatVector.fromArray(S, w, wb + kv), c1);
            c2 = x.fma(FloatVector.fromArray(S, w, wc + kv), c2);
            c3 = x.fma(FloatVector.fromArray(S, w, wd + kv), c3);
        }
        c0.intoArray(out, o + co0);
        c1.intoArray(out, o + co1);
        c2.intoArray(out, o + co2);
        c3.intoArray(out, o + co3);
    }

    /**
     * Channels {@code [co0, co0 + VL)} and {@code [co1, co1 + VL)}, both inside Cout. Rows past
     * {@code rows} (only when the whole call has fewer than 6 pixels) re-read the last row and store
     * its values onto it again: a partial tile still keeps 12 chains busy, without a branch.
     */
    private static void tile6x2(float[] in, int a0, int rows, int cin, float[] w, int w0, float[] bias,
                                int co0, int co1, float[] out, int[] offs, int pi) {
        int w1 = w0 + cin * VL;
        FloatVector b0 = FloatVector.fromArray(S, bias, co0);
        FloatVector b1 = FloatVector.fromArray(S, bias, co1);
        FloatVector c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1;
        FloatVector c30 = b0, c31 = b1, c40 = b0, c41 = b1, c50 = b0, c51 = b1;
        int a1 = a0 + Math.min(1, rows - 1) * cin, a2 = a0 + Math.min(2, rows - 1) * cin;
        int a3 = a0 + Math.min(3, rows - 1) * cin, a4 = a0 + Math.min(4, rows - 1) * cin;
        int a5 = a0 + Math.min(5, rows - 1) * cin;
        for (int k = 0; k < cin; k++) {
            FloatVector v0 = FloatVector.fromArray(S, w, w0 + k * VL);
            FloatVector v1 = FloatVector.fromArray(S, w, w1 + k * VL);
            FloatVector x = FloatVector.broadcast(S, in[a0 + k]);
            c00 = x.fma(v0, c00);
            c01 = x.fma(v1, c01);
            x = FloatVector.broadcast(S, in[a1 + k]);
            c10 = x.fma(v0, c10);
            c11 = x.fma(v1, c11);
            x = FloatVector.broadcast(S, in[a2 + k]);
            c20 = x.fma(v0, c20);
            c21 = x.fma(v1, c21);
            x = FloatVector.broadcast(S, in[a3 + k]);
            c30 = x.fma(v0, c30);
            c31 = x.fma(v1, c31);
            x = FloatVector.broadcast(S, in[a4 + k]);
            c40 = x.fma(v0, c40);
            c41 = x.fma(v1, c41);
            x = FloatVector.broadcast(S, in[a5 + k]);
            c50 = x.fma(v0, c50);
            c51 = x.fma(v1, c51);
        }
        // Rows past `rows` hold the last row's values again: stored onto that row (same values), so
        // there is no branch a rare 1-pixel call could take first after C2 compiled this (a deopt).
        int o0 = offs[pi], o1 = offs[pi + 1], o2 = offs[pi + 2], o3 = offs[pi + 3], o4 = offs[pi + 4];
        int o5 = offs[pi + 5];
        c00.intoArray(out, o0 + co0);
        c01.intoArray(out, o0 + co1);
        c10.intoArray(out, o1 + co0);
        c11.intoArray(out, o1 + co1);
        c20.intoArray(out, o2 + co0);
        c21.intoArray(out, o2 + co1);
        c30.intoArray(out, o3 + co0);
        c31.intoArray(out, o3 + co1);
        c40.intoArray(out, o4 + co0);
        c41.intoArray(out, o4 + co1);
        c50.intoArray(out, o5 + co0);
        c51.intoArray(out, o5 + co1);
    }

    /** The odd last panel of a block: 6 rows × 1 vector (6 chains), channels {@code [co, co + VL)} inside Cout. */
    private static void tile6x1(float[] in, int a0, int rows, int cin, float[] w, int w0, float[] bias, int co,
                                float[] out, int[] offs, int pi) {
        FloatVector b = FloatVector.fromArray(S, bias, co);
        FloatVector c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b;
        int a1 = a0 + Math.min(1, rows - 1) * cin, a2 = a0 + Math.min(2, rows - 1) * cin;
        int a3 = a0 + Math.min(3, rows - 1) * cin, a4 = a0 + Math.min(4, rows - 1) * cin;
        int a5 = a0 + Math.min(5, rows - 1) * cin;
        for (int k = 0; k < cin; k++) {
            FloatVector v = FloatVector.fromArray(S, w, w0 + k * VL);
            c0 = FloatVector.broadcast(S, in[a0 + k]).fma(v, c0);
            c1 = FloatVector.broadcast(S, in[a1 + k]).fma(v, c1);
            c2 = FloatVector.broadcast(S, in[a2 + k]).fma(v, c2);
            c3 = FloatVector.broadcast(S, in[a3 + k]).fma(v, c3);
            c4 = FloatVector.broadcast(S, in[a4 + k]).fma(v, c4);
            c5 = FloatVector.broadcast(S, in[a5 + k]).fma(v, c5);
        }
        int o0 = offs[pi], o1 = offs[pi + 1], o2 = offs[pi + 2], o3 = offs[pi + 3], o4 = offs[pi + 4];
        int o5 = offs[pi + 5];
        c0.intoArray(out, o0 + co); // rows past `rows` land on the last row: see tile6x2
        c1.intoArray(out, o1 + co);
        c2.intoArray(out, o2 + co);
        c3.intoArray(out, o3 + co);
        c4.intoArray(out, o4 + co);
        c5.intoArray(out, o5 + co);
    }

    /**
     * {@link #tile6x2} with {@link #finishGrid}'s clamp and rounding done on the accumulators before the one
     * store: the same operations in the same order, so the same bits. Only for small Cin: the compile
     * unit stays far below the size at which C2 boxed the 6×4 tile's vectors (docs/benchmarks.md, part 4).
     */
    private static void tile6x2Rounded(float[] in, int a0, int rows, int cin, float[] w, int w0, float[] bias,
                                       int co0, int co1, float[] out, int[] offs, int pi,
                                       float inv, int lBits, int uBits, float grid) {
        int w1 = w0 + cin * VL;
        FloatVector b0 = FloatVector.fromArray(S, bias, co0);
        FloatVector b1 = FloatVector.fromArray(S, bias, co1);
        FloatVector c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1;
        FloatVector c30 = b0, c31 = b1, c40 = b0, c41 = b1, c50 = b0, c51 = b1;
        int a1 = a0 + Math.min(1, rows - 1) * cin, a2 = a0 + Math.min(2, rows - 1) * cin;
        int a3 = a0 + Math.min(3, rows - 1) * cin, a4 = a0 + Math.min(4, rows - 1) * cin;
        int a5 = a0 + Math.min(5, rows - 1) * cin;
        for (int k = 0; k < cin; k++) {
            FloatVector v0 = FloatVector.fromArray(S, w, w0 + k * VL);
            FloatVector v1 = FloatVector.fromArray(S, w, w1 + k * VL);
            FloatVector x = FloatVector.broadcast(S, in[a0 + k]);
            c00 = x.fma(v0, c00);
            c01 = x.fma(v1, c01);
            x = FloatVector.broadcast(S, in[a1 + k]);
            c10 = x.fma(v0, c10);
            c11 = x.fma(v1, c11);
            x = FloatVector.broadcast(S, in[a2 + k]);
            c20 = x.fma(v0, c20);
            c21 = x.fma(v1, c21);
            x = FloatVector.broadcast(S, in[a3 + k]);
            c30 = x.fma(v0, c30);
            c31 = x.fma(v1, c31);
            x = FloatVector.broadcast(S, in[a4 + k]);
            c40 = x.fma(v0, c40);
            c41 = x.fma(v1, c41);
            x = FloatVector.broadcast(S, in[a5 + k]);
            c50 = x.fma(v0, c50);
            c51 = x.fma(v1, c51);
        }
        FloatVector vi = FloatVector.broadcast(S, inv), vm = FloatVector.broadcast(S, Elementwise.SNAP_MAGIC);
        FloatVector vg = FloatVector.broadcast(S, grid);
        IntVector l = IntVector.broadcast(IS, lBits), u = IntVector.broadcast(IS, uBits);
        int o0 = offs[pi], o1 = offs[pi + 1], o2 = offs[pi + 2], o3 = offs[pi + 3], o4 = offs[pi + 4];
        int o5 = offs[pi + 5];
        ((FloatVector) c00.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o0 + co0);
        ((FloatVector) c01.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o0 + co1);
        ((FloatVector) c10.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o1 + co0);
        ((FloatVector) c11.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o1 + co1);
        ((FloatVector) c20.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o2 + co0);
        ((FloatVector) c21.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o2 + co1);
        ((FloatVector) c30.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o3 + co0);
        ((FloatVector) c31.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o3 + co1);
        ((FloatVector) c40.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o4 + co0);
        ((FloatVector) c41.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o4 + co1);
        ((FloatVector) c50.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o5 + co0);
        ((FloatVector) c51.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o5 + co1);
    }

    /**
     * {@link #tile6x2Rounded} three panels wide (18 accumulators): at Cin 16-24 the per-tile work that
     * does not grow with the width (the call, six row addresses and broadcasts per k, the output offsets)
     * weighs on 12 FMAs per k in the 6×2 tile; MobileNetV2's 16→96 and 24→144 expansions are 6 and 9 panels.
     */
    private static void tile6x3Rounded(float[] in, int a0, int rows, int cin, float[] w, int w0, float[] bias,
                                       int co0, int co1, int co2, float[] out, int[] offs, int pi,
                                       float inv, int lBits, int uBits, float grid) {
        int w1 = w0 + cin * VL, w2 = w1 + cin * VL;
        FloatVector b0 = FloatVector.fromArray(S, bias, co0);
        FloatVector b1 = FloatVector.fromArray(S, bias, co1);
        FloatVector b2 = FloatVector.fromArray(S, bias, co2);
        FloatVector c00 = b0, c01 = b1, c02 = b2, c10 = b0, c11 = b1, c12 = b2, c20 = b0, c21 = b1, c22 = b2;
        FloatVector c30 = b0, c31 = b1, c32 = b2, c40 = b0, c41 = b1, c42 = b2, c50 = b0, c51 = b1, c52 = b2;
        int a1 = a0 + Math.min(1, rows - 1) * cin, a2 = a0 + Math.min(2, rows - 1) * cin;
        int a3 = a0 + Math.min(3, rows - 1) * cin, a4 = a0 + Math.min(4, rows - 1) * cin;
        int a5 = a0 + Math.min(5, rows - 1) * cin;
        for (int k = 0; k < cin; k++) {
            FloatVector v0 = FloatVector.fromArray(S, w, w0 + k * VL);
            FloatVector v1 = FloatVector.fromArray(S, w, w1 + k * VL);
            FloatVector v2 = FloatVector.fromArray(S, w, w2 + k * VL);
            FloatVector x = FloatVector.broadcast(S, in[a0 + k]);
            c00 = x.fma(v0, c00);
            c01 = x.fma(v1, c01);
            c02 = x.fma(v2, c02);
            x = FloatVector.broadcast(S, in[a1 + k]);
            c10 = x.fma(v0, c10);
            c11 = x.fma(v1, c11);
            c12 = x.fma(v2, c12);
            x = FloatVector.broadcast(S, in[a2 + k]);
            c20 = x.fma(v0, c20);
            c21 = x.fma(v1, c21);
            c22 = x.fma(v2, c22);
            x = FloatVector.broadcast(S, in[a3 + k]);
            c30 = x.fma(v0, c30);
            c31 = x.fma(v1, c31);
            c32 = x.fma(v2, c32);
            x = FloatVector.broadcast(S, in[a4 + k]);
            c40 = x.fma(v0, c40);
            c41 = x.fma(v1, c41);
            c42 = x.fma(v2, c42);
            x = FloatVector.broadcast(S, in[a5 + k]);
            c50 = x.fma(v0, c50);
            c51 = x.fma(v1, c51);
            c52 = x.fma(v2, c52);
        }
        FloatVector vi = FloatVector.broadcast(S, inv), vm = FloatVector.broadcast(S, Elementwise.SNAP_MAGIC);
        FloatVector vg = FloatVector.broadcast(S, grid);
        IntVector l = IntVector.broadcast(IS, lBits), u = IntVector.broadcast(IS, uBits);
        int o0 = offs[pi], o1 = offs[pi + 1], o2 = offs[pi + 2], o3 = offs[pi + 3], o4 = offs[pi + 4];
        int o5 = offs[pi + 5];
        ((FloatVector) c00.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o0 + co0);
        ((FloatVector) c01.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o0 + co1);
        ((FloatVector) c02.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o0 + co2);
        ((FloatVector) c10.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o1 + co0);
        ((FloatVector) c11.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o1 + co1);
        ((FloatVector) c12.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o1 + co2);
        ((FloatVector) c20.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o2 + co0);
        ((FloatVector) c21.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o2 + co1);
        ((FloatVector) c22.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o2 + co2);
        ((FloatVector) c30.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o3 + co0);
        ((FloatVector) c31.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o3 + co1);
        ((FloatVector) c32.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o3 + co2);
        ((FloatVector) c40.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o4 + co0);
        ((FloatVector) c41.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o4 + co1);
        ((FloatVector) c42.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o4 + co2);
        ((FloatVector) c50.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o5 + co0);
        ((FloatVector) c51.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o5 + co1);
        ((FloatVector) c52.mul(vi).add(vm).reinterpretAsInts().max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o5 + co2);
    }

    /** One panel, 12 full rows (12 chains), channels {@code [co, co + VL)} inside Cout. */
    private static void tile12x1(float[] in, int a0, int cin, float[] w, int w0, float[] bias, int co,
                                 float[] out, int[] offs, int pi) {
        FloatVector b = FloatVector.fromArray(S, bias, co);
        FloatVector c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b, c6 = b, c7 = b, c8 = b, c9 = b, c10 = b, c11 = b;
        for (int k = 0; k < cin; k++) {
            FloatVector v = FloatVector.fromArray(S, w, w0 + k * VL);
            int a = a0 + k;
            c0 = FloatVector.broadcast(S, in[a]).fma(v, c0);
            c1 = FloatVector.broadcast(S, in[a + cin]).fma(v, c1);
            c2 = FloatVector.broadcast(S, in[a + 2 * cin]).fma(v, c2);
            c3 = FloatVector.broadcast(S, in[a + 3 * cin]).fma(v, c3);
            c4 = FloatVector.broadcast(S, in[a + 4 * cin]).fma(v, c4);
            c5 = FloatVector.broadcast(S, in[a + 5 * cin]).fma(v, c5);
            c6 = FloatVector.broadcast(S, in[a + 6 * cin]).fma(v, c6);
            c7 = FloatVector.broadcast(S, in[a + 7 * cin]).fma(v, c7);
            c8 = FloatVector.broadcast(S, in[a + 8 * cin]).fma(v, c8);
            c9 = FloatVector.broadcast(S, in[a + 9 * cin]).fma(v, c9);
            c10 = FloatVector.broadcast(S, in[a + 10 * cin]).fma(v, c10);
            c11 = FloatVector.broadcast(S, in[a + 11 * cin]).fma(v, c11);
        }
        c0.intoArray(out, offs[pi] + co);
        c1.intoArray(out, offs[pi + 1] + co);
        c2.intoArray(out, offs[pi + 2] + co);
        c3.intoArray(out, offs[pi + 3] + co);
        c4.intoArray(out, offs[pi + 4] + co);
        c5.intoArray(out, offs[pi + 5] + co);
        c6.intoArray(out, offs[pi + 6] + co);
        c7.intoArray(out, offs[pi + 7] + co);
        c8.intoArray(out, offs[pi + 8] + co);
        c9.intoArray(out, offs[pi + 9] + co);
        c10.intoArray(out, offs[pi + 10] + co);
        c11.intoArray(out, offs[pi + 11] + co);
    }

    /**
     * The tiles' epilogue, on channels {@code [c0, c1)} of {@code rows} rows just stored (in L1): the
     * clamp to {@code [lo, hi]} and, with a grid, the rounding to it. It is not done on the accumulators
     * before their store because that made {@link #tile6x4}'s compile unit too large
     * (docs/benchmarks.md, part 4). A tail panel shifted back over its neighbour recomputes the shared
     * columns and stores them unrounded again, so each finish rounds values of its own tile once.
     */
    private static void finish(float[] out, int[] offs, int pi, int rows, int c0, int c1, float lo, float hi,
                               float scale, float grid) {
        if (grid > 0) {
            finishGrid(out, offs, pi, rows, c0, c1, lo, hi, scale, grid);
        } else {
            finishClamp(out, offs, pi, rows, c0, c1, lo, hi);
        }
    }

    /**
     * The clamp alone, as a compare and a blend per bound, not {@code max}/{@code min}: those follow
     * Java's NaN and -0 rules in 5 instructions each. {@code LE}/{@code GT} keep a NaN (as
     * {@code Math.max}/{@code min} do) and give {@code Math.max(-0, +0) = +0}; the only differences are
     * for a bound that is itself -0, which no activation range has.
     */
    private static void finishClamp(float[] out, int[] offs, int pi, int rows, int c0, int c1, float lo, float hi) {
        FloatVector l = FloatVector.broadcast(S, lo), u = FloatVector.broadcast(S, hi);
        int full = c0 + (c1 - c0) / VL * VL; // a shifted-back tail panel leaves c1 - c0 off the vector grid
        for (int r = 0; r < rows; r++) {
            int o = offs[pi + r];
            for (int c = c0; c < full; c += VL) {
                FloatVector v = FloatVector.fromArray(S, out, o + c);
                v.blend(l, v.compare(LE, l)).blend(u, v.compare(GT, u)).intoArray(out, o + c);
            }
            if (full < c1) {
                int at = o + c1 - VL;
                FloatVector v = FloatVector.fromArray(S, out, at);
                v.blend(l, v.compare(LE, l)).blend(u, v.compare(GT, u)).intoArray(out, at);
            }
        }
    }

    /**
     * Clamp and rounding in 6 vector operations where the clamp first took 4 and the rounding 4 more
     * (and the epilogue cost 40 % of a 16-input-channel GEMM: 77 against 128 GFLOP/s without it,
     * docs/benchmarks.md part 6). {@code t = x·(1/grid) + 1.5·2^23} holds {@code rint(x/grid)} in its
     * low mantissa bits, and on those floats (all positive, one binade for |x/grid| < 2^22, smaller or
     * larger binades beyond, negative bits below -1.5·2^23) the integer order of the bits is the order of
     * the values. So two integer {@code max}/{@code min} (one instruction each) against the bounds'
     * own {@code t} clamp in the rounded domain, and {@code (t - 1.5·2^23)·grid} is the result
     * ({@code inv} is 1/grid, or the integer domain's requantization scale with grid 1). Because
     * {@code t(x)} is monotone, {@code clamp(t(x), t(lo), t(hi)) = t(clamp(x, lo, hi))}: bit for bit
     * what clamping first and then rounding gives ({@link Elementwise#snap}).
     */
    private static void finishGrid(float[] out, int[] offs, int pi, int rows, int c0, int c1,
                                   float lo, float hi, float inv, float grid) {
        float magic = Elementwise.SNAP_MAGIC;
        IntVector l = IntVector.broadcast(IS, Float.floatToRawIntBits(lo * inv + magic));
        IntVector u = IntVector.broadcast(IS, Float.floatToRawIntBits(hi * inv + magic));
        FloatVector vi = FloatVector.broadcast(S, inv), vm = FloatVector.broadcast(S, magic);
        FloatVector vg = FloatVector.broadcast(S, grid);
        int full = c0 + (c1 - c0) / VL * VL;
        for (int r = 0; r < rows; r++) {
            int o = offs[pi + r];
            // the shifted-back tail vector is read before the loop rounds the lanes it shares: the
            // integer domain's rounding (scale ≠ 1/grid) must see every accumulator once
            int at = full < c1 ? o + c1 - VL : o + c0;
            FloatVector tail = FloatVector.fromArray(S, out, at);
            for (int c = c0; c < full; c += VL) {
                IntVector t = FloatVector.fromArray(S, out, o + c).mul(vi).add(vm).reinterpretAsInts();
                ((FloatVector) t.max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, o + c);
            }
            if (full < c1) {
                IntVector t = tail.mul(vi).add(vm).reinterpretAsInts();
                ((FloatVector) t.max(l).min(u).reinterpretAsFloats()).sub(vm).mul(vg).intoArray(out, at);
            }
        }
    }

    /**
     * Cout below one vector: 6 rows × 1 zero-padded panel. Each row is stored by blending into the
     * vector already in {@code out}, which needs VL floats in bounds: true with the planner's
     * {@code ARRAY_PAD}; an unpadded caller's last rows go through {@link TailAccess} (allocates).
     */
    private static void tileNarrow(float[] in, int a0, int rows, int cin, float[] w, float[] bias, int cout,
                                   float[] out, int o0, float lo, float hi, float inv, float add, float sub, float g) {
        FloatVector b = FloatVector.fromArray(S, TailAccess.fit(bias, 0, VL), 0);
        FloatVector c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b;
        int a1 = a0 + Math.min(1, rows - 1) * cin, a2 = a0 + Math.min(2, rows - 1) * cin;
        int a3 = a0 + Math.min(3, rows - 1) * cin, a4 = a0 + Math.min(4, rows - 1) * cin;
        int a5 = a0 + Math.min(5, rows - 1) * cin;
        for (int k = 0; k < cin; k++) {
            FloatVector v = FloatVector.fromArray(S, w, k * VL);
            c0 = FloatVector.broadcast(S, in[a0 + k]).fma(v, c0);
            c1 = FloatVector.broadcast(S, in[a1 + k]).fma(v, c1);
            c2 = FloatVector.broadcast(S, in[a2 + k]).fma(v, c2);
            c3 = FloatVector.broadcast(S, in[a3 + k]).fma(v, c3);
            c4 = FloatVector.broadcast(S, in[a4 + k]).fma(v, c4);
            c5 = FloatVector.broadcast(S, in[a5 + k]).fma(v, c5);
        }
        FloatVector l = FloatVector.broadcast(S, lo), u = FloatVector.broadcast(S, hi);
        FloatVector vi = FloatVector.broadcast(S, inv), va = FloatVector.broadcast(S, add);
        FloatVector vs = FloatVector.broadcast(S, sub), vg = FloatVector.broadcast(S, g);
        c0 = c0.max(l).min(u).mul(vi).add(va).sub(vs).mul(vg);
        c1 = c1.max(l).min(u).mul(vi).add(va).sub(vs).mul(vg);
        c2 = c2.max(l).min(u).mul(vi).add(va).sub(vs).mul(vg);
        c3 = c3.max(l).min(u).mul(vi).add(va).sub(vs).mul(vg);
        c4 = c4.max(l).min(u).mul(vi).add(va).sub(vs).mul(vg);
        c5 = c5.max(l).min(u).mul(vi).add(va).sub(vs).mul(vg);
        int o1 = o0 + cout, o2 = o1 + cout, o3 = o2 + cout, o4 = o3 + cout, o5 = o4 + cout;
        if (o0 + (rows - 1) * cout + VL <= out.length) {
            VectorMask<Float> m = FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.LT, (float) cout);
            FloatVector.fromArray(S, out, o0).blend(c0, m).intoArray(out, o0);
            if (rows > 1) {
                FloatVector.fromArray(S, out, o1).blend(c1, m).intoArray(out, o1);
            }
            if (rows > 2) {
                FloatVector.fromArray(S, out, o2).blend(c2, m).intoArray(out, o2);
            }
            if (rows > 3) {
                FloatVector.fromArray(S, out, o3).blend(c3, m).intoArray(out, o3);
            }
            if (rows > 4) {
                FloatVector.fromArray(S, out, o4).blend(c4, m).intoArray(out, o4);
            }
            if (rows > 5) {
                FloatVector.fromArray(S, out, o5).blend(c5, m).intoArray(out, o5);
            }
            return;
        }
        TailAccess.store(c0.toArray(), out, o0, cout);
        if (rows > 1) {
            TailAccess.store(c1.toArray(), out, o1, cout);
        }
        if (rows > 2) {
            TailAccess.store(c2.toArray(), out, o2, cout);
        }
        if (rows > 3) {
            TailAccess.store(c3.toArray(), out, o3, cout);
        }
        if (rows > 4) {
            TailAccess.store(c4.toArray(), out, o4, cout);
        }
        if (rows > 5) {
            TailAccess.store(c5.toArray(), out, o5, cout);
        }
    }
}
