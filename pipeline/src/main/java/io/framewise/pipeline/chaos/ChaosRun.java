package io.framewise.pipeline.chaos;

import io.framewise.inference.exec.SharedModels;
import io.framewise.operators.isolate.TestFaults;
import io.framewise.pipeline.cluster.ClusterClassPath;
import io.framewise.pipeline.cluster.ClusterState;
import io.framewise.pipeline.cluster.LocalCluster;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One chaos run: a {@link LocalCluster} of its own (its TaskManagers honour test faults: nothing else
 * does), the job submitted with Flink's CLI, cameras producing the shared videos (odd cameras JPEG
 * frames, even cameras video segments), the {@link FaultSchedule} played by the {@link FaultInjector},
 * then the drain: producers stopped, every frame in accounted for (or no progress for
 * {@link #DRAIN_QUIET}), two more checkpoints so a late duplicate would be committed too, every topic read
 * read_committed into the {@link Books}; the cluster is killed (its data is thrown away) and the
 * report written.
 */
public final class ChaosRun {

    /** The drain gives up when nothing more came out for this long. */
    static final Duration DRAIN_QUIET = Duration.ofMinutes(3);
    static final String MODEL = "mobilenet_v1_0.25_128_quant.tflite";
    static final String JPEG_VIDEO = "videos/car-detection.mp4";
    static final String SEGMENT_VIDEO = "videos/person-bicycle-car-detection.mp4";
    static final String JPEG_FPS = "5";
    /** Flink heartbeat timeout of the chaos cluster: the stopped TaskManager is dropped after this. */
    static final String HEARTBEAT_TIMEOUT_MS = "30000";

    /** What to run. */
    public record Options(Path dir, double minutes, long seed, int cameras, List<FaultKind> faults, String guarantee,
                          boolean keep) {
    }

    private final Options o;
    private final PrintWriter log;
    private final Books books = new Books();
    private final Map<String, Double> seconds = new LinkedHashMap<>();

    private final CameraFeed.Factory feeds;

    /** @param feeds makes each camera's producer ({@code framewise produce}'s loop, from the CLI) */
    public ChaosRun(Options o, CameraFeed.Factory feeds, PrintWriter log) {
        this.feeds = feeds;
        this.o = o;
        this.log = log;
    }

    public ChaosReport run() throws Exception {
        long t0 = System.nanoTime();
        Duration length = Duration.ofMillis(Math.round(o.minutes() * 60_000));
        FaultSchedule schedule = FaultSchedule.draw(o.seed(), length, o.faults());
        say("seed %d: %s", o.seed(), schedule);
        Path data = SharedModels.dataDir().orElseThrow(() ->
                new IllegalStateException("no shared data folder ($FRAMEWISE_DATA or ../shared): chaos sends its videos"));
        LocalCluster.Settings d = LocalCluster.Settings.defaults(o.dir());
        LocalCluster.Settings s = new LocalCluster.Settings(d.dir(), d.brokers(), d.taskManagers(), d.brokerHeap(),
                d.taskManagerMemory(), d.jobManagerMemory(), d.startTimeout(),
                List.of("-D" + TestFaults.PROPERTY + "=true"),
                // the REST API serves metrics from a cache refreshed every 10 s by default: restarts made in
                // the last seconds before a JobManager kill would never be seen
                Map.of("heartbeat.timeout", HEARTBEAT_TIMEOUT_MS, "heartbeat.interval", "5000",
                        "metrics.fetcher.update-interval", "500"));
        ClusterState cluster = LocalCluster.up(s, log);
        lap("up", t0);
        List<FaultInjector.Injected> injected = new ArrayList<>();
        String error = null;
        long restarts = 0;
        long restartsLogged = -1;
        int takeOvers = 0;
        Map<String, Long> perTopic = Map.of();
        try {
            long t = System.nanoTime();
            String job = LocalCluster.submit(cluster.dir(), ClusterClassPath.jobJar(), List.of(
                    "--model", MODEL, "--delivery-guarantee", o.guarantee(), "--starting-offsets", "earliest",
                    "--checkpoint-interval-ms", "2000", "--restart-attempts", "1000", "--restart-delay-ms", "1000",
                    "--decode-quarantine-dir", cluster.dir().resolve("quarantine").toString(),
                    "--job-name", "framewise-chaos"), log);
            lap("submit", t);
            try (JobWatch watch = new JobWatch(cluster.webUi(), job)) {
                t = System.nanoTime();
                List<CameraFeed> producers = new ArrayList<>();
                List<Thread> threads = new ArrayList<>();
                AtomicReference<Exception> producerError = new AtomicReference<>();
                for (int i = 1; i <= o.cameras(); i++) {
                    String camera = "cam-" + i;
                    boolean jpeg = i % 2 == 1;
                    CameraFeed p = jpeg
                            ? feeds.open(data.resolve(JPEG_VIDEO).toString(), cluster.bootstrap(), "frames", camera, "jpeg",
                                    4 << 20, List.of("--fps", JPEG_FPS, "--realtime", "--loop"),
                                    (seq, frames) -> books.sent(camera, seq, frames))
                            : feeds.open(data.resolve(SEGMENT_VIDEO).toString(), cluster.bootstrap(), "frames", camera,
                                    "segment", 4 << 20, List.of("--realtime", "--loop"),
                                    (seq, frames) -> books.sent(camera, seq, frames));
                    producers.add(p);
                    Thread th = new Thread(() -> {
                        try {
                            p.run();
                        } catch (Exception e) {
                            producerError.compareAndSet(null, e);
                        }
                    }, "chaos-" + camera);
                    th.start();
                    threads.add(th);
                }
                FaultInjector injector = new FaultInjector(cluster, watch, books, "frames", "labels", o.seed(), log);
                long start = System.nanoTime();
                try {
                    for (FaultSchedule.Fault f : schedule.faults()) {
                        // the schedule's instant: a plan, not a wait for something to happen
                        long due = start + f.at().toNanos();
                        while (System.nanoTime() < due && producerError.get() == null) {
                            injector.heal();
                            Thread.sleep(Math.min(500, Math.max(1, (due - System.nanoTime()) / 1_000_000)));
                        }
                        if (producerError.get() != null) {
                            throw producerError.get();
                        }
                        double at = (System.nanoTime() - start) / 1e9;
                        say("%.1f s: %s", at, f.kind().id());
                        injected.add(injector.inject(f.kind(), at));
                    }
                    long end = start + length.toNanos();
                    while (System.nanoTime() < end && producerError.get() == null) {
                        injector.heal();
                        Thread.sleep(500);
                    }
                } catch (Exception e) {
                    error = e.getMessage() == null ? e.toString() : e.getMessage();
                    say("run stopped: %s", error);
                } finally {
                    producers.forEach(CameraFeed::close);
                    for (Thread th : threads) {
                        th.join();
                    }
                }
                if (producerError.get() != null && error == null) {
                    error = "producer: " + producerError.get().getMessage();
                }
                lap("cameras", t);
                t = System.nanoTime();
                perTopic = drain(cluster, watch, injector);
                lap("drain", t);
                watch.sample();
                restarts = watch.restarts();
                restartsLogged = watch.restartsLogged(cluster.dir().resolve("logs/jobmanager.log"));
                takeOvers = watch.takeOvers();
            }
        } catch (Exception e) {
            error = error != null ? error : (e.getMessage() == null ? e.toString() : e.getMessage());
            say("run failed: %s", error);
        } finally {
            long t = System.nanoTime();
            LocalCluster.down(cluster.dir(), o.keep(), true, log);
            lap("down", t);
        }
        lap("total", t0);
        return new ChaosReport(o.seed(), o.guarantee(), o.minutes(), o.cameras(), schedule.faults(), injected,
                books.totals(), restarts, restartsLogged, takeOvers, perTopic, seconds, error);
    }

    /**
     * Reads until every frame in is accounted for (an event or a dead letter) or nothing more came for
     * {@link #DRAIN_QUIET}; then waits for two more checkpoints (a duplicate from a late replay would be
     * committed with them) and reads every topic to its end once more.
     */
    private Map<String, Long> drain(ClusterState cluster, JobWatch watch, FaultInjector injector) throws Exception {
        List<String> topics = List.of("frames", "labels", "frames-dlq", "episodes", "camera-status");
        try (CommittedReader reader = new CommittedReader(cluster.bootstrap(), topics, "labels", "frames-dlq", books)) {
            long target = books.totals().framesIn() + books.totals().poisonIn();
            long last = -1;
            long progressAt = System.nanoTime();
            while (true) {
                injector.heal();
                reader.readToEnd();
                long n = books.accountedFor();
                if (n >= target) {
                    break;
                }
                if (n != last) {
                    last = n;
                    progressAt = System.nanoTime();
                    say("drain: %d of %d frames accounted for", n, target);
                } else if (System.nanoTime() - progressAt > DRAIN_QUIET.toNanos()) {
                    say("drain: no progress for %s at %d of %d frames; reading what there is", DRAIN_QUIET, n, target);
                    break;
                }
                Thread.sleep(500);
            }
            long cp = injector.awaitRecovered();
            watch.awaitCheckpointAfter(cp, FaultInjector.RECOVERY);
            reader.readToEnd();
            return reader.perTopic();
        }
    }

    private void lap(String what, long since) {
        double s = (System.nanoTime() - since) / 1e9;
        seconds.put(what, s);
        say("%s: %.1f s", what, s);
    }

    private void say(String fmt, Object... args) {
        log.printf("chaos: " + fmt + "%n", args);
        log.flush();
    }
}
