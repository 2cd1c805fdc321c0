package io.framewise.inference.exec;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed team of threads for intra-batch parallelism: {@link #run} calls {@code task.accept(i)} for
 * i = 0..size-1, part 0 on the caller's thread, and returns when all parts are done. Hand-off is
 * park/unpark on a generation counter, so a call allocates nothing (an executor would allocate a
 * future per part per batch). Both sides spin for {@link #SPIN_NANOS} before parking: split per
 * layer, a batch-1 forward pass is ~60 fork-joins tens of microseconds apart, and a park/unpark
 * round trip costs about as much as a small layer.
 */
final class BatchWorkers implements AutoCloseable {

    /** How long a waiting side spins before it parks. */
    static final long SPIN_NANOS = 100_000;

    private final Thread[] threads;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile int generation;
    private volatile boolean running = true;
    private volatile IntConsumer task;
    private volatile Thread caller;
    private volatile Throwable failure;

    BatchWorkers(int size, String name) {
        threads = new Thread[size - 1];
        for (int i = 0; i < threads.length; i++) {
            int part = i + 1;
            Thread t = new Thread(() -> loop(part), name + "-" + part);
            t.setDaemon(true);
            threads[i] = t;
            t.start();
        }
    }

    int size() {
        return threads.length + 1;
    }

    private void loop(int part) {
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
            try {
                task.accept(part);
            } catch (Throwable e) {
                failure = e;
            }
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    void run(IntConsumer work) {
        if (threads.length == 0) {
            work.accept(0);
            return;
        }
        task = work;
        caller = Thread.currentThread();
        failure = null;
        pending.set(threads.length);
        generation++;
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
        Throwable own = null;
        try {
            work.accept(0);
        } catch (Throwable e) {
            own = e;
        }
        long spinStart = System.nanoTime();
        for (int spins = 0; pending.get() != 0; spins++) {
            if ((spins & 63) != 0 || System.nanoTime() - spinStart < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        Throwable f = own != null ? own : failure;
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
