package io.framewise.operators.isolate;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs each decode on a dedicated thread and waits for it at most {@code timeoutMs}: a decode that hangs
 * (a native loop ignores interrupts) costs one record, not the task.
 *
 * <p>The decode thread owns the decoder state {@code S} (native contexts). On a timeout the thread and its
 * state are abandoned together — never closed, the stuck thread may still be using them — and a fresh
 * thread with fresh state serves the next record. Abandoned threads are daemons named
 * {@code <name>-<n>-stuck} and counted JVM-wide while they run; when {@code maxStuckThreads} of them are
 * alive, the next timeout fails the task with a message saying so (CPU they burn is not recoverable
 * in-process: restart the TaskManager).
 *
 * <p>One instance per subtask; {@link #run} is called from the task thread only.
 */
public final class DecodeWatchdog<S extends AutoCloseable> implements AutoCloseable {

    /** Abandoned decode threads of this JVM (of this class loader) that have not finished. */
    private static final Set<Thread> STUCK = ConcurrentHashMap.newKeySet();

    private final String name;
    private final Supplier<S> stateFactory;
    private final long timeoutMs;
    private final int maxStuckThreads;
    private final Runnable onAbandon;

    private ThreadPoolExecutor executor;
    private volatile Thread current;
    private S state;
    private int generation;

    /**
     * @param name         decode thread name prefix (e.g. the operator and subtask)
     * @param stateFactory fresh decoder state, called for the first thread and after each abandonment
     * @param onAbandon    called on the task thread each time a thread is abandoned (a metric)
     */
    public DecodeWatchdog(String name, Supplier<S> stateFactory, long timeoutMs, int maxStuckThreads,
                          Runnable onAbandon) {
        this.name = name;
        this.stateFactory = stateFactory;
        this.timeoutMs = timeoutMs;
        this.maxStuckThreads = maxStuckThreads;
        this.onAbandon = onAbandon;
        start();
    }

    /** A decode's outcome: its value, or {@code timedOut}. */
    public record Outcome<R>(R value, boolean timedOut) {
    }

    /**
     * Runs {@code task} on the decode thread with its state. Exceptions of the task are rethrown here
     * (unchecked ones as they are).
     *
     * @throws InterruptedException when the task thread is interrupted (cancellation) while waiting
     * @throws IllegalStateException when the decode timed out and too many threads are stuck already
     */
    public <R> Outcome<R> run(Function<S, R> task) throws InterruptedException {
        S s = state;
        Future<R> f = executor.submit(() -> task.apply(s));
        try {
            return new Outcome<>(f.get(timeoutMs, TimeUnit.MILLISECONDS), false);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        } catch (TimeoutException e) {
            abandon(f);
            return new Outcome<>(null, true);
        }
    }

    /** Abandoned threads of this JVM still running (pruned of those that finished). */
    public static int stuckThreads() {
        STUCK.removeIf(t -> !t.isAlive());
        return STUCK.size();
    }

    /** Decode threads started so far by this watchdog (1 + abandoned ones). */
    public int generation() {
        return generation;
    }

    private void abandon(Future<?> f) {
        f.cancel(true); // a Java-side wait may honour it; native code will not
        Thread stuck = current;
        executor.shutdown();
        if (stuck != null) {
            stuck.setName(stuck.getName() + "-stuck");
            STUCK.add(stuck);
        }
        onAbandon.run();
        int alive = stuckThreads();
        if (alive >= maxStuckThreads + 1) {
            executor = null;
            throw new IllegalStateException(alive + " decode threads are stuck in this JVM (limit "
                    + maxStuckThreads + ", decode timeout " + timeoutMs + " ms): each burns a core until its native"
                    + " code returns; failing the task. Restart the TaskManager to reclaim them.");
        }
        start();
    }

    private void start() {
        generation++;
        String threadName = name + "-" + generation;
        state = stateFactory.get();
        executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            current = t;
            return t;
        });
        executor.prestartAllCoreThreads();
    }

    /**
     * Stops the decode thread and closes its state once it finished its record; a thread still busy
     * after {@code timeoutMs} keeps its state (closing native contexts under a running decode would crash).
     */
    @Override
    public void close() throws Exception {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        boolean done = executor.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS);
        executor = null;
        if (done && state != null) {
            state.close();
        }
        state = null;
    }
}
