package io.framewise.pipeline.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.pipeline.cli.FramewiseCli;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code framewise loadtest --json} in-process, end to end: a capacity probe, two cameras at twice
 * the measured capacity for a few seconds, the drain, and books that balance with nothing duplicated.
 */
@Timeout(180)
class LoadtestCommandITCase {

    @Test
    void overloadDrainsAndEveryFrameComesOutOnce() throws Exception {
        CommandLine cl = FramewiseCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute("loadtest", "--cameras", "2", "--load", "2.0", "--seconds", "10", "--probe-frames", "400",
                "--clip-frames", "60", "--report-seconds", "2", "--json", "--checkpoint-interval-ms", "500");
        assertEquals(0, rc, err::toString);

        List<String> lines = out.toString().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "stdout holds only the summary: " + out);
        JsonNode s = new ObjectMapper().readTree(lines.get(0)).path("summary");
        long in = s.path("frames_in").asLong();
        assertTrue(in > 0, s::toString);
        assertEquals(in, s.path("events_out").asLong() + s.path("dead_letters").asLong(), s.toString());
        assertEquals(0, s.path("duplicates").asLong(), s.toString());
        assertEquals(0, s.path("lost").asLong(), s.toString());
        assertEquals(0, s.path("dead_letters").asLong(), "the shared videos decode: " + s);
        assertTrue(s.path("drained").asBoolean(), s.toString());

        // offered at twice the probe's capacity: the job falls behind, then catches up after the load
        double capacity = s.path("capacity_fps").asDouble();
        assertTrue(capacity > 0, s.toString());
        assertEquals(2 * capacity, s.path("offered_fps").asDouble(), 0.25 * 2 * capacity, s.toString());
        assertTrue(s.path("lag_max").asLong() > 0, s.toString());
        JsonNode timeline = s.path("timeline");
        assertTrue(timeline.size() >= 4, s.toString());
        JsonNode last = timeline.get(timeline.size() - 1);
        assertEquals(0, last.path("lag").asLong(), last.toString());
        assertTrue(timeline.findValuesAsText("phase").contains("drain"), "the lag needed a drain: " + timeline);

        for (String f : List.of("sustained_fps", "p50_ms", "p99_ms", "p999_ms", "heap_peak_used_bytes",
                "heap_max_bytes", "gc_count", "gc_ms", "drain_seconds", "xmx")) {
            assertTrue(s.has(f), "summary field " + f + ": " + s);
        }
        assertTrue(s.path("sustained_fps").asDouble() > 0, s.toString());
        assertTrue(s.path("p50_ms").asLong() <= s.path("p99_ms").asLong(), s.toString());
        assertTrue(s.path("p99_ms").asLong() <= s.path("p999_ms").asLong(), s.toString());
        assertTrue(s.path("heap_peak_used_bytes").asLong() > 0, s.toString());
        assertTrue(s.path("heap_peak_used_bytes").asLong() <= s.path("heap_max_bytes").asLong(), s.toString());
        for (String f : List.of("frames_in", "frames_out", "lag", "offered_fps", "out_fps", "p99_ms",
                "heap_used_bytes", "gc_count", "lag_by_camera")) {
            assertTrue(last.has(f), "timeline field " + f + ": " + last);
        }
        assertEquals(2, last.path("lag_by_camera").size(), last.toString());
    }

    @Test
    void aGivenKafkaGetsFreshTopicsAndTheBooksBalanceThere() throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka().start()) {
            CommandLine cl = FramewiseCli.commandLine();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            int rc = cl.execute("loadtest", "--bootstrap", kafka.bootstrapServers(), "--cameras", "2", "--fps", "15",
                    "--seconds", "5", "--clip-frames", "30", "--json", "--checkpoint-interval-ms", "500");
            assertEquals(0, rc, err::toString);
            JsonNode s = new ObjectMapper().readTree(out.toString().strip()).path("summary");
            assertTrue(s.path("bootstrap").asText().startsWith(kafka.bootstrapServers()), s.toString());
            long in = s.path("frames_in").asLong();
            assertTrue(in > 0, s.toString());
            assertEquals(in, s.path("events_out").asLong(), s.toString());
            assertEquals(0, s.path("duplicates").asLong(), s.toString());
            assertEquals(-1.0, s.path("capacity_fps").asDouble(), "--fps: no probe");

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()))) {
                Set<String> topics = admin.listTopics().names().get();
                String frames = topics.stream().filter(t -> t.startsWith("loadtest-") && t.endsWith("-frames"))
                        .findFirst().orElseThrow(() -> new AssertionError("no run topic in " + topics));
                String run = frames.substring(0, frames.length() - "-frames".length());
                assertTrue(topics.containsAll(List.of(run + "-labels", run + "-dlq")), topics.toString());
                assertEquals(2, admin.describeTopics(List.of(frames)).allTopicNames().get().get(frames)
                        .partitions().size(), "one partition per camera");
            }
        }
    }
}
