package io.framewise.inference.kernels.simd;

import java.lang.invoke.MethodHandles;

import io.framewise.inference.kernels.ByteGemv;
import io.framewise.inference.kernels.Elementwise;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * One row × 4 vectors of output channels with byte weights ({@link ByteGemv}): per input channel, 4
 * loads of VL bytes, each sign-extended to VL ints, offset by the zero, converted and scaled in
 * registers to the fp32 weights, and 4 fused multiply-adds against the broadcast input.
 *
 * <p>Weights are packed like {@link PanelPacking#pointwiseOverlapped} but as bytes, {@code [Cout/VL][Cin][VL]}:
 * the last panel is shifted back to end at Cout, so every store is a full vector (Cout of at least
 * one vector; {@link #pack} declines narrower layers). The loop runs panel group outer, k inner; the
 * row is then clamped and rounded as {@code PointwiseGemm6x4V}'s epilogue does (the same operations,
 * the same bits).
 *
 * <p>Hot spot: the k loop of {@link #group}: 4 byte loads, 16 conversion operations and 4 FMAs per input
 * channel; from memory (the layer's 1.3 MB at batch 1) it runs at the speed of the bytes arriving, not
 * of the FMAs.
 */
public final class GemvBytes1x4V implements ByteGemv {

    private static final VectorSpecies<Float> S = SpeciesSpecialization.bound(MethodHandles.lookup());
    private static final int VL = S.length();
    private static final VectorSpecies<Integer> IS = VectorSpecies.of(int.class, S.vectorShape());
    /** VL bytes, or 8 at 128 bits (no 32-bit byte vector; part 0 of the cast takes the first 4). */
    private static final VectorSpecies<Byte> BS = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, VL * 8)));
    /** Bytes of slack after the packed weights: a byte vector load never runs past the array. */
    private static final int BYTE_PAD = 64;

    public GemvBytes1x4V(VectorSpecies<Float> species) {
        SpeciesSpecialization.check(S, species, GemvBytes1x4V.class);
    }

    /** This kernel specialized for {@code species} (see {@link SpeciesSpecialization}). */
    public static ByteGemv of(VectorSpecies<Float> species) {
        return SpeciesSpecialization.instantiate(MethodHandles.lookup(), ByteGemv.class, species);
    }

    @Override
    public Packed pack(float[] weights, float[] scales, int cin, int cout) {
        if (cout < VL || cin < 1) {
            return null;
        }
        int[] zero = new int[1];
        byte[] q = ByteGemv.integers(weights, scales, cin, cout, zero);
        if (q == null) {
            return null;
        }
        int panels = (cout + VL - 1) / VL;
        byte[] p = new byte[panels * cin * VL + BYTE_PAD]; // [panels][Cin][VL]
        for (int j = 0; j < panels; j++) {
            int start = PanelPacking.panelStart(j, cout, VL);
            for (int ci = 0; ci < cin; ci++) {
                for (int l = 0; l < VL; l++) {
                    p[(j * cin + ci) * VL + l] = q[(start + l) * cin + ci];
                }
            }
        }
        return new Packed(p, ByteGemv.perChannel(scales, cout), zero[0]);
    }

    @Override
    public int columnStep() {
        return 4 * VL;
    }

    @Override
    public void run(float[] in, int inOff, int cin, Packed w, float[] bias, int cout, float[] out, int outOff,
                    float lo, float hi, float scale, float grid, int c0, int c1) {
        if (c0 < 0 || c1 > cout || c0 % (4 * VL) != 0 || (c1 != cout && c1 % (4 * VL) != 0) || cout < VL) {
            throw new IllegalArgumentException("columns [" + c0 + ", " + c1 + ") of " + cout
                    + ": bounds must be multiples of " + 4 * VL + " or Cout, Cout at least " + VL);
        }
        int panels = c1 == cout ? (cout + VL - 1) / VL : c1 / VL;
        byte[] q = w.q();
        float[] sc = w.scales();
        int zero = w.zero();
        int ps = cin * VL; // one panel
        for (int j = c0 / VL; j < panels; j += 4) {
            // a group of fewer than 4 panels repeats its last one (same values, stored again)
            int j1 = Math.min(j + 1, panels - 1), j2 = Math.min(j + 2, panels - 1), j3 = Math.min(j + 3, panels - 1);
            group(in, inOff, cin, q, j * ps, j1 * ps, j2 * ps, j3 * ps, zero, sc, bias,
                    PanelPacking.panelStart(j, cout, VL), PanelPacking.panelStart(j1, cout, VL),
                    PanelPacking.panelStart(j2, cout, VL), PanelPacking.panelStart(j3, cout, VL), out, outOff);
        }
        // from the first column stored: a range shorter than a vector at the end of Cout began with the
        // shifted-back tail panel, whose raw values also landed on a few columns of the range before
        // (rounded again here: idempotent on the grid; PointwiseStep keeps the integer domain's tails whole)
        finish(out, outOff, PanelPacking.panelStart(c0 / VL, cout, VL), c1, lo, hi, scale, grid);
    }

    /** The raw accumulators of the panels at {@code w0..w3} (channels from {@code o0..o3}); {@link #finish} follows. */
    private static void group(float[] in, int inOff, int cin, byte[] q, int w0, int w1, int w2, int w3, int zero,
                              float[] sc, float[] bias, int o0, int o1, int o2, int o3, float[] out, int outOff) {
        IntVector z = IntVector.broadcast(IS, zero);
        FloatVector s0 = FloatVector.fromArray(S, sc, o0), s1 = FloatVector.fromArray(S, sc, o1);
        FloatVector s2 = FloatVector.fromArray(S, sc, o2), s3 = FloatVector.fromArray(S, sc, o3);
        FloatVector a0 = FloatVector.fromArray(S, bias, o0), a1 = FloatVector.fromArray(S, bias, o1);
        FloatVector a2 = FloatVector.fromArray(S, bias, o2), a3 = FloatVector.fromArray(S, bias, o3);
        for (int k = 0; k < cin; k++) {
            int kk = k * VL;
            FloatVector x = FloatVector.broadcast(S, in[inOff + k]);
            FloatVector v0 = ((FloatVector) ((IntVector) ByteVector.fromArray(BS, q, w0 + kk).castShape(IS, 0))
                    .sub(z).convert(VectorOperators.I2F, 0)).mul(s0);
            FloatVector v1 = ((FloatVector) ((IntVector) ByteVector.fromArray(BS, q, w1 + kk).castShape(IS, 0))
                    .sub(z).convert(VectorOperators.I2F, 0)).mul(s1);
            FloatVector v2 = ((FloatVector) ((IntVector) ByteVector.fromArray(BS, q, w2 + kk).castShape(IS, 0))
                    .sub(z).convert(VectorOperators.I2F, 0)).mul(s2);
            FloatVector v3 = ((FloatVector) ((IntVector) ByteVector.fromArray(BS, q, w3 + kk).castShape(IS, 0))
                    .sub(z).convert(VectorOperators.I2F, 0)).mul(s3);
            a0 = x.fma(v0, a0);
            a1 = x.fma(v1, a1);
            a2 = x.fma(v2, a2);
            a3 = x.fma(v3, a3);
        }
        a0.intoArray(out, outOff + o0);
        a1.intoArray(out, outOff + o1);
        a2.intoArray(out, outOff + o2);
        a3.intoArray(out, outOff + o3);
    }

    /**
     * Clamp, then {@code rint(x · inv) · grid} when {@code grid > 0}, on channels {@code [c0, c1)}: scalar
     * code doing PointwiseGemm6x4V's epilogue lane by lane (the clamp on the rounded values' bits, or a
     * compare and a select per bound), so the same bits. Scalar on purpose: 1001 values once per image,
     * ~1 % of the row's time; a vector epilogue called that rarely stayed in C1's boxing code for
     * thousands of images (the project's Tier4 thresholds), and one placed after {@link #group}'s k loop
     * was compiled boxed (3.1-3.3 KB per group of 4 panels).
     */
    private static void finish(float[] out, int o, int c0, int c1, float lo, float hi, float inv, float grid) {
        if (grid > 0) {
            float magic = Elementwise.SNAP_MAGIC;
            int l = Float.floatToRawIntBits(lo * inv + magic), u = Float.floatToRawIntBits(hi * inv + magic);
            for (int c = o + c0; c < o + c1; c++) {
                int t = Math.min(Math.max(Float.floatToRawIntBits(out[c] * inv + magic), l), u);
                out[c] = (Float.intBitsToFloat(t) - magic) * grid;
            }
        } else {
            for (int c = o + c0; c < o + c1; c++) {
                float v = out[c];
                v = v <= lo ? lo : v;
                out[c] = v > hi ? hi : v;
            }
        }
    }
}
