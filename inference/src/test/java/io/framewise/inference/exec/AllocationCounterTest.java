package io.framewise.inference.exec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AllocationCounterTest {

    private static volatile Object sink;

    @Test
    void countsWhatTheThreadAllocates() {
        long before = AllocationCounter.currentThread();
        long all = AllocationCounter.allThreads();
        sink = new byte[8 << 20];
        long mine = AllocationCounter.currentThread() - before;
        long everyone = AllocationCounter.allThreads() - all;
        // HotSpot counts allocations per thread; the 8 MiB array must show in both sums
        assertTrue(mine >= 8 << 20, "current thread counted " + mine + " bytes");
        assertTrue(everyone >= 8 << 20, "all threads counted " + everyone + " bytes");
    }

    @Test
    void countsNothingWhenNothingIsAllocated() {
        long before = AllocationCounter.currentThread();
        long x = 0;
        for (int i = 0; i < 1000; i++) {
            x += i;
        }
        long counted = AllocationCounter.currentThread() - before;
        assertTrue(counted < 1024, "a loop without allocation counted " + counted + " bytes (x=" + x + ")");
    }
}
