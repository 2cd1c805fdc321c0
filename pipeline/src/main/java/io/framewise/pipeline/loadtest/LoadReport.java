package io.framewise.pipeline.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.framewise.pipeline.chaos.FaultInjector;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The load test's figures: one row per report interval (printed as it comes) and the summary at the
 * end, as text or as one JSON object.
 */
public final class LoadReport {

    /** One report interval; rates over the interval, counts cumulative (load cameras only). */
    public record Row(double seconds, String phase, long framesIn, long framesOut, long lag, double offeredFps,
               double outFps, long p50Ms, long p99Ms, long heapUsed, long heapAfterGc, long gcCount,
               long gcMillis, ProcessGauges.Reading process, Map<String, ProcessGauges.Reading> cluster,
               Map<String, Long> lagByCamera) {
    }

    /** The end-of-run figures; {@code -1} where a figure does not apply. */
    public static final class Summary {
        public String command;
        public String bootstrap;
        public String xmx;
        public long heapMax;
        public int cameras;
        public String format;
        public double capacityFps = -1;
        public double load = -1;
        public double fpsPerCamera;
        public double offeredFps;
        public double sustainedFps;
        public double loadSeconds;
        public long framesIn;
        public long eventsOut;
        public long deadLetters;
        public Map<String, Integer> deadByReason = new TreeMap<>();
        public long duplicates;
        public long lagMax;
        public long p50Ms;
        public long p99Ms;
        public long p999Ms;
        public long maxMs;
        public long heapPeakUsed;
        public long heapAfterGcMax;
        /** Camera ids that sent during the load: more than {@link #cameras} with churn. */
        public int camerasSeen;
        public long gcCount;
        public long gcMillis;
        public boolean drained;
        public double drainSeconds;
        public long loadStartMs;
        public long loadEndMs;
        /** e.g. "aligned, buffer debloat off" */
        public String checkpointMode = "";
        /** Those triggered during the load (Flink's REST API). */
        public List<CheckpointStats.Checkpoint> checkpoints = List.of();
        /** Faults injected during the load ({@code --chaos}), or null. */
        public Chaos chaos;

        long lost() {
            return framesIn - eventsOut - deadLetters;
        }

        public boolean accounted() {
            return lost() == 0 && duplicates == 0;
        }
    }

    /** What {@code --chaos} did: the schedule drawn, the faults injected, restarts, why it stopped early (or null). */
    public record Chaos(String schedule, List<FaultInjector.Injected> injected, long restartsLogged, String error) {
    }

    private final List<Row> rows = new ArrayList<>();

    public void add(Row r, PrintWriter err) {
        rows.add(r);
        err.println(String.format(Locale.ROOT,
                "loadtest: %6.0f s %-8s in %8d  out %8d  lag %7d  offered %6.1f/s  out %6.1f/s  p50 %6d ms"
                        + "  p99 %6d ms  heap %5d MB (after GC %5d MB)  GC %d (%d ms)  RSS %5d MB  threads %4d"
                        + "  native %s MB  lag by camera %s",
                r.seconds(), r.phase(), r.framesIn(), r.framesOut(), r.lag(), r.offeredFps(), r.outFps(),
                r.p50Ms(), r.p99Ms(), mb(r.heapUsed()), mb(r.heapAfterGc()), r.gcCount(), r.gcMillis(),
                mb(r.process().rssBytes()), r.process().threads(), nativeMb(r.process()), lagText(r.lagByCamera()))
                + clusterText(r.cluster()));
        err.flush();
    }

    public List<Row> rows() {
        return rows;
    }

    public void printText(PrintWriter out, Summary s, double tableSeconds) {
        out.println();
        out.println("load test summary");
        out.printf(Locale.ROOT, "  command        %s%n", s.command);
        out.printf(Locale.ROOT, "  kafka          %s%n", s.bootstrap);
        out.printf(Locale.ROOT, "  heap           %s, max %d MB%n", s.xmx, mb(s.heapMax));
        out.printf(Locale.ROOT, "  cameras        %d x %s (%s)%s%n", s.cameras, s.fpsPerCamera > 0
                ? String.format(Locale.ROOT, s.fpsPerCamera < 1 ? "%.3f frames/s" : "%.1f frames/s", s.fpsPerCamera) : "the source's own rate", s.format,
                s.camerasSeen > s.cameras ? "; " + s.camerasSeen + " camera ids in all (churn)" : "");
        if (s.capacityFps >= 0) {
            out.printf(Locale.ROOT, "  capacity       %.1f frames/s (probe over a backlog); load %.2fx%n",
                    s.capacityFps, s.load);
        }
        out.printf(Locale.ROOT, "  offered        %.1f frames/s for %.0f s%n", s.offeredFps, s.loadSeconds);
        out.printf(Locale.ROOT, "  sustained      %.1f frames/s (events the job made during the load)%n",
                s.sustainedFps);
        out.printf(Locale.ROOT, "  latency        p50 %d ms, p99 %d ms, p99.9 %d ms, max %d ms (capture to visible"
                + " under read_committed)%n", s.p50Ms, s.p99Ms, s.p999Ms, s.maxMs);
        out.printf(Locale.ROOT, "  heap           peak used %d MB, highest after GC %d MB; GC %d collections, %d ms (from the load start)%n",
                mb(s.heapPeakUsed), mb(s.heapAfterGcMax), s.gcCount, s.gcMillis);
        out.printf(Locale.ROOT, "  process        RSS %s MB, threads %s, native (NMT) %s MB: first and last row of the load%s%n",
                span(r -> mb(r.process().rssBytes())), span(r -> r.process().threads()),
                span(r -> r.process().nativeCommittedBytes() < 0 ? -1 : mb(r.process().nativeCommittedBytes())),
                rows.stream().anyMatch(r -> r.process().nativeCommittedBytes() >= 0) ? ""
                        : " (native: -1 = NMT off; run with FRAMEWISE_JAVA_OPTS=-XX:NativeMemoryTracking=summary)");
        for (String name : rows.isEmpty() ? List.<String>of() : rows.get(rows.size() - 1).cluster().keySet()) {
            out.printf(Locale.ROOT, "  %-14s RSS %s MB (max %d), threads %s, native (NMT) %s MB%n", name,
                    span(r -> clusterMb(r, name, ProcessGauges.Reading::rssBytes)),
                    rows.stream().mapToLong(r -> clusterMb(r, name, ProcessGauges.Reading::rssBytes)).max().orElse(-1),
                    span(r -> r.cluster().containsKey(name) ? r.cluster().get(name).threads() : -1),
                    span(r -> clusterMb(r, name, ProcessGauges.Reading::nativeCommittedBytes)));
        }
        out.printf(Locale.ROOT, "  lag            max %d frames; %s%n", s.lagMax, s.drained
                ? String.format(Locale.ROOT, "drained %.1f s after the load stopped", s.drainSeconds)
                : String.format(Locale.ROOT, "NOT drained after %.1f s", s.drainSeconds));
        out.printf(Locale.ROOT, "  accounting     frames in %d = events %d + dead letters %d%s; duplicates %d%s%n",
                s.framesIn, s.eventsOut, s.deadLetters, s.lost() == 0 ? "" : " + LOST " + s.lost(), s.duplicates,
                s.deadByReason.isEmpty() ? "" : " " + s.deadByReason);
        CheckpointStats.printText(out, s.checkpointMode, s.checkpoints);
        if (s.chaos != null) {
            out.printf(Locale.ROOT, "  chaos          %d faults, %d restarts (JobManager log)%s%n", s.chaos.injected().size(),
                    s.chaos.restartsLogged(), s.chaos.error() == null ? "" : "; STOPPED EARLY: " + s.chaos.error());
            for (FaultInjector.Injected f : s.chaos.injected()) {
                out.printf(Locale.ROOT, "    %7.1f s  %-17s %-14s recovered in %.1f s%n", f.atSeconds(), f.kind().id(),
                        f.target(), f.recoverySeconds());
            }
        }
        out.println();
        out.println("  | t (s) | phase | frames in | out | lag | lag by camera | offered/s | out/s | p99 ms"
                + " | heap MB (after GC) | GC | RSS MB | threads | native MB (NMT) |");
        out.println("  |---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        double next = 0;
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            boolean last = i == rows.size() - 1;
            if (r.seconds() + 1e-6 >= next || last || !r.phase().equals(rows.get(Math.max(0, i - 1)).phase())) {
                out.printf(Locale.ROOT, "  | %.0f | %s | %d | %d | %d | %s | %.1f | %.1f | %d | %d (%d) | %d / %d ms"
                                + " | %d | %d | %s |%n",
                        r.seconds(), r.phase(), r.framesIn(), r.framesOut(), r.lag(),
                        lagText(r.lagByCamera()), r.offeredFps(), r.outFps(),
                        r.p99Ms(), mb(r.heapUsed()), mb(r.heapAfterGc()), r.gcCount(), r.gcMillis(),
                        mb(r.process().rssBytes()), r.process().threads(), nativeMb(r.process()));
                next = r.seconds() + tableSeconds;
            }
        }
        out.flush();
    }

    public void printJson(PrintWriter out, Summary s) throws Exception {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        ObjectNode b = root.putObject("summary");
        b.put("command", s.command);
        b.put("bootstrap", s.bootstrap);
        b.put("xmx", s.xmx);
        b.put("heap_max_bytes", s.heapMax);
        b.put("cameras", s.cameras);
        b.put("camera_ids", s.camerasSeen);
        b.put("format", s.format);
        b.put("fps_per_camera", round(s.fpsPerCamera));
        b.put("capacity_fps", round(s.capacityFps));
        b.put("load", round(s.load));
        b.put("offered_fps", round(s.offeredFps));
        b.put("sustained_fps", round(s.sustainedFps));
        b.put("load_seconds", round(s.loadSeconds));
        b.put("frames_in", s.framesIn);
        b.put("events_out", s.eventsOut);
        b.put("dead_letters", s.deadLetters);
        ObjectNode dead = b.putObject("dead_letters_by_reason");
        s.deadByReason.forEach(dead::put);
        b.put("duplicates", s.duplicates);
        b.put("lost", s.lost());
        b.put("lag_max", s.lagMax);
        b.put("p50_ms", s.p50Ms);
        b.put("p99_ms", s.p99Ms);
        b.put("p999_ms", s.p999Ms);
        b.put("max_ms", s.maxMs);
        b.put("heap_peak_used_bytes", s.heapPeakUsed);
        b.put("heap_after_gc_max_bytes", s.heapAfterGcMax);
        b.put("gc_count", s.gcCount);
        b.put("gc_ms", s.gcMillis);
        b.put("drained", s.drained);
        b.put("drain_seconds", round(s.drainSeconds));
        CheckpointStats.putJson(b, s.checkpointMode, s.checkpoints);
        if (s.chaos != null) {
            ObjectNode c = b.putObject("chaos");
            c.put("schedule", s.chaos.schedule());
            c.put("restarts_logged", s.chaos.restartsLogged());
            c.put("error", s.chaos.error());
            ArrayNode fs = c.putArray("faults");
            for (FaultInjector.Injected f : s.chaos.injected()) {
                fs.addObject().put("kind", f.kind().id()).put("target", f.target()).put("at_s", round(f.atSeconds()))
                        .put("recovery_s", round(f.recoverySeconds()));
            }
        }
        ArrayNode t = b.putArray("timeline");
        for (Row r : rows) {
            ObjectNode o = t.addObject();
            o.put("t", round(r.seconds())).put("phase", r.phase()).put("frames_in", r.framesIn())
                    .put("frames_out", r.framesOut()).put("lag", r.lag()).put("offered_fps", round(r.offeredFps()))
                    .put("out_fps", round(r.outFps())).put("p50_ms", r.p50Ms()).put("p99_ms", r.p99Ms())
                    .put("heap_used_bytes", r.heapUsed()).put("heap_after_gc_bytes", r.heapAfterGc())
                    .put("gc_count", r.gcCount()).put("gc_ms", r.gcMillis())
                    .put("rss_bytes", r.process().rssBytes()).put("threads", r.process().threads())
                    .put("native_committed_bytes", r.process().nativeCommittedBytes())
                    .put("lag_max_per_camera", r.lagByCamera().values().stream().mapToLong(Long::longValue).max().orElse(0));
            o.set("cluster", clusterJson(m, r.cluster()));
            o.set("lag_by_camera", r.lagByCamera().size() <= LAG_CAMERAS_LISTED ? m.valueToTree(r.lagByCamera())
                    : m.createObjectNode());
        }
        out.println(m.writeValueAsString(root));
        out.flush();
    }

    /** "  cluster RSS MB/threads: name 512/80 ..." or nothing without a cluster. */
    static String clusterText(Map<String, ProcessGauges.Reading> cluster) {
        if (cluster.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("  cluster RSS MB/threads:");
        cluster.forEach((name, p) -> b.append(' ').append(name).append(' ').append(mb(p.rssBytes())).append('/')
                .append(p.threads()));
        return b.toString();
    }

    /** Up to this many cameras the rows list each camera's lag; past it, the largest and the count. */
    static final int LAG_CAMERAS_LISTED = 16;

    static String lagText(Map<String, Long> lagByCamera) {
        if (lagByCamera.size() <= LAG_CAMERAS_LISTED) {
            return lagByCamera.values().stream().map(String::valueOf).reduce((a, b) -> a + " " + b).orElse("");
        }
        long max = lagByCamera.values().stream().mapToLong(Long::longValue).max().orElse(0);
        long lagging = lagByCamera.values().stream().filter(v -> v > 0).count();
        return "max " + max + ", " + lagging + " of " + lagByCamera.size() + " cameras behind";
    }

    /** "first -> last" of a figure over the load phase's rows ("-" without rows). */
    private String span(java.util.function.ToLongFunction<Row> f) {
        List<Row> load = rows.stream().filter(r -> r.phase().equals("load")).toList();
        if (load.isEmpty()) {
            return "-";
        }
        return f.applyAsLong(load.get(0)) + " -> " + f.applyAsLong(load.get(load.size() - 1));
    }

    private static long clusterMb(Row r, String name, java.util.function.ToLongFunction<ProcessGauges.Reading> f) {
        ProcessGauges.Reading p = r.cluster().get(name);
        return p == null || f.applyAsLong(p) < 0 ? -1 : mb(f.applyAsLong(p));
    }

    private static String nativeMb(ProcessGauges.Reading p) {
        return p.nativeCommittedBytes() < 0 ? "-" : Long.toString(mb(p.nativeCommittedBytes()));
    }

    private static ObjectNode clusterJson(ObjectMapper m, Map<String, ProcessGauges.Reading> cluster) {
        ObjectNode o = m.createObjectNode();
        cluster.forEach((name, p) -> o.putObject(name).put("rss_bytes", p.rssBytes()).put("threads", p.threads())
                .put("native_committed_bytes", p.nativeCommittedBytes()));
        return o;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    public static long mb(long bytes) {
        return bytes < 0 ? -1 : bytes / (1024 * 1024);
    }
}
