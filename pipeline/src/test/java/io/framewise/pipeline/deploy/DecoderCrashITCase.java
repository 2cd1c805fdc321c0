package io.framewise.pipeline.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.inference.exec.SharedModels;
import io.framewise.operators.isolate.TestFaults;
import io.framewise.operators.kafka.DeadLetterSerialization;
import io.framewise.pipeline.chaos.PoisonRecord;
import io.framewise.pipeline.cli.SourceProducer;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decoder isolation on a cluster of processes (docs/decoder-isolation.md): one record of the input
 * carries the test fault {@code crash}, so decoding it makes the TaskManager that runs the job die of a
 * real SIGSEGV. The JobManager restarts the job on the other TaskManager process; the replayed record
 * is recognised by its quarantine marker and becomes exactly one {@code DECODER_CRASH} dead letter, and
 * every frame of the shared video sent around it is exactly one event (read_committed). A second record
 * asks for {@code spin} (a busy loop that ignores interrupts): it is one {@code DECODE_TIMEOUT} dead letter
 * after {@code --decode-timeout-ms} and the frames after it still decode.
 *
 * <p>Needs {@code target/framewise-job.jar} ({@code package}, before failsafe).
 */
@Timeout(600)
class DecoderCrashITCase {

    static final int FRAMES = 30;

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @TempDir
    static Path dir;

    final ObjectMapper json = new ObjectMapper();

    @Test
    void aRecordThatCrashesTheTaskManagerIsOneDeadLetterAndEveryOtherFrameOneEvent() throws Exception {
        assertTrue(Files.isRegularFile(JobJarSubmissionITCase.JOB_JAR), "run `mvn verify`: the job jar is built in package");
        String in = EmbeddedKafka.uniqueTopic("frames");
        String out = EmbeddedKafka.uniqueTopic("labels");
        String dlq = EmbeddedKafka.uniqueTopic("dlq");
        for (String t : List.of(in, out, dlq)) {
            KAFKA.createTopic(t, 1);
        }
        String video = SharedModels.dataDir().orElseThrow().resolve("videos/car-detection.mp4").toString();
        // cam-1's frames, the crash record, the spin record, cam-3's frames: work before and after, one partition
        assertEquals(FRAMES, send(video, in, "cam-1"));
        long crashOffset = sendFaultRecord(in, "cam-2", TestFaults.CRASH);
        long spinOffset = sendFaultRecord(in, "cam-4", TestFaults.SPIN);
        assertEquals(FRAMES, send(video, in, "cam-3"));

        Path quarantine = dir.resolve("quarantine");
        try (StandaloneFlinkProcesses cluster = StandaloneFlinkProcesses.start(dir.resolve("cluster"), 2,
                List.of("-D" + TestFaults.PROPERTY + "=true"), Duration.ofMinutes(3))) {
            FlinkRest rest = cluster.rest();
            String jar = rest.uploadJar(JobJarSubmissionITCase.JOB_JAR);
            String job = rest.runJar(jar, List.of("--bootstrap", KAFKA.bootstrapServers(),
                    "--input-topic", in, "--output-topic", out, "--dlq-topic", dlq,
                    "--group", "g-" + in, "--transactional-id-prefix", "tx-" + in,
                    "--starting-offsets", "earliest", "--checkpoint-interval-ms", "500",
                    "--restart-attempts", "3", "--restart-delay-ms", "1000", "--parallelism", "1",
                    "--decode-quarantine-dir", quarantine.toString(), "--decode-timeout-ms", "5000", "--job-name", "framewise-decoder-crash"));

            Process crashed = awaitCrash(cluster, job);
            assertEquals(134, crashed.exitValue(), "SIGABRT after the JVM's fatal error handler (SIGSEGV)");
            assertTrue(Files.exists(cluster.logs().resolve("hs_err_pid" + crashed.pid() + ".log")),
                    "the JVM's fatal error report");

            // the restarted job on the other TaskManager: every frame once, the crash record once
            Drained d = new Drained();
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (d.events.size() < 2 * FRAMES || d.dead.size() < 2) {
                d.drain(out, dlq);
                checkRunning(cluster, job, d);
                if (System.nanoTime() > deadline) {
                    fail("after 5 min: " + d + "\n" + cluster.logTails());
                }
            }
            // two more checkpoints: duplicates (a replay committed twice) would be committed by then
            long cps = rest.completedCheckpoints(job);
            while (rest.completedCheckpoints(job) < cps + 2) {
                checkRunning(cluster, job, d);
                Thread.sleep(100);
            }
            d.drain(out, dlq);

            Map<String, Set<Long>> perCamera = new TreeMap<>();
            Set<String> ids = new TreeSet<>();
            for (JsonNode e : d.events) {
                ids.add(e.path("eventId").asText());
                perCamera.computeIfAbsent(e.path("camera").asText(), k -> new TreeSet<>()).add(e.path("sequence").asLong());
            }
            assertEquals(2 * FRAMES, d.events.size(), "events: " + d);
            assertEquals(2 * FRAMES, ids.size(), "distinct event ids");
            assertEquals(Set.of("cam-1", "cam-3"), perCamera.keySet());
            perCamera.forEach((cam, seqs) -> assertEquals(FRAMES, seqs.size(), cam + " frames"));

            assertEquals(2, d.dead.size(), "dead letters: " + d);
            Map<String, String> reasons = new TreeMap<>();
            for (ConsumerRecord<String, byte[]> dead : d.dead) {
                reasons.put(header(dead, DeadLetterSerialization.SOURCE_HEADER),
                        dead.key() + " " + header(dead, DeadLetterSerialization.REASON_HEADER));
            }
            assertEquals(Map.of(in + "/0/" + crashOffset, "cam-2 DECODER_CRASH", in + "/0/" + spinOffset,
                    "cam-4 DECODE_TIMEOUT"), reasons);

            assertEquals("RUNNING", rest.jobState(job));
            assertEquals(1, cluster.taskManagers().stream().filter(Process::isAlive).count(), "the other TaskManager runs it");
            // the dead TaskManager's marker was acted on and deleted; the live one's names no record (idle)
            try (Stream<Path> left = Files.walk(quarantine)) {
                List<Path> markers = left.filter(p -> p.toString().endsWith(".decoding")).toList();
                for (Path m : markers) {
                    assertTrue(!m.getFileName().toString().startsWith(crashed.pid() + "-"), "left: " + m);
                    List<String> lines = Files.readAllLines(m);
                    assertTrue(lines.size() < 2 || lines.get(1).isEmpty(), m + ": " + lines);
                }
            }
            System.out.printf("decoder crash: TaskManager pid %d died (exit %d), %d events, %d dead letters, %d checkpoints%n",
                    crashed.pid(), crashed.exitValue(), d.events.size(), d.dead.size(), rest.completedCheckpoints(job));
            rest.cancel(job, Duration.ofSeconds(60));
        }
    }

    /** Waits until one TaskManager process is gone (the crash), failing if the job fails first. */
    private Process awaitCrash(StandaloneFlinkProcesses cluster, String job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (true) {
            for (Process p : cluster.taskManagers()) {
                if (!p.isAlive()) {
                    return p;
                }
            }
            String state = cluster.rest().jobState(job);
            if (Set.of("FAILED", "CANCELED", "FINISHED").contains(state) || System.nanoTime() > deadline) {
                fail("job " + state + ", no TaskManager died: " + cluster.rest().rootException(job) + "\n"
                        + cluster.logTails());
            }
            Thread.sleep(200);
        }
    }

    private static void checkRunning(StandaloneFlinkProcesses cluster, String job, Drained d) throws Exception {
        String state = cluster.rest().jobState(job);
        if (Set.of("FAILED", "CANCELED", "FINISHED").contains(state)) {
            fail("job " + state + " with " + d + ": " + cluster.rest().rootException(job) + "\n" + cluster.logTails());
        }
    }

    /** Everything committed on the two topics so far, read to their last stable offsets. */
    private final class Drained {
        final List<JsonNode> events = new ArrayList<>();
        final List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
        private KafkaConsumer<String, byte[]> consumer;

        void drain(String out, String dlq) throws Exception {
            if (consumer == null) {
                consumer = new KafkaConsumer<>(KAFKA.consumerProperties(), new StringDeserializer(),
                        new ByteArrayDeserializer());
                consumer.assign(List.of(new TopicPartition(out, 0), new TopicPartition(dlq, 0)));
                consumer.seekToBeginning(consumer.assignment());
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment()); // read_committed: the LSO
            do {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(out)) {
                        events.add(json.readTree(r.value()));
                    } else {
                        dead.add(r);
                    }
                }
            } while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue()));
        }

        @Override
        public String toString() {
            return events.size() + " events, " + dead.size() + " dead letters";
        }
    }

    private static long send(String video, String topic, String camera) throws Exception {
        return new SourceProducer(SourceProducer.args(video, KAFKA.bootstrapServers(), topic, camera, "jpeg", 4 << 20,
                Map.of(), "--limit", Integer.toString(FRAMES))).run().frames();
    }

    /** A valid JPEG frame record of {@code camera} that asks for a test fault; returns its offset. */
    private static long sendFaultRecord(String topic, String camera, String fault) throws Exception {
        return PoisonRecord.send(KAFKA.bootstrapServers(), topic, camera, 0, fault);
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
