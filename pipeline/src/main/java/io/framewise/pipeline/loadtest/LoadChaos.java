package io.framewise.pipeline.loadtest;

import io.framewise.pipeline.chaos.Books;
import io.framewise.pipeline.chaos.FaultInjector;
import io.framewise.pipeline.chaos.FaultKind;
import io.framewise.pipeline.chaos.FaultSchedule;
import io.framewise.pipeline.chaos.JobWatch;
import io.framewise.pipeline.cluster.ClusterState;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The chaos schedule played against the load test's job on the multi-process cluster while the
 * cameras send ({@code loadtest --cluster --chaos}): the same {@link FaultInjector} as
 * {@code framewise chaos}, on its own thread, so the load test's rows go on through every fault and
 * show what a fault costs in lag and latency. The load test's own books (frames in = events + dead
 * letters, no duplicates) are the exactly-once check. Faults stop when the load stops; the drain
 * starts only once the last fault recovered and every process runs again.
 */
public final class LoadChaos implements AutoCloseable {

    /** A fault's own waits are bounded by five minutes each: room for the fault and its recovery. */
    static final Duration FINISH_WAIT = Duration.ofMinutes(10);

    private final FaultSchedule schedule;
    private final FaultInjector injector;
    private final JobWatch watch;
    private final ClusterState cluster;
    private final PrintWriter log;
    private final List<FaultInjector.Injected> injected = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile String error;

    /**
     * @param length the load's length: the schedule fills it
     * @param every  the least time between two faults
     */
    public LoadChaos(ClusterState cluster, String job, String framesTopic, String labelsTopic, long seed,
                     List<FaultKind> kinds, Duration length, Duration every, PrintWriter log) {
        if (kinds.contains(FaultKind.POISON_RECORD)) {
            // only a cluster whose TaskManagers honour test faults crashes on it, and the load test's
            // books count the cameras it sends: framewise chaos brings both
            throw new IllegalArgumentException("loadtest --chaos does not send poison records: "
                    + "framewise chaos runs that fault on a cluster of its own");
        }
        this.schedule = FaultSchedule.draw(seed, length, kinds, every);
        this.cluster = cluster;
        this.log = log;
        this.watch = new JobWatch(cluster.webUi(), job);
        this.injector = new FaultInjector(cluster, watch, new Books(), framesTopic, labelsTopic, seed, log);
        this.thread = new Thread(this::play, "loadtest-chaos");
        thread.setDaemon(true);
    }

    public FaultSchedule schedule() {
        return schedule;
    }

    /** Starts the schedule's clock: fault times count from now (the load's start). */
    public void start() {
        log.printf("loadtest: chaos schedule %s%n", schedule);
        log.flush();
        thread.start();
    }

    private void play() {
        long start = System.nanoTime();
        try {
            for (FaultSchedule.Fault f : schedule.faults()) {
                long due = start + f.at().toNanos();
                while (System.nanoTime() < due) {
                    if (stopping) {
                        return;
                    }
                    injector.heal();
                    Thread.sleep(Math.min(500, Math.max(1, (due - System.nanoTime()) / 1_000_000)));
                }
                if (stopping) {
                    return;
                }
                FaultInjector.Injected i = injector.inject(f.kind(), (System.nanoTime() - start) / 1e9);
                synchronized (injected) {
                    injected.add(i);
                }
            }
            while (!stopping) {
                injector.heal();
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            error = e.getMessage() == null ? e.toString() : e.getMessage();
            log.printf("loadtest: chaos stopped: %s%n", error);
            log.flush();
        }
    }

    /**
     * No fault starts after this; waits for the one under way to recover, then for every process to run
     * and a checkpoint after that to complete, so the drain reads a job that works.
     */
    public void finish() throws Exception {
        stopping = true;
        thread.join(FINISH_WAIT.toMillis());
        if (thread.isAlive()) {
            error = error != null ? error : "a fault did not recover within " + FINISH_WAIT;
            thread.interrupt();
            return;
        }
        if (error == null) {
            injector.awaitRecovered();
        }
    }

    /** The faults injected so far, with their recovery times. */
    public List<FaultInjector.Injected> injected() {
        synchronized (injected) {
            return List.copyOf(injected);
        }
    }

    /** Why the schedule stopped early, or null. */
    public String error() {
        return error;
    }

    /** Restarts as the JobManager log shows them (every JobManager of the cluster appends to it). */
    public long restartsLogged() {
        return watch.restartsLogged(cluster.dir().resolve("logs/jobmanager.log"));
    }

    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        watch.close();
    }
}
