package io.framewise.pipeline.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.operators.decode.SharedData;
import io.framewise.pipeline.cli.FramewiseCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine;

/**
 * Runs {@code framewise job} as a user would, Kafka settings only in a properties file: a bounded run
 * over the backlog of one input topic.
 */
final class JobCli {

    /** Exit code, stdout, stderr, and how long the run took. */
    record Run(int exitCode, String out, String err, long millis) {
    }

    private JobCli() {
    }

    /** A shared video the backlog is cut from. */
    static String video() {
        return SharedData.root().resolve("videos").resolve("car-detection.mp4").toString();
    }

    /** Every frame sent became exactly one labeled event: as many events as frames, no sequence twice. */
    static void assertLabeledExactlyOnce(List<ConsumerRecord<String, byte[]>> events, long sent) throws IOException {
        assertEquals(sent, events.size(), "events under read_committed");
        ObjectMapper json = new ObjectMapper();
        Set<Integer> sequences = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : events) {
            JsonNode e = json.readTree(r.value());
            assertFalse(e.path("top").path(0).path("label").asText().isBlank(), e::toString);
            sequences.add(e.path("sequence").asInt());
        }
        assertEquals(sent, sequences.size(), "distinct frames labeled");
    }

    /** Writes Kafka client settings as a Java properties file (values as given: references stay references). */
    static Path propertiesFile(Path file, Map<String, String> settings) throws IOException {
        Properties p = new Properties();
        p.putAll(settings);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, "Kafka client properties for framewise job");
        }
        return file;
    }

    /** {@code framewise job --kafka-properties-file FILE} over topics in/out/dlq until the backlog is labeled. */
    static Run bounded(String bootstrap, Path properties, String in, String out, String dlq, String... extra) {
        List<String> a = new ArrayList<>(List.of("job", "--bootstrap", bootstrap,
                "--kafka-properties-file", properties.toString(),
                "--input-topic", in, "--output-topic", out, "--dlq-topic", dlq, "--group", "g-" + out,
                "--transactional-id-prefix", "tx-" + out, "--starting-offsets", "earliest", "--stop-at-latest",
                "--checkpoint-interval-ms", "500", "--restart-attempts", "1", "--restart-delay-ms", "500",
                "--web-port", "0", "--metrics-port", "-1"));
        a.addAll(List.of(extra));
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        CommandLine cl = FramewiseCli.commandLine();
        cl.setOut(new PrintWriter(stdout, true));
        cl.setErr(new PrintWriter(stderr, true));
        long t0 = System.nanoTime();
        int rc = cl.execute(a.toArray(String[]::new));
        return new Run(rc, stdout.toString(), stderr.toString(), (System.nanoTime() - t0) / 1_000_000);
    }
}
