package io.framewise.inference.exec;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads: {@link #run} runs {@code task.run(part, thread)} for every part, on the
 * caller (thread 0) and the workers (threads 1..size-1), and returns when all parts are done.
 *
 * <p>Parts are claimed, not assigned: each thread takes the next unclaimed part of the current call
 * until none is left, so a worker the OS has not scheduled yet costs nothing (the caller does its part),
 * and the call ends when its parts are done, not when every worker has woken up. On a machine shared
 * with other builds that is the difference between a per-layer fork-join that pays off and one that
 * waits a scheduler slice for a descheduled partner. A claim carries the call's generation, so a late
 * worker cannot take a part of a newer call with an older task.
 *
 * <p>Hand-off allocates nothing (an executor would allocate a future per part per call). Waiting sides
 * spin for {@link #SPIN_NANOS} before parking: split per layer, a batch-1 forward pass is ~60 calls tens
 * of microseconds apart, and a park/unpark round trip costs about as much as a small layer.
 */
final class BatchWorkers implements AutoCloseable {

    /** One call's work: part {@code part}, on team thread {@code thread} (0 = the caller). */
    interface Task {
        void run(int part, int thread);
    }

    /** How long a waiting side spins before it parks. */
    static final long SPIN_NANOS = 100_000;

    private final Thread[] threads;
    private final AtomicLong claims = new AtomicLong(); // generation << 32 | next unclaimed part
    private final AtomicInteger done = new AtomicInteger();
    private volatile int generation;
    private volatile boolean running = true;
    private volatile Task task;
    private volatile int parts;
    private volatile Thread caller;
    private volatile Throwable failure;

    BatchWorkers(int size, String name) {
        threads = new Thread[size - 1];
        for (int i = 0; i < threads.length; i++) {
            int thread = i + 1;
            Thread t = new Thread(() -> loop(thread), name + "-" + thread);
            t.setDaemon(true);
            threads[i] = t;
            t.start();
        }
    }

    int size() {
        return threads.length + 1;
    }

    private void loop(int thread) {
        int seen = 0;
        while (true) {
            long spinStart = System.nanoTime();
            for (int spins = 0; running && generation == seen; spins++) {
                if ((spins & 63) != 0 || System.nanoTime() - spinStart < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (!running) {
                return;
            }
            seen = generation;
            work(seen, thread);
        }
    }

    /** Claims and runs parts of call {@code gen} until none is left. */
    private void work(int gen, int thread) {
        while (true) {
            long c = claims.get();
            if ((int) (c >>> 32) != gen || (int) c >= parts) {
                return;
            }
            if (!claims.compareAndSet(c, c + 1)) {
                continue;
            }
            try {
                task.run((int) c, thread);
            } catch (Throwable e) {
                failure = e;
            } finally {
                if (done.incrementAndGet() == parts) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }

    void run(Task work, int partCount) {
        if (threads.length == 0 || partCount <= 1) {
            for (int p = 0; p < partCount; p++) {
                work.run(p, 0);
            }
            return;
        }
        // The new generation first: a worker still in the previous call can no longer claim (its CAS
        // would otherwise pass the check against the new part count with the previous generation).
        // Workers of the new one start only after `generation` is written, so they see task and parts.
        int gen = generation + 1;
        claims.set((long) gen << 32);
        task = work;
        parts = partCount;
        caller = Thread.currentThread();
        failure = null;
        done.set(0);
        generation = gen;
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
        work(gen, 0);
        long spinStart = System.nanoTime();
        for (int spins = 0; done.get() != partCount; spins++) {
            if ((spins & 63) != 0 || System.nanoTime() - spinStart < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        Throwable f = failure;
        if (f instanceof RuntimeException re) {
            throw re;
        }
        if (f instanceof Error er) {
            throw er;
        }
    }

    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
    }
}
