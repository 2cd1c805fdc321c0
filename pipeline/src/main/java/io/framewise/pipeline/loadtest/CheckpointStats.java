package io.framewise.pipeline.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The checkpoints of a load test as Flink's REST API reports them: {@code /jobs/<id>/checkpoints} (the
 * history: duration, sizes, type per checkpoint), its {@code details/<cid>} (the vertices) and
 * {@code details/<cid>/subtasks/<vertex>} (alignment and start delay, which only the per-vertex summary
 * holds). Read once after the load, so the figures are Flink's own and the probe adds no load while
 * the job runs; the local cluster keeps the whole history ({@code web.checkpoints.history}).
 */
public final class CheckpointStats {

    /**
     * One checkpoint; sizes in bytes, times in ms.
     *
     * @param alignmentMs   longest barrier alignment of any vertex (0 when unaligned from the start)
     * @param startDelayMs  longest time a barrier took to reach a vertex (the backlog ahead of it)
     * @param persistedBytes in-flight data stored with the checkpoint (unaligned only)
     */
    public record Checkpoint(long id, String status, String type, long triggerMs, long durationMs, long alignmentMs,
                             long startDelayMs, long checkpointedBytes, long stateBytes, long persistedBytes) {

        public boolean unaligned() {
            return type.startsWith("UNALIGNED");
        }

        boolean completed() {
            return status.equals("COMPLETED");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI web;
    private final String job;

    public CheckpointStats(URI web, String jobId) {
        this.web = web;
        this.job = jobId;
    }

    /** The checkpoints (not savepoints) triggered in [fromMs, toMs], completed or failed, oldest first. */
    public List<Checkpoint> between(long fromMs, long toMs) throws IOException, InterruptedException {
        List<Checkpoint> out = new ArrayList<>();
        for (JsonNode h : get("/jobs/" + job + "/checkpoints").path("history")) {
            long trigger = h.path("trigger_timestamp").asLong();
            String status = h.path("status").asText();
            if (h.path("is_savepoint").asBoolean() || trigger < fromMs || trigger > toMs
                    || status.equals("IN_PROGRESS")) {
                continue;
            }
            long id = h.path("id").asLong();
            long align = 0;
            long delay = 0;
            JsonNode details = get("/jobs/" + job + "/checkpoints/details/" + id);
            for (Iterator<String> v = details.path("tasks").fieldNames(); v.hasNext(); ) {
                JsonNode summary = get("/jobs/" + job + "/checkpoints/details/" + id + "/subtasks/" + v.next())
                        .path("summary");
                align = Math.max(align, summary.path("alignment").path("duration").path("max").asLong());
                delay = Math.max(delay, summary.path("start_delay").path("max").asLong());
            }
            out.add(new Checkpoint(id, status, h.path("checkpoint_type").asText(), trigger,
                    h.path("end_to_end_duration").asLong(), align, delay, h.path("checkpointed_size").asLong(),
                    h.path("state_size").asLong(), h.path("persisted_data").asLong()));
        }
        out.sort((a, b) -> Long.compare(a.id(), b.id()));
        return out;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(web.resolve(path)).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Max and median duration, max alignment and size, over the completed checkpoints. */
    public record Totals(int completed, int failed, long maxDurationMs, long p50DurationMs, long maxAlignmentMs,
                         long maxStartDelayMs, long maxCheckpointedBytes, long maxPersistedBytes) {

        public static Totals of(List<Checkpoint> cps) {
            List<Checkpoint> ok = cps.stream().filter(Checkpoint::completed).toList();
            long[] d = ok.stream().mapToLong(Checkpoint::durationMs).sorted().toArray();
            return new Totals(ok.size(), cps.size() - ok.size(), d.length == 0 ? -1 : d[d.length - 1],
                    d.length == 0 ? -1 : d[(d.length - 1) / 2],
                    ok.stream().mapToLong(Checkpoint::alignmentMs).max().orElse(-1),
                    ok.stream().mapToLong(Checkpoint::startDelayMs).max().orElse(-1),
                    ok.stream().mapToLong(Checkpoint::checkpointedBytes).max().orElse(-1),
                    ok.stream().mapToLong(Checkpoint::persistedBytes).max().orElse(-1));
        }
    }

    /** The summary line and one table row per checkpoint. */
    public static void printText(PrintWriter out, String mode, List<Checkpoint> cps) {
        Totals t = Totals.of(cps);
        out.printf(Locale.ROOT, "  checkpoints    %s: %d completed, %d failed during the load; duration max %d ms,"
                        + " p50 %d ms; alignment max %d ms; barrier start delay max %d ms; size max %d KB,"
                        + " in-flight data max %d KB%n", mode, t.completed(), t.failed(), t.maxDurationMs(),
                t.p50DurationMs(), t.maxAlignmentMs(), t.maxStartDelayMs(), kb(t.maxCheckpointedBytes()),
                kb(t.maxPersistedBytes()));
        if (cps.isEmpty()) {
            return;
        }
        out.println();
        out.println("  | checkpoint | status | duration ms | alignment ms | start delay ms | checkpointed KB"
                + " | in-flight (persisted) KB |");
        out.println("  |---|---|---|---|---|---|---|");
        for (Checkpoint c : cps) {
            out.printf(Locale.ROOT, "  | %d | %s | %d | %s | %d | %d | %d |%n", c.id(), c.status().toLowerCase(Locale.ROOT),
                    c.durationMs(), c.unaligned() ? "unaligned" : Long.toString(c.alignmentMs()), c.startDelayMs(),
                    kb(c.checkpointedBytes()), kb(c.persistedBytes()));
        }
    }

    public static void putJson(ObjectNode b, String mode, List<Checkpoint> cps) {
        Totals t = Totals.of(cps);
        ObjectNode s = b.putObject("checkpoints");
        s.put("mode", mode);
        s.put("completed", t.completed());
        s.put("failed", t.failed());
        s.put("max_duration_ms", t.maxDurationMs());
        s.put("p50_duration_ms", t.p50DurationMs());
        s.put("max_alignment_ms", t.maxAlignmentMs());
        s.put("max_start_delay_ms", t.maxStartDelayMs());
        s.put("max_checkpointed_bytes", t.maxCheckpointedBytes());
        s.put("max_persisted_bytes", t.maxPersistedBytes());
        ArrayNode a = s.putArray("history");
        for (Checkpoint c : cps) {
            a.addObject().put("id", c.id()).put("status", c.status()).put("type", c.type())
                    .put("trigger_timestamp", c.triggerMs()).put("duration_ms", c.durationMs())
                    .put("alignment_ms", c.alignmentMs()).put("unaligned", c.unaligned())
                    .put("start_delay_ms", c.startDelayMs()).put("checkpointed_bytes", c.checkpointedBytes())
                    .put("state_bytes", c.stateBytes()).put("persisted_bytes", c.persistedBytes());
        }
    }

    private static long kb(long bytes) {
        return bytes < 0 ? -1 : (bytes + 1023) / 1024;
    }
}
