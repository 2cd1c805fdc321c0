package io.framewise.pipeline.cli;

import io.framewise.inference.exec.SharedModels;
import io.framewise.operators.infer.InferenceSettings;
import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobFlags;
import io.framewise.pipeline.config.JobOptions;
import io.framewise.pipeline.cluster.ClusterClassPath;
import io.framewise.pipeline.cluster.ClusterState;
import io.framewise.pipeline.cluster.LocalCluster;
import io.framewise.pipeline.loadtest.CameraFleet;
import io.framewise.pipeline.loadtest.ClusterJob;
import io.framewise.pipeline.loadtest.CheckpointStats;
import io.framewise.pipeline.loadtest.JvmGauges;
import io.framewise.pipeline.loadtest.LoadChaos;
import io.framewise.pipeline.loadtest.LoadReport;
import io.framewise.pipeline.loadtest.OutputTally;
import io.framewise.pipeline.loadtest.PreEncodedClips;
import io.framewise.pipeline.loadtest.ProcessGauges;
import io.framewise.pipeline.loadtest.RunningJob;
import io.framewise.pipeline.local.EmbeddedBroker;
import io.framewise.pipeline.local.LocalFlink;
import io.framewise.pipeline.local.LocalRun;
import io.framewise.pipeline.local.Topics;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code framewise loadtest}: synthetic cameras at a chosen rate (or a multiple of the capacity a
 * short probe measured) into the job on a local MiniCluster, with an embedded broker or a real Kafka;
 * reports offered and sustained frames/s, lag, latency, heap and GC while it runs, then waits for the
 * lag to drain and checks that every frame came out exactly once (an event or a dead letter).
 */
@Command(name = "loadtest", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = JobFlags.class,
        description = {"Drives synthetic cameras (the shared videos, JPEG-encoded once and looped) into the job"
                + " on a local Flink MiniCluster and reports throughput, lag, latency, heap and GC; after the load"
                + " it waits for the lag to drain and checks frames in = events out + dead letters, no duplicates.",
                "Kafka: an embedded broker, or --bootstrap HOST:PORT (fresh topics per run are created there and"
                        + " the local job reads them). Job options (--batch-size, --model, ...) apply."})
public final class LoadtestCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--cameras", defaultValue = "4", paramLabel = "N", description = "Cameras (default: ${DEFAULT-VALUE}).")
    int cameras;

    @Option(names = "--fps", paramLabel = "F", description = "Frames/s per camera (JPEG format).")
    double fps;

    @Option(names = "--load", paramLabel = "X",
            description = "Offer X times the job's capacity, measured first by a probe over a backlog"
                    + " (default 2.0 when --fps is not given).")
    double load;

    @Option(names = "--minutes", paramLabel = "M", description = "Load duration in minutes.")
    double minutes;

    @Option(names = "--seconds", paramLabel = "S", description = "Load duration in seconds (adds to --minutes; default 60 s in all).")
    double seconds;

    @Option(names = "--format", defaultValue = "jpeg", paramLabel = "jpeg|segment",
            description = "jpeg: pre-encoded frames at --fps; segment: video segments at the source's own"
                    + " rate (--fps and --load do not apply) (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--source", paramLabel = "FILE", description = "Video file; repeatable (default: the two shared videos).")
    List<String> sources = new ArrayList<>();

    @Option(names = "--clip-frames", defaultValue = "250", paramLabel = "N",
            description = "Frames pre-encoded from the start of each source and looped (default: ${DEFAULT-VALUE}).")
    int clipFrames;

    @Option(names = "--probe-frames", defaultValue = "1500", paramLabel = "N",
            description = "Backlog the capacity probe sends for --load (default: ${DEFAULT-VALUE}).")
    int probeFrames;

    @Option(names = "--report-seconds", defaultValue = "5", paramLabel = "S",
            description = "Progress row interval (default: ${DEFAULT-VALUE}).")
    double reportSeconds;

    @Option(names = "--table-seconds", defaultValue = "30", paramLabel = "S",
            description = "Row spacing of the lag table in the text summary (default: ${DEFAULT-VALUE}).")
    double tableSeconds;

    @Option(names = "--drain-quiet-seconds", defaultValue = "120", paramLabel = "S",
            description = "Stop waiting for the drain when nothing came out for S seconds (default: ${DEFAULT-VALUE}).")
    double drainQuietSeconds;

    @Option(names = "--churn-seconds", defaultValue = "0", paramLabel = "S",
            description = "Every S seconds the oldest --churn-fraction of the cameras stop for good and as many new"
                    + " camera ids start (0: no churn; default: ${DEFAULT-VALUE}).")
    double churnSeconds;

    @Option(names = "--churn-fraction", defaultValue = "0.1", paramLabel = "F",
            description = "Share of the cameras replaced at each churn (default: ${DEFAULT-VALUE}).")
    double churnFraction;

    @Option(names = "--cluster", arity = "0..1", fallbackValue = "", paramLabel = "DIR",
            description = "Run the job on the multi-process cluster `framewise cluster up` started (its folder;"
                    + " default ~/.cache/framewise/cluster), submitted with Flink's CLI, on fresh topics on its brokers,"
                    + " instead of a local MiniCluster; rows then also give each cluster process's RSS and threads.")
    String clusterDir;

    @CommandLine.Mixin
    LoadChaosOptions chaos;

    @Option(names = "--json", description = "Summary as one JSON object {\"summary\": {...}} on stdout (rows stay on stderr).")
    boolean json;

    private final JvmGauges gauges = new JvmGauges();
    private Path clusterFolder; // null: the job runs on the local MiniCluster

    /**
     * Each cluster process's figures, by name; the PIDs read again every time, as a process restarted
     * by chaos or by hand has a new one. Empty without --cluster.
     */
    private Map<String, ProcessGauges.Reading> clusterProcesses() {
        Map<String, ProcessGauges.Reading> m = new LinkedHashMap<>();
        if (clusterFolder != null) {
            try {
                ClusterState.read(clusterFolder).processes().forEach((name, pid) -> m.put(name, ProcessGauges.of(pid)));
            } catch (java.io.IOException | RuntimeException e) {
                // a state file being rewritten: this row goes without the cluster's figures
            }
        }
        return m;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean segments = validate();
        double loadSecs = minutes * 60 + seconds > 0 ? minutes * 60 + seconds : 60;
        Map<String, String> given = JobFlags.settings(spec.commandLine().getParseResult());
        ClusterState cluster = clusterDir == null ? null : ClusterState.read(
                (clusterDir.isEmpty() ? LocalCluster.defaultDir() : Path.of(clusterDir)).toAbsolutePath());
        if (cluster != null && given.containsKey(JobOptions.BOOTSTRAP.key())) {
            throw param("--cluster brings its own brokers: leave out --bootstrap");
        }
        if (chaos.on() && cluster == null) {
            throw param("--chaos needs --cluster: it kills the cluster's processes");
        }
        boolean external = cluster != null || given.containsKey(JobOptions.BOOTSTRAP.key());
        String run = "loadtest-" + Long.toString(System.currentTimeMillis(), 36);
        Map<String, String> base = LocalRun.defaults();
        if (cluster != null) {
            base.put(JobOptions.BOOTSTRAP.key(), cluster.bootstrap());
        }
        if (chaos.on()) {
            // every fault costs a restart or more; a JobManager take-over counts afresh
            base.put(JobOptions.RESTART_ATTEMPTS.key(), "1000");
            base.put(JobOptions.RESTART_DELAY_MS.key(), "1000");
        }
        if (external) {
            // fresh topics and group on a shared broker: the books start at zero
            base.put(JobOptions.INPUT_TOPIC.key(), run + "-frames");
            base.put(JobOptions.OUTPUT_TOPIC.key(), run + "-labels");
            base.put(JobOptions.DLQ_TOPIC.key(), run + "-dlq");
            base.put(JobOptions.EPISODES_TOPIC.key(), run + "-episodes");
            base.put(JobOptions.CAMERA_STATUS_TOPIC.key(), run + "-camera-status");
            base.put(JobOptions.CAMERA_CONFIG_TOPIC.key(), run + "-camera-config");
            base.put(JobOptions.GROUP.key(), "framewise-" + run);
            base.put(JobOptions.TRANSACTIONAL_ID_PREFIX.key(), "framewise-" + run);
        }
        JobConfig cfg0 = JobFlags.resolveOrReject(base, spec.commandLine());
        InferenceSettings inference = LocalRun.inferenceSettings(cfg0);
        List<String> src = LocalRun.sourcesOrSharedVideos(sources,
                SharedModels.graph(inference.model()).isSegmentation());
        LoadReport.Summary sum = new LoadReport.Summary();
        sum.command = "framewise " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        sum.xmx = JvmGauges.xmxSetting();
        sum.heapMax = gauges.read().heapMax();
        sum.cameras = cameras;
        sum.format = format;
        status(err, "heap: " + sum.xmx + ", max " + LoadReport.mb(sum.heapMax) + " MB");
        try (PreEncodedClips clips = segments ? null : PreEncodedClips.encode(src, clipFrames, 90);
             EmbeddedBroker broker = external ? null : new EmbeddedBroker().start()) {
            if (clips != null) {
                clips.clips().forEach(c -> status(err, String.format(Locale.ROOT, "pre-encoded %d frames of %s"
                        + " (%.0f KB each)", c.frames(), c.source(), c.meanFrameBytes() / 1024)));
            }
            String bootstrap = external ? cfg0.get(JobOptions.BOOTSTRAP) : broker.bootstrapServers();
            JobConfig cfg = cfg0.with(JobOptions.BOOTSTRAP, bootstrap);
            int maxRecord = external ? cfg.get(JobOptions.MAX_RECORD_BYTES) : EmbeddedBroker.MAX_RECORD_BYTES;
            Topics.create(bootstrap, cfg, cameras, external ? null : broker);
            sum.bootstrap = external ? bootstrap + " (topics " + cfg.get(JobOptions.INPUT_TOPIC) + ", ...)"
                    : "embedded KRaft broker " + bootstrap;
            status(err, "Kafka: " + sum.bootstrap);
            Properties kafka = cfg.kafkaProperties();
            Map<String, String> producerProps = new LinkedHashMap<>();
            kafka.forEach((k, v) -> producerProps.put(k.toString(), v.toString()));
            try (LocalFlink flink = cluster != null ? null : LocalFlink.start(cfg.get(JobOptions.PARALLELISM),
                    "8081-8099", -1, cfg.get(JobOptions.BUFFER_DEBLOAT));
                 OutputTally tally = new OutputTally(bootstrap, cfg.get(JobOptions.OUTPUT_TOPIC),
                         cfg.get(JobOptions.DLQ_TOPIC), kafka, Math.max(maxRecord, 1 << 20),
                         segments ? 1024 : 1)) {
                RunningJob job;
                if (cluster != null) {
                    Map<String, String> settings = new LinkedHashMap<>(base);
                    settings.putAll(given);
                    String id = LocalCluster.submit(cluster.dir(), ClusterClassPath.jobJar(), JobFlags.args(settings), err);
                    ClusterJob cj = new ClusterJob(URI.create(cluster.webUi()), id, CLUSTER_UNREACHABLE);
                    cj.awaitTasksRunning(CLUSTER_UNREACHABLE);
                    job = cj;
                    clusterFolder = cluster.dir();
                } else {
                    job = RunningJob.local(flink, LocalRun.submit(flink, cfg));
                }
                boolean cancelled = false;
                try {
                    status(err, "Flink web UI: " + job.webUrl());
                    status(err, "job " + job.id() + ": model " + inference.model() + ", batch " + inference.batchSize()
                            + ", inference threads "
                            + cfg.get(JobOptions.INFERENCE_THREADS) + ", parallelism " + (cluster != null
                            ? cluster.named("taskmanager").size() + " (the cluster's TaskManagers)"
                            : cfg.get(JobOptions.PARALLELISM))
                            + ", checkpoints every " + cfg.get(JobOptions.CHECKPOINT_INTERVAL_MS) + " ms");
                    if (cluster == null) {
                        LocalRun.warmUp(cfg, err, "loadtest"); // a cluster's job warms up on the probe's untimed backlog
                    }
                    LoadCameras cams = new LoadCameras(bootstrap, cfg.get(JobOptions.INPUT_TOPIC), format, maxRecord, producerProps);
                    try {
                        double perCamera = fps;
                        if (!segments && fps <= 0) {
                            sum.load = load > 0 ? load : 2.0;
                            sum.capacityFps = probe(cams, clips, tally, job, cluster != null, err);
                            perCamera = sum.load * sum.capacityFps / cameras;
                        }
                        sum.fpsPerCamera = perCamera;
                        try (LoadChaos faults = chaos.on() ? chaos.open(cluster, job.id(), cfg.get(JobOptions.INPUT_TOPIC),
                                cfg.get(JobOptions.OUTPUT_TOPIC), loadSecs, err) : null) {
                            runLoad(cams, clips, src, segments, perCamera, loadSecs, tally, job, sum, faults, err);
                        }
                    } finally {
                        cams.close();
                    }
                    sum.checkpointMode = checkpointMode(cfg);
                    sum.checkpoints = new CheckpointStats(job.webUrl(), job.id()).between(sum.loadStartMs, sum.loadEndMs);
                    job.cancel(Duration.ofSeconds(60));
                    cancelled = true;
                    finish(sum, tally);
                } finally {
                    if (!cancelled) {
                        cancelAfterFailure(job, err); // a run that fails leaves no job holding the cluster's slots
                    }
                }
            }
        }
        if (json) {
            report.printJson(out, sum);
        } else {
            report.printText(out, sum, tableSeconds);
        }
        return sum.accounted() && sum.drained && (sum.chaos == null || sum.chaos.error() == null) ? 0 : 1;
    }

    private final LoadReport report = new LoadReport();

    /**
     * The job's capacity: a backlog sent as fast as possible, and how fast the job works through it. On a cluster a first backlog goes through untimed: the job's
     * classes come in its own jar, so every submitted job compiles the decoder and the kernels anew in
     * its first frames (a local run warms up before the job instead, {@link LocalRun#warmUp}); timed
     * cold, the probe read 44-55 frames/s where the same cluster then sustained more.
     */
    private double probe(LoadCameras cams, PreEncodedClips clips, OutputTally tally, RunningJob job, boolean warmUpFirst,
                         PrintWriter err) throws Exception {
        if (warmUpFirst) {
            status(err, "warm-up: a backlog of " + probeFrames + " frames, not timed (the job compiles its kernels)");
            probeBacklog(cams, clips, tally, job, "w", err);
            tally.restartProbe();
        }
        status(err, "capacity probe: a backlog of " + probeFrames + " frames");
        long in = probeBacklog(cams, clips, tally, job, "", err);
        double rate = tally.read(true, OutputTally.Phase::steadyRate);
        long dead = tally.read(true, p -> p.deadLetters + p.duplicates);
        if (dead > 0) {
            throw new IllegalStateException("the capacity probe had " + dead + " dead letters or duplicates");
        }
        status(err, String.format(Locale.ROOT, "capacity: %.1f frames/s (%d frames)", rate, in));
        return rate;
    }

    /** Sends one probe backlog from cameras {@code probe-<tag>N} and waits until the job accounted for it. */
    private long probeBacklog(LoadCameras cams, PreEncodedClips clips, OutputTally tally, RunningJob job, String tag,
                              PrintWriter err) throws Exception {
        // at most FLEET_FROM probe cameras: the capacity is the job's, a thousand producers would measure the machine
        int probeCameras = Math.min(cameras, FLEET_FROM);
        long each = Math.max(1, probeFrames / probeCameras);
        for (int i = 0; i < probeCameras; i++) {
            Path folder = clips.clips().get(i % clips.clips().size()).folder();
            cams.start(OutputTally.PROBE_PREFIX + tag + (i + 1), folder.toString(), "--loop", "--limit",
                    Long.toString(each));
        }
        long in = cams.awaitAll();
        Drain d = drain(in, true, tally, job, null, cams, err);
        if (!d.drained) {
            throw new IllegalStateException("the capacity probe did not drain: " + tally.out(true) + " of " + in
                    + " frames came out");
        }
        return in;
    }

    private static void cancelAfterFailure(RunningJob job, PrintWriter err) {
        try {
            job.cancel(Duration.ofSeconds(60));
        } catch (Exception e) {
            status(err, "could not cancel job after the failure: " + e);
        }
    }

    private void runLoad(LoadCameras cams, PreEncodedClips clips, List<String> src, boolean segments, double perCamera,
                         double loadSecs, OutputTally tally, RunningJob job, LoadReport.Summary sum,
                         LoadChaos faults, PrintWriter err) throws Exception {
        status(err, String.format(Locale.ROOT, "load: %d cameras x %s for %.0f s", cameras,
                segments ? "the source rate" : String.format(Locale.ROOT, perCamera < 1 ? "%.3f frames/s"
                        : "%.1f frames/s", perCamera), loadSecs));
        gauges.rebase();
        Ticker ticker = new Ticker(System.nanoTime());
        tally.takeInterval();
        if (fleet()) {
            status(err, String.format(Locale.ROOT, "one sender for all %d cameras%s", cameras, churnSeconds > 0
                    ? String.format(Locale.ROOT, "; every %.0f s %.0f%% of them are replaced by new ids",
                    churnSeconds, churnFraction * 100) : ""));
            cams.startFleet(new CameraFleet(cams.bootstrap, cams.topic, cams.maxRecord, cams.kafka,
                    clips.clips().stream().map(PreEncodedClips.Clip::folder).toList(), cameras, perCamera,
                    churnSeconds, churnFraction));
        }
        for (int i = 0; i < (fleet() ? 0 : cameras); i++) {
            String camera = "cam-" + (i + 1);
            if (segments) {
                cams.start(camera, src.get(i % src.size()), "--realtime", "--loop");
            } else {
                cams.start(camera, clips.clips().get(i % clips.clips().size()).folder().toString(),
                        "--fps", Double.toString(perCamera), "--realtime", "--loop");
            }
        }
        long loadStartMs = System.currentTimeMillis();
        if (faults != null) {
            faults.start();
        }
        long endNanos = ticker.start + (long) (loadSecs * 1e9);
        while (System.nanoTime() < endNanos) {
            check(tally, job);
            cams.check();
            ticker.maybeRow("load", cams, tally, err);
            Thread.sleep(100);
        }
        cams.stopAll();
        long in = cams.awaitAll();
        long loadEndMs = System.currentTimeMillis();
        if (faults != null) {
            status(err, "load stopped; chaos waits for the last fault's recovery before the drain");
            faults.finish();
            sum.chaos = new LoadReport.Chaos(faults.schedule().toString(), faults.injected(), faults.restartsLogged(),
                    faults.error());
        }
        sum.loadSeconds = (loadEndMs - loadStartMs) / 1000.0;
        sum.loadStartMs = loadStartMs;
        sum.loadEndMs = loadEndMs;
        sum.offeredFps = in / sum.loadSeconds;
        sum.framesIn = in;
        sum.camerasSeen = cams.framesByCamera().size();
        sum.sustainedFps = tally.read(false, p -> p.createdRate(loadStartMs, loadEndMs));
        status(err, "load stopped: " + in + " frames sent; draining");
        Drain d = drain(in, false, tally, job, ticker, cams, err);
        sum.drained = d.drained;
        sum.drainSeconds = d.seconds;
        ticker.row("end", cams, tally, err);
        sum.lagMax = report.rows().stream().mapToLong(LoadReport.Row::lag).max().orElse(0);
    }

    private record Drain(boolean drained, double seconds) {
    }

    /** Waits until {@code in} frames came out, or nothing came out for --drain-quiet-seconds. */
    private Drain drain(long in, boolean probePhase, OutputTally tally, RunningJob job, Ticker ticker,
                        LoadCameras cams, PrintWriter err) throws Exception {
        long t0 = System.nanoTime();
        long lastOut = -1;
        long lastProgress = t0;
        while (true) {
            check(tally, job);
            long o = tally.out(probePhase);
            long now = System.nanoTime();
            if (o >= in) {
                return new Drain(true, (now - t0) / 1e9);
            }
            if (o != lastOut) {
                lastOut = o;
                lastProgress = now;
            } else if (now - lastProgress > drainQuietSeconds * 1e9) {
                status(err, (in - o) + " frames did not come out; nothing new for " + drainQuietSeconds + " s");
                return new Drain(false, (now - t0) / 1e9);
            }
            if (ticker != null) {
                ticker.maybeRow("drain", cams, tally, err);
            }
            Thread.sleep(100);
        }
    }

    private static String checkpointMode(JobConfig cfg) {
        JobOptions.CheckpointMode m = cfg.get(JobOptions.CHECKPOINT_MODE);
        long after = cfg.get(JobOptions.ALIGNED_CHECKPOINT_TIMEOUT_MS);
        return m + (m == JobOptions.CheckpointMode.UNALIGNED && after > 0 ? " after " + after + " ms aligned" : "")
                + ", buffer debloat " + (cfg.get(JobOptions.BUFFER_DEBLOAT) ? "on" : "off") + ", every "
                + cfg.get(JobOptions.CHECKPOINT_INTERVAL_MS) + " ms";
    }

    private static void check(OutputTally tally, RunningJob job) throws Exception {
        tally.checkHealthy();
        if (job.status().isGloballyTerminalState()) {
            throw new IllegalStateException("the job stopped: " + job.status() + " (see the log above)");
        }
    }

    private void finish(LoadReport.Summary sum, OutputTally tally) {
        tally.read(false, p -> {
            sum.eventsOut = p.events;
            sum.deadLetters = p.deadLetters;
            sum.deadByReason.putAll(p.deadByReason);
            sum.duplicates = p.duplicates;
            Histogram h = p.visibleMs;
            sum.p50Ms = h.getTotalCount() == 0 ? -1 : h.getValueAtPercentile(50);
            sum.p99Ms = h.getTotalCount() == 0 ? -1 : h.getValueAtPercentile(99);
            sum.p999Ms = h.getTotalCount() == 0 ? -1 : h.getValueAtPercentile(99.9);
            sum.maxMs = h.getTotalCount() == 0 ? -1 : h.getMaxValue();
            return null;
        });
        JvmGauges.Reading r = gauges.read();
        sum.heapPeakUsed = gauges.peakUsed();
        sum.heapAfterGcMax = report.rows().stream().mapToLong(LoadReport.Row::heapAfterGc).max().orElse(-1);
        sum.gcCount = r.gcCount();
        sum.gcMillis = r.gcMillis();
    }

    /** Emits a report row every --report-seconds: interval rates, lag, latency, heap, GC. */
    private final class Ticker {
        final long start;
        long lastNanos;
        long lastIn;
        long lastOut;

        Ticker(long start) {
            this.start = start;
            this.lastNanos = start;
        }

        void maybeRow(String phase, LoadCameras cams, OutputTally tally, PrintWriter err) {
            gauges.read(); // keeps the heap peak fine-grained between rows
            if (System.nanoTime() - lastNanos >= reportSeconds * 1e9) {
                row(phase, cams, tally, err);
            }
        }

        void row(String phase, LoadCameras cams, OutputTally tally, PrintWriter err) {
            long now = System.nanoTime();
            Map<String, Long> lagByCamera = new LinkedHashMap<>();
            long in = 0;
            for (Map.Entry<String, Long> c : cams.framesByCamera().entrySet()) {
                in += c.getValue();
                lagByCamera.put(c.getKey(), c.getValue() - tally.out(c.getKey()));
            }
            long o = tally.out(false);
            Histogram h = tally.takeInterval();
            double dt = Math.max(1e-9, (now - lastNanos) / 1e9);
            JvmGauges.Reading g = gauges.read();
            report.add(new LoadReport.Row((now - start) / 1e9, phase, in, o, in - o, (in - lastIn) / dt,
                    (o - lastOut) / dt, h.getTotalCount() == 0 ? -1 : h.getValueAtPercentile(50),
                    h.getTotalCount() == 0 ? -1 : h.getValueAtPercentile(99), g.heapUsed(), g.afterGc(),
                    g.gcCount(), g.gcMillis(), ProcessGauges.self(), clusterProcesses(), lagByCamera), err);
            lastNanos = now;
            lastIn = in;
            lastOut = o;
        }
    }

    private boolean validate() {
        if (cameras < 1) {
            throw param("--cameras must be at least 1");
        }
        if (!format.equals("jpeg") && !format.equals("segment")) {
            throw param("--format must be jpeg or segment, got " + format);
        }
        boolean segments = format.equals("segment");
        if (fps < 0 || load < 0 || minutes < 0 || seconds < 0) {
            throw param("--fps, --load, --minutes and --seconds must be positive");
        }
        if (fps > 0 && load > 0) {
            throw param("give --fps or --load, not both");
        }
        if (segments && (fps > 0 || load > 0)) {
            throw param("--format segment sends at the source's own rate: --fps and --load do not apply");
        }
        if (churnSeconds < 0 || churnFraction < 0 || churnFraction > 1) {
            throw param("--churn-seconds must be positive and --churn-fraction between 0 and 1");
        }
        if (chaos.on()) {
            try {
                chaos.kinds();
            } catch (IllegalArgumentException e) {
                throw param(e.getMessage());
            }
        }
        if (segments && churnSeconds > 0) {
            throw param("--churn-seconds needs --format jpeg (the fleet loops pre-encoded frames)");
        }
        if (reportSeconds <= 0 || probeFrames < Math.min(cameras, FLEET_FROM) || clipFrames < 0) {
            throw param("--report-seconds must be positive and --probe-frames at least --cameras");
        }
        return segments;
    }

    /** How long the cluster's JobManager may not answer (an HA failover) before the load test gives up. */
    static final Duration CLUSTER_UNREACHABLE = Duration.ofMinutes(3);

    /** From this many cameras on (or with churn) one sender sends for all: see {@link CameraFleet}. */
    static final int FLEET_FROM = 32;

    private boolean fleet() {
        return format.equals("jpeg") && (cameras >= FLEET_FROM || churnSeconds > 0);
    }

    private CommandLine.ParameterException param(String msg) {
        return new CommandLine.ParameterException(spec.commandLine(), msg);
    }

    private static void status(PrintWriter err, String line) {
        err.println("loadtest: " + line);
        err.flush();
    }
}
