package io.framewise.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.pipeline.cli.FramewiseCli;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import io.framewise.pipeline.local.LocalFlink;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code framewise job --remote}: submission through the REST client to a running cluster (a
 * MiniCluster here, whose REST endpoint is the same a standalone JobManager serves). The cluster
 * shares this JVM's class path, so the shipped jar can be empty.
 */
@Timeout(120)
class JobRemoteITCase {

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @TempDir
    static Path dir;

    @Test
    void jobRunsOnARemoteClusterThroughRest() throws Exception {
        LabeledVideo video = LabeledVideo.build(dir, 2, 12.5, 10);
        JobRuns.Topics topics = JobRuns.topics(KAFKA, 1);
        String in = topics.in();
        String out = topics.out();
        String dlq = topics.dlq();
        long sent = JobRuns.produce(KAFKA, in, video.file.toString(), "jpeg", List.of("cam-1"));
        Path jar = dir.resolve("empty.jar");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os, new Manifest())) {
            j.flush();
        }
        try (LocalFlink cluster = LocalFlink.start(2, "0")) {
            int port = cluster.webUrl().getPort();
            CommandLine cl = FramewiseCli.commandLine();
            StringWriter stdout = new StringWriter();
            StringWriter stderr = new StringWriter();
            cl.setOut(new PrintWriter(stdout));
            cl.setErr(new PrintWriter(stderr));
            int rc = cl.execute("job", "--remote", "localhost:" + port, "--jar", jar.toString(),
                    "--bootstrap", KAFKA.bootstrapServers(), "--input-topic", in, "--output-topic", out,
                    "--dlq-topic", dlq, "--starting-offsets", "earliest", "--stop-at-latest",
                    "--checkpoint-interval-ms", "500", "--restart-attempts", "0", "--transactional-id-prefix", "tx-" + in);
            assertEquals(0, rc, stderr::toString);
            assertTrue(stdout.toString().contains("submitted to localhost:" + port), stdout::toString);
        }
        assertEquals(sent, KAFKA.consume(out, (int) sent, Duration.ofSeconds(1), Duration.ofSeconds(20)).size());
    }

    @Test
    void remoteNeedsAJar() {
        CommandLine cl = FramewiseCli.commandLine();
        StringWriter stderr = new StringWriter();
        cl.setErr(new PrintWriter(stderr));
        assertEquals(2, cl.execute("job", "--remote", "localhost:8081"));
        assertTrue(stderr.toString().contains("--jar"), stderr::toString);
    }
}
