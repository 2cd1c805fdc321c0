package io.framewise.inference.exec;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads: {@link #run} runs {@code task.run(part, thread)} for every part, on the
 * caller (thread 0) and the workers (threads 1..size-1), and returns when all parts are done.
 *
 * <p>Parts are claimed, not assigned: each thread claims unclaimed parts of the current call until
 * none is left, so a worker the OS has not scheduled yet costs nothing (the caller does its part),
 * and the call ends when its parts are done, not when every worker has woken up. On a machine shared
 * with other builds that is the difference between a per-layer fork-join that pays off and one that
 * waits a scheduler slice for a descheduled partner. A claim carries the call's generation, so a late
 * worker cannot take a part of a newer call with an older task.
 *
 * <p>Each thread first claims its own parts (thread t owns the t-th contiguous share of the parts),
 * and only then steals the last unclaimed part of another's share. Split per layer, part p of one
 * layer writes the rows that part p of the next one reads, so a fixed owner keeps a band of the
 * activations in one core's L2 from layer to layer. With first-come claiming the parts changed cores
 * at random and every layer read about half its input from the other core's cache: on MobileNetV2 at
 * batch 1 on 2 threads the unfused depthwise steps ran 1.04-1.44× faster than on one thread and an ADD
 * (not split) 0.6× as fast (docs/benchmarks.md, part 5).
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
    /** Parts of one call at most: one bit each in {@link #claims}. */
    static final int MAX_PARTS = 32;

    private final AtomicLong claims = new AtomicLong(); // generation << 32 | bit p set: part p claimed
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

    /** Claims and runs parts of call {@code gen} until none is left: its own share first, then steals. */
    private void work(int gen, int thread) {
        int n = parts;
        int team = threads.length + 1;
        int all = n == MAX_PARTS ? -1 : (1 << n) - 1;
        int from = (int) ((long) n * thread / team), to = (int) ((long) n * (thread + 1) / team);
        int own = (to == MAX_PARTS ? -1 : (1 << to) - 1) & ~((1 << from) - 1);
        while (true) {
            long c = claims.get();
            if ((int) (c >>> 32) != gen) {
                return;
            }
            int claimed = (int) c;
            int free = own & ~claimed;
            int p;
            if (free != 0) {
                p = Integer.numberOfTrailingZeros(free);
            } else {
                free = all & ~claimed;
                if (free == 0) {
                    return;
                }
                p = 31 - Integer.numberOfLeadingZeros(free); // the far end of another's share
            }
            if (!claims.compareAndSet(c, c | (1L << p))) {
                continue;
            }
            try {
                task.run(p, thread);
            } catch (Throwable e) {
                failure = e;
            } finally {
                if (done.incrementAndGet() == n) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }

    void run(Task work, int partCount) {
        if (partCount > MAX_PARTS) {
            throw new IllegalArgumentException(partCount + " parts; at most " + MAX_PARTS);
        }
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
