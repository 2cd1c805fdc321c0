package io.framewise.inference.kernels.simd;

/**
 * The activation clamp on an accumulator's bits as signed ints: {@code min(max(bits, low(lo)), high(hi))}
 * is the kernels' compare-and-blend clamp ({@code x <= lo ? lo : x}, then {@code x > hi ? hi : x}) whenever
 * {@link #exact} holds, because a non-negative float's bits order as its value does and every negative
 * float's bits are negative ints (below any bound ≥ +0).
 *
 * <p>Why: JDK 17's C2 compiles each float {@code blend(bound, compare(...))} to a compare into a mask
 * register, a masked load of a constant, an integer compare back into a mask and a blend: 8 instructions
 * and 2 loads per accumulator for the two bounds, against 2 here. In a 3×3 depthwise that is more vector
 * instructions than the 9 FMAs it follows; driver, same JVM (a slow spell, probe ~116 GFLOP/s),
 * 14×14×576: 32-41 → 45-55 GFLOP/s, 7×7×960: 28-35 → 36-44 (docs/benchmarks.md, session 20).
 *
 * <p>NaN clamps to a bound (+NaN to hi, -NaN to lo) where the blends kept it. Bounds it cannot take — a
 * finite negative lo (a layer without activation on a quantized output), lo = -0, hi below +0, lo > hi,
 * NaN — are left to each kernel's plain path.
 */
final class IntClamp {

    private IntClamp() {
    }

    /** Whether {@link #low} and {@link #high} clamp exactly as the blends do (NaN aside). */
    static boolean exact(float lo, float hi) {
        return lo <= hi && Float.floatToRawIntBits(hi) >= 0
                && (Float.floatToRawIntBits(lo) >= 0 || lo == Float.NEGATIVE_INFINITY);
    }

    /** The lower bound's bits; for lo = -∞ the smallest int, so no lane is raised. */
    static int low(float lo) {
        int bits = Float.floatToRawIntBits(lo);
        return bits >= 0 ? bits : Integer.MIN_VALUE;
    }

    static int high(float hi) {
        return Float.floatToRawIntBits(hi);
    }
}
