package io.framewise.inference.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class BatchWorkersTest {

    @Test
    void everyPartRunsExactlyOncePerCallOnATeamThread() {
        for (int size = 1; size <= 3; size++) {
            try (BatchWorkers w = new BatchWorkers(size, "test-team")) {
                for (int call = 0; call < 2000; call++) {
                    int parts = 1 + call % (call < 1000 ? 7 : BatchWorkers.MAX_PARTS);
                    AtomicIntegerArray runs = new AtomicIntegerArray(parts);
                    int team = size;
                    w.run((part, thread) -> {
                        if (thread < 0 || thread >= team) {
                            throw new AssertionError("thread " + thread);
                        }
                        runs.incrementAndGet(part);
                    }, parts);
                    for (int p = 0; p < parts; p++) {
                        assertEquals(1, runs.get(p), "size " + size + " call " + call + " part " + p);
                    }
                }
            }
        }
    }

    @Test
    void eachThreadStartsWithTheFirstPartOfItsOwnShare() throws Exception {
        // every part waits until both threads have claimed a part, so neither can steal before the
        // other's first claim: that claim must be the first part of its own share (0 and 2 of 4)
        try (BatchWorkers w = new BatchWorkers(2, "test-team")) {
            for (int call = 0; call < 50; call++) {
                int[] firstOf = {-1, -1};
                CountDownLatch both = new CountDownLatch(2);
                w.run((part, thread) -> {
                    synchronized (firstOf) {
                        if (firstOf[thread] < 0) {
                            firstOf[thread] = part;
                            both.countDown();
                        }
                    }
                    try {
                        both.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }, 4);
                assertEquals(0, firstOf[0], "call " + call);
                assertEquals(2, firstOf[1], "call " + call);
            }
        }
    }

    @Test
    void morePartsThanClaimBitsAreRefused() {
        try (BatchWorkers w = new BatchWorkers(2, "test-team")) {
            assertThrows(IllegalArgumentException.class, () -> w.run((part, thread) -> { }, BatchWorkers.MAX_PARTS + 1));
        }
    }

    @Test
    void aFailingPartFailsTheCallAfterAllPartsAreDone() {
        try (BatchWorkers w = new BatchWorkers(2, "test-team")) {
            AtomicIntegerArray runs = new AtomicIntegerArray(4);
            assertThrows(IllegalStateException.class, () -> w.run((part, thread) -> {
                runs.incrementAndGet(part);
                if (part == 1) {
                    throw new IllegalStateException("part 1");
                }
            }, 4));
            for (int p = 0; p < 4; p++) {
                assertEquals(1, runs.get(p));
            }
            w.run((part, thread) -> { }, 3); // the team still works
        }
    }
}
