package io.framewise.pipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.framewise.inference.exec.SharedModels;
import io.framewise.operators.infer.InferenceSettings;
import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobFlags;
import io.framewise.pipeline.config.JobOptions;
import io.framewise.pipeline.consume.EpisodeLine;
import io.framewise.pipeline.consume.EventLine;
import io.framewise.pipeline.demo.LabelsMonitor;
import io.framewise.pipeline.local.EmbeddedBroker;
import io.framewise.pipeline.local.LocalFlink;
import io.framewise.pipeline.local.LocalRun;
import io.framewise.pipeline.metrics.JobMetrics;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code framewise demo}: the whole product on one machine. An embedded Kafka broker and a Flink
 * MiniCluster in this JVM, the sources produced as cameras, the job labeling them, the events shown
 * live as a downstream read_committed consumer sees them, and a summary at the end.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = JobFlags.class,
        description = {"Runs everything in one process: embedded Kafka, a local Flink (web UI printed), the"
                + " sources sent as cameras, the job, and the labeled events shown live; ends with a summary.",
                "Job options (--batch-size, --model, ...) apply; Kafka and topic options are set by the demo."})
public final class DemoCommand implements Callable<Integer> {

    /** How long, after the sources ended, the demo waits for missing frames before it gives up. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--source", paramLabel = "FILE|DIR|URL",
            description = "Video file, image folder or stream URL; repeatable (default: the two shared videos).")
    List<String> sources = new ArrayList<>();

    @Option(names = "--cameras", paramLabel = "N",
            description = "Cameras; camera i sends source i mod #sources (default: one per source).")
    int cameras;

    @Option(names = "--format", defaultValue = "jpeg", paramLabel = "jpeg|segment",
            description = "Record payload: one JPEG per frame, or video segments (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--seconds", paramLabel = "S",
            description = "Send for S seconds, looping the sources (default: each source once).")
    double seconds;

    @Option(names = "--max-rate",
            description = "Send as fast as possible instead of at the sources' frame rate (a throughput run;"
                    + " capture times then lie ahead of the clock, so latency figures are not meaningful).")
    boolean maxRate;

    @Option(names = "--preload",
            description = "Send all sources first, then start the job: frames/s is then the job's own throughput"
                    + " over the backlog (latency figures include the wait in Kafka).")
    boolean preload;

    @Option(names = "--json", description = "Events as JSON lines, episode records with \"type\": \"episode\";"
            + " the last line is {\"summary\": {...}}.")
    boolean json;

    private boolean summarized;

    @Option(names = "--quiet", description = "No event lines, only the progress line and the summary.")
    boolean quiet;

    @Option(names = "--metrics-port", defaultValue = "0", paramLabel = "PORT",
            description = "Port of the Prometheus reporter's /metrics endpoint (default: a free one; -1: none).")
    int metricsPort;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JobConfig cfg0 = JobFlags.resolveOrReject(LocalRun.demoDefaults(), spec.commandLine());
        InferenceSettings inference = LocalRun.inferenceSettings(cfg0);
        List<String> src = LocalRun.sourcesOrSharedVideos(sources,
                SharedModels.graph(inference.model()).isSegmentation());
        int n = cameras > 0 ? cameras : src.size();
        if (seconds < 0 || cameras < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds and --cameras must be positive");
        }
        if (!format.equals("jpeg") && !format.equals("segment")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format must be jpeg or segment, got " + format);
        }
        long t0 = System.nanoTime();
        ObjectMapper mapper = new ObjectMapper();
        try (EmbeddedBroker broker = new EmbeddedBroker().start()) {
            JobConfig cfg = cfg0.with(JobOptions.BOOTSTRAP, broker.bootstrapServers());
            String frames = cfg.get(JobOptions.INPUT_TOPIC);
            broker.createTopic(frames, n);
            broker.createTopic(cfg.get(JobOptions.OUTPUT_TOPIC), n);
            broker.createTopic(cfg.get(JobOptions.DLQ_TOPIC), 1);
            broker.createTopic(cfg.get(JobOptions.EPISODES_TOPIC), n);
            broker.createTopic(cfg.get(JobOptions.CAMERA_STATUS_TOPIC), 1);
            status(err, "Kafka (embedded KRaft broker) at " + broker.bootstrapServers());
            try (LocalFlink flink = LocalFlink.start(cfg.get(JobOptions.PARALLELISM), "8081-8099", metricsPort,
                    cfg.get(JobOptions.BUFFER_DEBLOAT));
                 LabelsMonitor monitor = new LabelsMonitor(broker.bootstrapServers(),
                         cfg.get(JobOptions.OUTPUT_TOPIC), cfg.get(JobOptions.DLQ_TOPIC),
                         cfg.get(JobOptions.EPISODES_TOPIC), (event, text) -> show(out, event, text))) {
                status(err, "Flink web UI: " + flink.webUrl());
                if (flink.metricsUrl() != null) {
                    status(err, "Prometheus metrics: " + flink.metricsUrl());
                }
                List<SourceProducer> producers = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String camera = "cam-" + (i + 1);
                    String s = src.get(i % src.size());
                    List<String> extra = new ArrayList<>();
                    if (!maxRate && !preload) {
                        extra.add("--realtime");
                    }
                    if (seconds > 0) {
                        extra.add("--loop");
                    }
                    if (!maxRate && !preload && Files.isDirectory(Path.of(s))) {
                        extra.addAll(List.of("--fps", "5"));
                    }
                    producers.add(new SourceProducer(SourceProducer.args(s, broker.bootstrapServers(), frames, camera,
                            format, EmbeddedBroker.MAX_RECORD_BYTES, Map.of(), extra.toArray(String[]::new))));
                    status(err, camera + ": " + s + " (" + format + ")");
                }
                ExecutorService pool = Executors.newFixedThreadPool(n);
                List<Future<SourceProducer.Result>> sent = new ArrayList<>();
                long start = System.nanoTime();
                if (preload) {
                    // the whole backlog first: the job then runs alone, and frames/s is its own throughput
                    producers.forEach(p -> sent.add(pool.submit(p::run)));
                    while (!sent.stream().allMatch(Future::isDone)) {
                        if (seconds > 0 && System.nanoTime() - start > (long) (seconds * 1e9)) {
                            producers.forEach(SourceProducer::close);
                        }
                        Thread.sleep(100);
                    }
                    status(err, "backlog sent: " + producers.stream().mapToLong(SourceProducer::framesSent).sum()
                            + " frames; starting the job");
                }
                JobID job = LocalRun.submit(flink, cfg);
                status(err, "job " + job + ": " + frames + " -> " + cfg.get(JobOptions.OUTPUT_TOPIC)
                        + ", model " + cfg.get(JobOptions.MODEL) + ", batch " + inference.batchSize()
                        + ", inference threads " + cfg.get(JobOptions.INFERENCE_THREADS));
                LocalRun.warmUp(cfg, err, "demo");
                if (!preload) {
                    start = System.nanoTime();
                    producers.forEach(p -> sent.add(pool.submit(p::run)));
                }
                Progress progress = new Progress(err, !json || System.console() != null);
                long framesIn = 0;
                boolean sourcesDone = false;
                long doneAt = 0;
                while (true) {
                    monitor.checkHealthy();
                    JobStatus st = flink.status(job);
                    if (st.isGloballyTerminalState()) {
                        throw new IllegalStateException("the job stopped: " + st + " (see the log above)");
                    }
                    if (seconds > 0 && System.nanoTime() - start > (long) (seconds * 1e9)) {
                        producers.forEach(SourceProducer::close);
                    }
                    if (!sourcesDone && sent.stream().allMatch(Future::isDone)) {
                        sourcesDone = true;
                        doneAt = System.nanoTime();
                        framesIn = 0;
                        for (Future<SourceProducer.Result> f : sent) {
                            framesIn += f.get().frames();
                        }
                    }
                    long in = sourcesDone ? framesIn : producers.stream().mapToLong(SourceProducer::framesSent).sum();
                    progress.show(in, monitor, sourcesDone);
                    if (sourcesDone && monitor.events() + monitor.deadLetters() >= framesIn) {
                        break;
                    }
                    long quietSince = Math.max(doneAt, monitor.lastEventNanos());
                    if (sourcesDone && System.nanoTime() - quietSince > DRAIN_TIMEOUT.toNanos()) {
                        status(err, "gave up waiting: " + (framesIn - monitor.events() - monitor.deadLetters())
                                + " frames without an event after " + DRAIN_TIMEOUT.toSeconds() + " s");
                        break;
                    }
                    Thread.sleep(200);
                }
                progress.finish();
                pool.shutdownNow();
                // before the cancel: a job's metrics leave the reporter with its tasks
                JobMetrics metrics = readMetrics(flink, job, inference.batchSize(), err);
                flink.cancel(job, Duration.ofSeconds(30));
                double wall = (System.nanoTime() - start) / 1e9;
                printSummary(out, mapper, framesIn, monitor, wall, (System.nanoTime() - t0) / 1e9);
                if (metrics != null) {
                    // --json keeps stdout to events and the summary line: the block goes to stderr there
                    metrics.print(json ? err : out, flink.metricsUrl().toString());
                }
                return monitor.events() + monitor.deadLetters() >= framesIn && monitor.duplicates() == 0 ? 0 : 1;
            }
        }
    }

    private synchronized void show(PrintWriter out, com.fasterxml.jackson.databind.JsonNode event, String text) {
        if (quiet || summarized) { // the summary is the last line
            return;
        }
        if (json) {
            if (event != null) {
                out.println(text);
            }
        } else {
            out.println(event == null ? text
                    : "episode".equals(event.path("type").asText()) ? "episode " + EpisodeLine.format(event)
                    : EventLine.format(event));
        }
        out.flush();
    }

    private void printSummary(PrintWriter out, ObjectMapper mapper, long framesIn, LabelsMonitor m, double wall,
                              double total) throws Exception {
        synchronized (this) {
            summarized = true;
        }
        // with a preloaded backlog the wall clock includes sending it: the job's own rate is the figure
        double fps = preload ? m.jobRate() : m.events() / Math.max(1e-9, wall);
        Map<String, List<Map.Entry<String, Integer>>> top = m.topLabels(3);
        if (json) {
            ObjectNode s = mapper.createObjectNode();
            ObjectNode body = s.putObject("summary");
            body.put("frames_in", framesIn);
            body.put("events_out", m.events());
            body.put("frames_inferred", m.framesInferred());
            body.put("episodes", m.episodesOpened());
            body.put("episodes_closed", m.episodesClosed());
            body.put("dead_letters", m.deadLetters());
            body.put("duplicates", m.duplicates());
            body.put("frames_per_second", Math.round(fps * 10) / 10.0);
            body.put("job_frames_per_second", Math.round(m.jobRate() * 10) / 10.0);
            body.put("p50_ms", m.latencyQuantile(0.50));
            body.put("p99_ms", m.latencyQuantile(0.99));
            body.put("seconds", Math.round(wall * 100) / 100.0);
            ObjectNode cams = body.putObject("top_labels");
            top.forEach((cam, list) -> {
                ObjectNode c = cams.putObject(cam);
                list.forEach(en -> c.put(en.getKey(), en.getValue()));
            });
            ObjectNode dead = body.putObject("dead_letters_by_reason");
            m.deadByReason().forEach(dead::put);
            out.println(mapper.writeValueAsString(s));
        } else {
            out.println();
            out.println("summary");
            out.printf(Locale.ROOT, "  frames in      %d%n", framesIn);
            out.printf(Locale.ROOT, "  events out     %d (duplicates %d)%n", m.events(), m.duplicates());
            out.printf(Locale.ROOT, "  inferred       %d of the events (the rest carried by sampling or the gate)%n",
                    m.framesInferred());
            out.printf(Locale.ROOT, "  episodes       %d opened, %d closed%n", m.episodesOpened(), m.episodesClosed());
            out.printf(Locale.ROOT, "  dead letters   %d %s%n", m.deadLetters(), m.deadByReason().isEmpty() ? ""
                    : m.deadByReason().toString());
            out.printf(Locale.ROOT, preload
                            ? "  frames/s       %.1f (the job over the preloaded backlog, by event creation times)%n"
                            : "  frames/s       %.1f (%.1f s from the first frame sent to the last event)%n",
                    fps, wall);
            if (preload) {
                // a preloaded video is stamped with its own clock (start + pts), far ahead of when the job gets to it
                out.println("  end-to-end     n/a (preloaded: capture times are the videos' own clock)");
            } else {
                out.printf(Locale.ROOT, "  end-to-end     p50 %d ms, p99 %d ms (capture to labeled)%s%n",
                        m.latencyQuantile(0.50), m.latencyQuantile(0.99), maxRate ? " (includes the wait in Kafka)" : "");
            }
            top.forEach((cam, list) -> out.printf(Locale.ROOT, "  %-8s %s%n", cam, list.stream()
                    .map(en -> EventLine.shortLabel(en.getKey()) + " x" + en.getValue()).reduce((a, b) -> a + ", " + b).orElse("")));
            out.printf(Locale.ROOT, "  (whole demo %.1f s)%n", total);
        }
        out.flush();
    }

    private static JobMetrics readMetrics(LocalFlink flink, JobID job, int batchSize, PrintWriter err) {
        if (flink.metricsUrl() == null) {
            return null;
        }
        try {
            return JobMetrics.settled(flink.metricsUrl(), job.toHexString(), batchSize, Duration.ofSeconds(5)).metrics();
        } catch (Exception e) {
            status(err, "metrics not read from " + flink.metricsUrl() + ": " + e);
            return null;
        }
    }

    private static void status(PrintWriter err, String line) {
        err.println("demo: " + line);
        err.flush();
    }

    /** One progress line on stderr, rewritten in place on a terminal. */
    private static final class Progress {
        private final PrintWriter err;
        private final boolean enabled;
        private final boolean terminal = System.console() != null;
        private long lastPrint;

        Progress(PrintWriter err, boolean enabled) {
            this.err = err;
            this.enabled = enabled;
        }

        void show(long in, LabelsMonitor m, boolean sourcesDone) {
            long now = System.nanoTime();
            if (!enabled || (!terminal && now - lastPrint < TimeUnit.SECONDS.toNanos(2))) {
                return;
            }
            lastPrint = now;
            String line = String.format(Locale.ROOT, "[%s] frames in %d | events %d | dead letters %d | p50 %d ms",
                    sourcesDone ? "draining" : "sending", in, m.events(), m.deadLetters(), m.latencyQuantile(0.5));
            err.print(terminal ? "\r" + line + "   " : line + System.lineSeparator());
            err.flush();
        }

        void finish() {
            if (enabled && terminal) {
                err.println();
                err.flush();
            }
        }
    }
}
