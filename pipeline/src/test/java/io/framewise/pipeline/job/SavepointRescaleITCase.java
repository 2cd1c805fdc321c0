package io.framewise.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobOptions;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import io.framewise.pipeline.local.LocalFlink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upgrade path of docs/operations.md on a MiniCluster (1 TaskManager, 4 slots) and the embedded
 * broker: an unbounded job stopped with a savepoint and restored with other settings, three times,
 * parallelism 2 -> 1 -> 2 -> 2, batch size 8 -> 4 -> 8 -> 8. Across the whole run every frame has
 * exactly one committed event, each camera's events keep its frame order, and each camera's
 * sampling (inference interval 3) goes on where it stopped: frame k of a camera, counted over all
 * phases, is inferred exactly when k % 3 == 0, and a carried frame carries its camera's last inferred
 * result, also when that result was computed before the restore.
 *
 * <p>The first two stops come after every frame of their phase is committed, at a per-camera frame
 * count that is not a multiple of 3 (10, then 22): a restore that lost the decode state (the frame
 * counter) or the inference state (the last result, which must follow its camera on rescale) infers
 * the next frame, which the pattern check catches. The third stop comes while frames are in flight:
 * what the stop did not reach is read by the restored job.
 */
@Timeout(170)
class SavepointRescaleITCase {

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    /**
     * Four cameras on two input partitions. At parallelism 2 with 128 key groups, cam-a, cam-b and
     * cam-d go to subtask 0 and cam-c to subtask 1: a last-result state dealt out round-robin on the
     * rescale 1 -> 2 puts cam-d's on subtask 1 (checked: the test fails with such a state).
     */
    static final List<String> CAMERAS = List.of("cam-a", "cam-b", "cam-c", "cam-d");
    static final int INTERVAL = 3;

    @TempDir
    static Path dir;
    static LabeledVideo video;
    static LocalFlink flink;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void setUp() throws Exception {
        video = LabeledVideo.build(dir, 2, 12.5, 10);
        flink = LocalFlink.start(4, "0");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (flink != null) {
            flink.close();
        }
    }

    @Test
    void stopWithSavepointRescaleAndNewBatchSettingsKeepEveryFrameOnceAndTheSamplingState() throws Exception {
        JobRuns.Topics t = JobRuns.topics(KAFKA, 2);
        Map<String, String> base = JobRuns.bounded(KAFKA, t.in(), t.out(), t.dlq());
        base.put(JobOptions.STOP_AT_LATEST.key(), "false");
        base.put(JobOptions.INFERENCE_INTERVAL.key(), Integer.toString(INTERVAL));
        base.put(JobOptions.CHECKPOINT_INTERVAL_MS.key(), "300");
        long sent = 0;

        // phase 1: parallelism 2, batches of 8; stopped once all 10 frames per camera are committed
        JobID job = start(phase(base, 2, 8, 40, null));
        sent += produce(t.in(), 10);
        awaitCommitted(t.out(), sent);
        String savepoint1 = flink.stopWithSavepoint(job, dir.resolve("sp1").toUri().toString(), Duration.ofSeconds(60));
        Map<Integer, Long> phase2From = endOffsets(t.in());

        // phase 2: parallelism 1, batches of 4 whose timeout (60 s) never fires: partial batches leave at
        // checkpoint barriers only
        job = start(phase(base, 1, 4, 60_000, savepoint1));
        sent += produce(t.in(), 12);
        awaitCommitted(t.out(), sent);
        String savepoint2 = flink.stopWithSavepoint(job, dir.resolve("sp2").toUri().toString(), Duration.ofSeconds(60));
        Map<Integer, Long> phase2To = endOffsets(t.in());

        // phase 3: parallelism 2 again; stopped right after more frames were sent, with frames in flight
        job = start(phase(base, 2, 8, 40, savepoint2));
        sent += produce(t.in(), 9);
        awaitCommitted(t.out(), sent);
        sent += produce(t.in(), 12);
        String savepoint3 = flink.stopWithSavepoint(job, dir.resolve("sp3").toUri().toString(), Duration.ofSeconds(60));

        // phase 4: the rest, from the mid-stream savepoint
        job = start(phase(base, 2, 8, 40, savepoint3));
        List<ConsumerRecord<String, byte[]>> events = KAFKA.consume(t.out(), (int) sent, Duration.ofSeconds(3),
                Duration.ofSeconds(60));
        flink.cancel(job, Duration.ofSeconds(30));
        assertEquals(43L * CAMERAS.size(), sent);

        Map<String, String> cameraOfInput = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : KAFKA.consume(t.in(), (int) sent, Duration.ZERO, Duration.ofSeconds(10))) {
            cameraOfInput.put(r.partition() + "@" + r.offset(), r.key());
        }
        assertEquals(sent, cameraOfInput.size(), "input records");

        // exactly one event per frame, each pointing at an input record of its camera
        Set<String> ids = new HashSet<>();
        Map<String, List<JsonNode>> byCamera = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : events) {
            JsonNode e = json.readTree(r.value());
            String id = e.path("eventId").asText();
            assertTrue(ids.add(id), "duplicate event " + id);
            String camera = e.path("camera").asText();
            assertEquals(camera, cameraOfInput.get(e.path("partition").asInt() + "@" + e.path("offset").asLong()),
                    "provenance of " + id);
            byCamera.computeIfAbsent(camera, c -> new ArrayList<>()).add(e);
        }
        assertEquals(sent, ids.size(), "one event per frame");
        assertEquals(sent, events.size(), "events (read_committed)");

        for (String camera : CAMERAS) {
            List<JsonNode> es = byCamera.get(camera);
            assertEquals(43, es.size(), "events of " + camera);
            JsonNode lastInferred = null;
            for (int k = 0; k < es.size(); k++) {
                JsonNode e = es.get(k);
                String where = camera + " frame " + k + " (" + e.path("eventId").asText() + ")";
                // a camera's records share one input partition: offsets give its frame order
                assertTrue(k == 0 || e.path("offset").asLong() > es.get(k - 1).path("offset").asLong(),
                        "out of order: " + where);
                boolean inferred = e.path("inferred").asBoolean();
                assertEquals(k % INTERVAL == 0, inferred, "sampling pattern (interval " + INTERVAL + ") at " + where
                        + "; pattern: " + pattern(es));
                if (inferred) {
                    // each phase's producer starts the video over: its sequence numbers count from 0
                    assertEquals(video.expectedLabel((int) (e.path("sequence").asLong() % video.frames())), top1(e),
                            "label of " + where);
                    lastInferred = e;
                } else {
                    assertEquals(lastInferred.path("top"), e.path("top"), "carried result at " + where);
                    assertEquals(lastInferred.path("batchId"), e.path("batchId"), "carried batch at " + where);
                }
                // carried events repeat their result's batch size, which may come from phase 1
                if (inferred && inPhase2(e, phase2From, phase2To)) {
                    assertTrue(e.path("batchSize").asInt() <= 4, "phase 2 batch size at " + where);
                }
            }
        }
        assertEquals(0, KAFKA.consume(t.dlq(), 0, Duration.ZERO, Duration.ofSeconds(1)).size(), "dead letters");
    }

    private static Map<String, String> phase(Map<String, String> base, int parallelism, int batchSize, long timeoutMs,
                                             String savepoint) {
        Map<String, String> m = new LinkedHashMap<>(base);
        m.put(JobOptions.PARALLELISM.key(), Integer.toString(parallelism));
        m.put(JobOptions.BATCH_SIZE.key(), Integer.toString(batchSize));
        m.put(JobOptions.BATCH_TIMEOUT_MS.key(), Long.toString(timeoutMs));
        if (savepoint != null) {
            m.put(JobOptions.FROM_SAVEPOINT.key(), savepoint);
        }
        return m;
    }

    private static JobID start(Map<String, String> settings) throws Exception {
        JobConfig cfg = JobConfig.parse(settings);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(FramewiseJob.flinkConfiguration(cfg));
        FramewiseJob.build(env, cfg);
        JobID id = flink.submit(env.getStreamGraph());
        flink.awaitRunning(id, Duration.ofSeconds(60));
        return id;
    }

    /** {@code perCamera} more frames of each camera, continuing the video. */
    private static long produce(String topic, int perCamera) throws Exception {
        return JobRuns.produce(KAFKA, topic, video.file.toString(), "jpeg", CAMERAS, "--loop", "--limit",
                Integer.toString(perCamera));
    }

    private static void awaitCommitted(String topic, long count) {
        int got = KAFKA.consume(topic, (int) count, Duration.ZERO, Duration.ofSeconds(60)).size();
        assertTrue(got >= count, "committed events: " + got + " of " + count);
    }

    private static Map<Integer, Long> endOffsets(String topic) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KAFKA.consumerProperties(), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> ps = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return c.endOffsets(ps).entrySet().stream()
                    .collect(Collectors.toMap(en -> en.getKey().partition(), Map.Entry::getValue));
        }
    }

    private static boolean inPhase2(JsonNode e, Map<Integer, Long> from, Map<Integer, Long> to) {
        int p = e.path("partition").asInt();
        long o = e.path("offset").asLong();
        return o >= from.get(p) && o < to.get(p);
    }

    private static String top1(JsonNode e) {
        return e.path("top").path(0).path("label").asText();
    }

    private static String pattern(List<JsonNode> es) {
        StringBuilder b = new StringBuilder();
        for (JsonNode e : es) {
            b.append(e.path("inferred").asBoolean() ? 'I' : '.');
        }
        return b.toString();
    }
}
