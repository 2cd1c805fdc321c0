package io.framewise.inference.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Shared by the kernel tests: seeded data and the comparison rule.
 *
 * <p>Tolerance: {@code |actual - expected| <= 1e-5 * max(1, |expected|)} per element. Vector and
 * reference kernels use the same fused multiply-add order, so in practice most results are identical.
 */
public final class KernelAssertions {

    public static final double REL_TOL = 1e-5;
    /** Written around every output region; a kernel that writes outside its region trips it. */
    public static final float SENTINEL = -12345.25f;

    private KernelAssertions() {
    }

    public static VectorSpecies<Float> species(int bits) {
        return switch (bits) {
            case 128 -> FloatVector.SPECIES_128;
            case 256 -> FloatVector.SPECIES_256;
            case 512 -> FloatVector.SPECIES_512;
            default -> throw new IllegalArgumentException("bits " + bits);
        };
    }

    /** Uniform values in [-1, 1). */
    public static float[] random(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }

    public static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    public static void assertClose(float[] expected, float[] actual, String context) {
        if (expected.length != actual.length) {
            fail(context + ": length " + actual.length + " != " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            if (Float.isNaN(e) != Float.isNaN(a)
                    || Math.abs((double) a - e) > REL_TOL * Math.max(1.0, Math.abs((double) e))) {
                fail(context + ": element " + i + " expected " + e + " but was " + a);
            }
        }
    }
}
