package io.framewise.inference.exec;

import java.lang.management.ManagementFactory;

/**
 * Heap bytes allocated by threads, as HotSpot counts them (0 where the JVM does not). A warmed-up
 * forward allocates nothing, so bytes counted around one is the sign that C2 compiled a Vector API
 * kernel with boxed vectors: the slow-JVM mode of issue 11 (docs/benchmarks.md).
 */
public final class AllocationCounter {

    private static final com.sun.management.ThreadMXBean THREADS = threads();

    private AllocationCounter() {
    }

    private static com.sun.management.ThreadMXBean threads() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled()) {
            return t;
        }
        return null;
    }

    /** Bytes the calling thread allocated so far. */
    public static long currentThread() {
        return THREADS == null ? 0 : THREADS.getCurrentThreadAllocatedBytes();
    }

    /** Bytes all live threads allocated so far (threads that ended are not counted). */
    public static long allThreads() {
        if (THREADS == null) {
            return 0;
        }
        long sum = 0;
        for (long b : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
            sum += Math.max(0, b);
        }
        return sum;
    }
}
