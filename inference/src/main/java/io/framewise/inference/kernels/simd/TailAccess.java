package io.framewise.inference.kernels.simd;

/**
 * The slow path of vector tail accesses that would run past the end of an array, shared by every
 * kernel class.
 *
 * <p>Why it exists: on JDK 17 a masked load or store whose full vector extends past the array end
 * takes the JDK's out-of-range path, which deoptimizes the caller into the interpreter (measured: FC
 * 1280→1001 at batch 8 went from 0.15 ms to 3.8 ms). So kernels load tails from {@link #fit} (an
 * array, never a vector: a vector returned by a call C2 did not inline loses its exact type and every
 * op on it falls back to Java code) and store them through {@link #store}. Arrays the planner hands to
 * kernels carry {@link io.framewise.inference.kernels.KernelSet#ARRAY_PAD} floats of slack, so in
 * inference these paths are never taken and nothing is allocated; they serve unpadded callers (tests).
 */
final class TailAccess {

    private TailAccess() {
    }

    /** {@code a} when a full vector of {@code vl} lanes at {@code off} is in bounds, else a zero-padded copy of the tail. */
    static float[] fit(float[] a, int off, int vl) {
        if (off + vl <= a.length) {
            return a;
        }
        float[] t = new float[vl];
        if (off < a.length) {
            System.arraycopy(a, off, t, 0, a.length - off);
        }
        return t;
    }

    /** The offset to use with {@link #fit}'s result. */
    static int fitOff(float[] a, int off, int vl) {
        return off + vl <= a.length ? off : 0;
    }

    /** Stores the first {@code lanes} values of {@code v} (a prefix mask's lanes) at {@code a[off..]}. */
    static void store(float[] v, float[] a, int off, int lanes) {
        System.arraycopy(v, 0, a, off, lanes);
    }
}
