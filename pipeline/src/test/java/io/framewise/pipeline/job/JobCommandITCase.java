package io.framewise.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.pipeline.cli.FramewiseCli;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code framewise job} as a user runs it (in-process here): flags only, a local Flink, a real
 * broker; with {@code --stop-at-latest} it labels the backlog and exits 0. Also exercises
 * {@code --inference-interval}: skipped frames still get an event, marked not inferred.
 */
@Timeout(120)
class JobCommandITCase {

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @TempDir
    static Path dir;

    @Test
    void jobCommandLabelsTheBacklogAndExits() throws Exception {
        LabeledVideo video = LabeledVideo.build(dir, 3, 12.5, 10);
        JobRuns.Topics topics = JobRuns.topics(KAFKA, 1);
        String in = topics.in();
        String out = topics.out();
        String dlq = topics.dlq();
        long sent = JobRuns.produce(KAFKA, in, video.file.toString(), "jpeg", List.of("cam-1"));

        CommandLine cl = FramewiseCli.commandLine();
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        cl.setOut(new PrintWriter(stdout));
        cl.setErr(new PrintWriter(stderr));
        int rc = cl.execute("job", "--bootstrap", KAFKA.bootstrapServers(), "--input-topic", in, "--output-topic", out,
                "--dlq-topic", dlq, "--starting-offsets", "earliest", "--stop-at-latest", "--inference-interval", "3",
                "--top-k", "3", "--checkpoint-interval-ms", "500", "--restart-attempts", "0",
                "--transactional-id-prefix", "tx-" + in, "--web-port", "0");
        assertEquals(0, rc, stderr::toString);
        assertTrue(stdout.toString().contains("web UI: http://"), stdout::toString);
        assertTrue(stdout.toString().contains("FINISHED") || stdout.toString().contains("SUCCEEDED"), stdout::toString);

        List<ConsumerRecord<String, byte[]>> events = KAFKA.consume(out, (int) sent, Duration.ofSeconds(1),
                Duration.ofSeconds(20));
        assertEquals(sent, events.size());
        ObjectMapper json = new ObjectMapper();
        Set<String> ids = new HashSet<>();
        int inferred = 0;
        for (ConsumerRecord<String, byte[]> r : events) {
            var e = json.readTree(r.value());
            assertTrue(ids.add(e.path("eventId").asText()));
            assertEquals(3, e.path("top").size(), "--top-k 3");
            boolean ran = e.path("inferred").asBoolean();
            // every 3rd frame of the camera is inferred, starting with its first
            assertEquals(e.path("sequence").asLong() % 3 == 0, ran, "frame " + e.path("sequence"));
            inferred += ran ? 1 : 0;
        }
        assertEquals((sent + 2) / 3, inferred);
    }
}
