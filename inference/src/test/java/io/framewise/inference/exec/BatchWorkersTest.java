package io.framewise.inference.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class BatchWorkersTest {

    @Test
    void everyPartRunsExactlyOncePerCallOnATeamThread() {
        for (int size = 1; size <= 3; size++) {
            try (BatchWorkers w = new BatchWorkers(size, "test-team")) {
                for (int call = 0; call < 2000; call++) {
                    int parts = 1 + call % 7;
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
