package io.framewise.pipeline.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.pipeline.cli.FramewiseCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code framewise demo --json} in-process with its defaults (segmentation of the two shared person
 * videos, the model run at most 5 times a second per camera): a few seconds, a summary that adds up.
 */
@Timeout(240)
class DemoCommandITCase {

    @Test
    void demoEndsWithASummaryWhoseCountsAddUp() throws Exception {
        CommandLine cl = FramewiseCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute("demo", "--seconds", "5", "--json", "--cameras", "3", "--checkpoint-interval-ms", "500");
        assertEquals(0, rc, err::toString);

        List<String> lines = out.toString().lines().filter(l -> !l.isBlank()).toList();
        ObjectMapper json = new ObjectMapper();
        JsonNode summary = json.readTree(lines.get(lines.size() - 1)).path("summary");
        assertTrue(summary.isObject(), "last line is the summary: " + lines.get(lines.size() - 1));
        long framesIn = summary.path("frames_in").asLong();
        long eventsOut = summary.path("events_out").asLong();
        assertTrue(framesIn > 0, "frames were sent");
        assertEquals(framesIn, eventsOut + summary.path("dead_letters").asLong(), summary.toString());
        assertEquals(0, summary.path("dead_letters").asLong(), "the shared videos decode");
        assertEquals(0, summary.path("duplicates").asLong());
        assertTrue(summary.path("frames_per_second").asDouble() > 0);
        assertTrue(summary.path("p50_ms").asLong() <= summary.path("p99_ms").asLong());
        assertEquals(3, summary.path("top_labels").size(), "three cameras");

        // every other line is one distinct event, or an episode record
        Set<String> ids = new HashSet<>();
        long opened = 0;
        for (String l : lines.subList(0, lines.size() - 1)) {
            JsonNode n = json.readTree(l);
            if ("episode".equals(n.path("type").asText())) {
                opened += "open".equals(n.path("kind").asText()) ? 1 : 0;
                continue;
            }
            assertTrue(ids.add(n.path("eventId").asText()), "duplicate line " + l);
            assertEquals("segmentation", n.path("task").asText(), l);
        }
        assertEquals(eventsOut, ids.size());
        long inferred = summary.path("frames_inferred").asLong();
        assertTrue(inferred > 0 && inferred < eventsOut, "sampled at 5 fps per camera: " + summary);
        assertTrue(err.toString().contains("worker-zone-detection.mp4"), err::toString);
        assertTrue(summary.path("top_labels").path("cam-1").has("person"), "the worker: " + summary);
        assertTrue(opened <= summary.path("episodes").asLong(), summary.toString());
        assertTrue(err.toString().contains("Flink web UI: http://"), err::toString);
        // --json: the metrics block read back from the Prometheus reporter goes to stderr, and agrees
        assertTrue(err.toString().contains("Prometheus metrics: http://"), err::toString);
        var framesInLine = java.util.regex.Pattern.compile("(?m)^  frames in +(\\d+) \\(records read\\)").matcher(err.toString());
        assertTrue(framesInLine.find(), err::toString);
        assertEquals(framesIn, Long.parseLong(framesInLine.group(1)), "metrics frames in vs summary");
    }
}
