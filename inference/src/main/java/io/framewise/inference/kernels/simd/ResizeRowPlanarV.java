package io.framewise.inference.kernels.simd;

import java.lang.invoke.MethodHandles;

import io.framewise.inference.kernels.Resize;
import io.framewise.inference.kernels.reference.ReferenceResize;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Bilinear resize and the fused resize + ARG_MAX of a segmentation head, tiled as (output row) ×
 * (input rows resized in width, stored channel-major: {@code [C][OW]}) × (vectors of output columns).
 *
 * <p>Why channel-major rows: the class choice is a running maximum over channels per pixel. With the
 * two source rows laid out {@code [C][OW]}, one vector holds the same class for VL adjacent output
 * pixels, so the vertical interpolation, the rounding to the quantization grid and the comparison are
 * all lane-wise, and the 513×513×21 resized scores never exist: per output row only 2 × 21 × 513 floats
 * (86 KB, in L2) plus the row of maxima. A source row is resized in width once and reused by the ~16
 * output rows between it and the next.
 *
 * <p>The running maximum lives in an array (not a vector carried across the channel loop, which C2 on
 * JDK 17 would box) and the class index is written straight into the output row. The last vector of a
 * row overlaps the previous one instead of being masked; recomputing a pixel for the same class leaves
 * it unchanged (a tie keeps the earlier index). {@link #bilinear} (the small 1×1 → 33×33 and 33 → 33
 * resizes) vectorizes over channels; {@link #argMax} alone is not on DeepLab's path (it is fused) and
 * runs the reference loop.
 */
public final class ResizeRowPlanarV implements Resize {

    private static final VectorSpecies<Float> S = SpeciesSpecialization.bound(MethodHandles.lookup());
    private static final int VL = S.length();
    /** Adding and subtracting 2^23 rounds a float in [0, 2^23) to an integer (round half to even). */
    /**
     * 1.5·2^23: {@code (x + MAGIC) - MAGIC} is x rounded to an integer (ties to even) for |x| < 2^22, of
     * either sign (2^23 alone rounded negative x to halves); its bits plus a small integer n are the
     * float MAGIC + n.
     */
    private static final float MAGIC = 12582912f;
    private static final VectorSpecies<Integer> IS = VectorSpecies.of(int.class, S.vectorShape());
    private static final ReferenceResize SCALAR = new ReferenceResize();
    private static final ThreadLocal<float[]> TAIL = new ThreadLocal<>();

    public ResizeRowPlanarV(VectorSpecies<Float> species) {
        SpeciesSpecialization.check(S, species, ResizeRowPlanarV.class);
    }

    public static Resize of(VectorSpecies<Float> species) {
        return SpeciesSpecialization.instantiate(MethodHandles.lookup(), Resize.class, species);
    }

    @Override
    public void bilinear(float[] in, int inOff, int h, int w, int c, float[] out, int outOff, int oh, int ow,
                         boolean alignCorners, boolean halfPixelCenters) {
        if (c < VL) {
            SCALAR.bilinear(in, inOff, h, w, c, out, outOff, oh, ow, alignCorners, halfPixelCenters);
            return;
        }
        float sy = Resize.scale(h, oh, alignCorners);
        float sx = Resize.scale(w, ow, alignCorners);
        for (int y = 0; y < oh; y++) {
            float fy = Resize.sourceCoordinate(y, sy, halfPixelCenters);
            int y0 = Math.max((int) Math.floor(fy), 0);
            int y1 = Math.min((int) Math.ceil(fy), h - 1);
            float wy = fy - y0;
            for (int x = 0; x < ow; x++) {
                float fx = Resize.sourceCoordinate(x, sx, halfPixelCenters);
                int x0 = Math.max((int) Math.floor(fx), 0);
                int x1 = Math.min((int) Math.ceil(fx), w - 1);
                float wx = fx - x0;
                int o = outOff + (y * ow + x) * c;
                for (int ch = 0; ch < c; ch += VL) {
                    int at = Math.min(ch, c - VL); // last vector overlaps: same values rewritten
                    pixel(in, inOff + (y0 * w + x0) * c + at, inOff + (y0 * w + x1) * c + at,
                            inOff + (y1 * w + x0) * c + at, inOff + (y1 * w + x1) * c + at, wx, wy, out, o + at);
                }
            }
        }
    }

    private static void pixel(float[] in, int tl, int tr, int bl, int br, float wx, float wy, float[] out, int o) {
        FloatVector x = FloatVector.broadcast(S, wx);
        FloatVector a = FloatVector.fromArray(S, in, tl);
        FloatVector top = FloatVector.fromArray(S, in, tr).sub(a).fma(x, a);
        a = FloatVector.fromArray(S, in, bl);
        FloatVector bottom = FloatVector.fromArray(S, in, br).sub(a).fma(x, a);
        bottom.sub(top).fma(FloatVector.broadcast(S, wy), top).intoArray(out, o);
    }

    @Override
    public void bilinearArgMax(float[] in, int inOff, int h, int w, int c, float grid, int zeroPoint,
                               float[] out, int outOff, int oh, int ow, boolean alignCorners,
                               boolean halfPixelCenters, int oy0, int oy1, float[] rows) {
        if (ow < VL) {
            SCALAR.bilinearArgMax(in, inOff, h, w, c, grid, zeroPoint, out, outOff, oh, ow, alignCorners,
                    halfPixelCenters, oy0, oy1, rows);
            return;
        }
        float sy = Resize.scale(h, oh, alignCorners);
        float sx = Resize.scale(w, ow, alignCorners);
        int plane = c * ow;
        // the keyed step's truncation is floor() only for scores >= -0.5: uint8 tensors always are
        boolean keyed = grid > 0 && c <= MAX_KEYED_CLASSES && minScore(in, inOff, h * w * c, grid, zeroPoint) >= 0;
        int src = 2 * plane;  // rows[src ..]: a source row, [C][W]
        int plan = src + c * w; // rows[plan ..]: the width plan, [3][OW]
        widthPlan(w, ow, sx, halfPixelCenters, rows, plan);
        int held0 = -1;       // source row held at rows[0 .. plane)
        int held1 = -1;       // source row held at rows[plane .. 2 plane)
        for (int y = oy0, yEnd; y < oy1; y = yEnd) {
            float fy = Resize.sourceCoordinate(y, sy, halfPixelCenters);
            int y0 = Math.max((int) Math.floor(fy), 0);
            int y1 = Math.min((int) Math.ceil(fy), h - 1);
            // the run of output rows between the same two source rows (~16 at 33 -> 513)
            for (yEnd = y + 1; yEnd < oy1; yEnd++) {
                float f = Resize.sourceCoordinate(yEnd, sy, halfPixelCenters);
                if (Math.max((int) Math.floor(f), 0) != y0 || Math.min((int) Math.ceil(f), h - 1) != y1) {
                    break;
                }
            }
            // keep whichever held row is still needed; resize the missing ones in width
            int top = held0 == y0 ? 0 : held1 == y0 ? plane : -1;
            if (top < 0) {
                top = held0 == y1 ? plane : 0; // never evict the row the bottom still needs
                widthRow(in, inOff, w, c, y0, grid, zeroPoint, rows, top, ow, src, plan);
                if (top == 0) {
                    held0 = y0;
                } else {
                    held1 = y0;
                }
            }
            int bottom = held0 == y1 ? 0 : held1 == y1 ? plane : -1;
            if (bottom < 0) {
                bottom = top == 0 ? plane : 0;
                widthRow(in, inOff, w, c, y1, grid, zeroPoint, rows, bottom, ow, src, plan);
                if (bottom == 0) {
                    held0 = y1;
                } else {
                    held1 = y1;
                }
            }
            boolean round = grid > 0;
            // column vector outer, rows of the run inner: the vector's 2·C source values (2.7 KB for 21
            // classes) are read from L2 once per run and from L1 by the other rows; row by row instead,
            // the 86 KB of the two resized rows streamed from L2 for every output row (1.5 ms a frame)
            for (int x = 0; x < ow; x += VL) {
                int at = Math.min(x, ow - VL); // the last vector overlaps: it recomputes the same classes
                for (int yy = y; yy < yEnd; yy++) {
                    float wy = Resize.sourceCoordinate(yy, sy, halfPixelCenters) - y0;
                    int o = outOff + yy * ow + at;
                    if (keyed) {
                        pixelStepKeyed(rows, top + at, bottom + at, ow, c, wy, out, o);
                    } else {
                        pixelStep(rows, top + at, bottom + at, ow, c, wy, round, out, o);
                    }
                }
            }
        }
    }

    /**
     * Hot spot of the segmentation head (513×513 pixels × 21 classes): VL output pixels, all classes in
     * registers: interpolate each class vertically, round it to the grid, keep the first maximum. Class
     * by class over whole rows instead, the running maximum and index went through memory: 2.97 ms per
     * DeepLab frame on the Zen 5 (docs/benchmarks.md part 7).
     */
    private static void pixelStep(float[] rows, int t, int b, int ow, int c, float wy, boolean round,
                                  float[] out, int o) {
        FloatVector w = FloatVector.broadcast(S, wy);
        FloatVector best = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector index = FloatVector.zero(S);
        for (int ch = 0; ch < c; ch++) {
            FloatVector top = FloatVector.fromArray(S, rows, t + ch * ow);
            FloatVector v = FloatVector.fromArray(S, rows, b + ch * ow).sub(top).fma(w, top);
            if (round) {
                // floor(v + 0.5): round to nearest, then step down where that went up
                FloatVector half = v.add(0.5f);
                FloatVector r = half.add(MAGIC).sub(MAGIC);
                v = r.sub(1f, r.compare(VectorOperators.GT, half));
            }
            VectorMask<Float> higher = v.compare(VectorOperators.GT, best);
            best = best.blend(v, higher);
            index = index.blend((float) ch, higher);
        }
        index.intoArray(out, o);
    }

    /** The smallest score of the input in q units ({@code rint(x / grid) + zeroPoint}), as {@link #widthRow} makes them. */
    private static float minScore(float[] in, int inOff, int n, float grid, int zeroPoint) {
        float inv = 1f / grid;
        float min = Float.POSITIVE_INFINITY;
        for (int i = inOff; i < inOff + n; i++) {
            min = Math.min(min, (float) Math.rint(in[i] * inv) + zeroPoint);
        }
        return min;
    }

    /** Classes a key of {@link #pixelStepKeyed} can carry: 8 bits of score and the class below them. */
    private static final int MAX_KEYED_CLASSES = 1 << 20;

    /**
     * {@link #pixelStep} for quantized scores, without masks: each class's rounded score {@code q} (an
     * integer in [0, 255]) and its index make one integer key {@code q << bits | (2^bits - 1 - class)},
     * so the running maximum is one integer {@code max} and equal scores keep the lowest class, as
     * TFLite's ARG_MAX does. The rounding {@code floor(v + 0.5)} is a truncating conversion of
     * {@code v + 0.5 >= 0}: the same value as pixelStep's. With compares and blends (three of each per
     * class) the fused 513×513 resize-argmax took 2.3 ms of a DeepLab frame, with keys 1.5 ms (1.4 ms
     * with the rows of a run grouped, see bilinearArgMax; a driver on 33×33×21, docs/benchmarks.md
     * session 17). Keys built with a float-to-int conversion ran 10× slower (not intrinsified on 17).
     */
    private static void pixelStepKeyed(float[] rows, int t, int b, int ow, int c, float wy, float[] out, int o) {
        int bits = 32 - Integer.numberOfLeadingZeros(Math.max(1, c - 1));
        int low = (1 << bits) - 1;
        FloatVector w = FloatVector.broadcast(S, wy);
        IntVector best = IntVector.broadcast(IS, Integer.MIN_VALUE);
        for (int ch = 0; ch < c; ch++) {
            FloatVector top = FloatVector.fromArray(S, rows, t + ch * ow);
            FloatVector v = FloatVector.fromArray(S, rows, b + ch * ow).sub(top).fma(w, top);
            // floor(v + 0.5) for v >= 0, as pixelStep rounds; an integer in [0, 255] as a float has its
            // low 15 mantissa bits clear, and non-negative floats order as their bits do
            FloatVector half = v.add(0.5f);
            FloatVector r = half.add(MAGIC).sub(MAGIC);
            r = r.sub(1f, r.compare(VectorOperators.GT, half));
            best = best.max(r.reinterpretAsInts().or(low - ch));
        }
        // the class as a float: MAGIC + class from the bits, less MAGIC
        IntVector index = IntVector.broadcast(IS, Float.floatToRawIntBits(MAGIC) + low).sub(best.and(low));
        ((FloatVector) index.reinterpretAsFloats()).sub(MAGIC).intoArray(out, o);
    }

    /**
     * The width plan of {@link #widthRow} into {@code rows[plan ..]}: per output column its first and
     * second source column (as floats, exact) and its weight, computed once per call instead of once per
     * column and class.
     */
    private static void widthPlan(int w, int ow, float sx, boolean halfPixelCenters, float[] rows, int plan) {
        for (int x = 0; x < ow; x++) {
            float fx = Resize.sourceCoordinate(x, sx, halfPixelCenters);
            int x0 = Math.max((int) Math.floor(fx), 0);
            rows[plan + x] = x0;
            rows[plan + ow + x] = Math.min((int) Math.ceil(fx), w - 1);
            rows[plan + 2 * ow + x] = fx - x0;
        }
    }

    /**
     * Source row {@code sy} resized in width into {@code rows[at ..]} as {@code [C][OW]}; in q units when
     * quantized. The row is first turned channel-major (and into q units) at {@code rows[src ..]}, once
     * per source value instead of at each of its ~16 uses (33 → 513), and the resized row is then
     * written class by class, sequentially. Same values: each output is {@code fma(wx, b - a, a)} of the
     * same quantized {@code a} and {@code b}.
     */
    private static void widthRow(float[] in, int inOff, int w, int c, int sy, float grid, int zeroPoint,
                                 float[] rows, int at, int ow, int src, int plan) {
        int row = inOff + sy * w * c;
        float inv = grid > 0 ? 1f / grid : 0f;
        for (int x = 0; x < w; x++) {
            for (int ch = 0; ch < c; ch++) {
                float a = in[row + x * c + ch];
                rows[src + ch * w + x] = grid > 0 ? (float) Math.rint(a * inv) + zeroPoint : a;
            }
        }
        for (int ch = 0; ch < c; ch++) {
            int s = src + ch * w;
            int d = at + ch * ow;
            for (int x = 0; x < ow; x++) {
                float a = rows[s + (int) rows[plan + x]];
                float b = rows[s + (int) rows[plan + ow + x]];
                rows[d + x] = Math.fma(rows[plan + 2 * ow + x], b - a, a);
            }
        }
    }

    @Override
    public void argMax(float[] in, int inOff, int pixels, int c, float[] out, int outOff) {
        SCALAR.argMax(in, inOff, pixels, c, out, outOff);
    }
}
