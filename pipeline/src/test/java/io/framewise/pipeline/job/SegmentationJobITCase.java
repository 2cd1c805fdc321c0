package io.framewise.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.operators.decode.SharedData;
import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobOptions;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import io.framewise.pipeline.local.LocalFlink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job segments when its model does: {@code worker-zone-detection.mp4} as JPEG records and
 * {@code person-bicycle-car-detection.mp4} as H.264 segment records, two cameras on the real job
 * (MiniCluster, embedded broker) with the DeepLabV3 model. One segmentation event per frame, exactly
 * once; the classes covering at least 1 % agree with TFLite's reference on most frames; every
 * worker-clip frame where TFLite finds the person at 1 % or more has a person in its event; the worker
 * is a person episode on the episodes topic, measured by area, and exactly one zone episode with a
 * walkway zone from the zones file.
 */
@Timeout(300)
class SegmentationJobITCase {

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    static final String MODEL = "deeplabv3_mnv2_pascal_quant.tflite";
    static final String WORKER = "worker-zone-detection";
    static final String STREET = "person-bicycle-car-detection";

    static LocalFlink flink;
    @TempDir
    static Path dir;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void setUp() throws Exception {
        flink = LocalFlink.start(2, "0");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (flink != null) {
            flink.close();
        }
    }

    @Test
    void twoCamerasGetSegmentationEventsExactlyOnceThatAgreeWithTflite() throws Exception {
        JobRuns.Topics t = JobRuns.topics(KAFKA, 2);
        String episodes = EmbeddedKafka.uniqueTopic("episodes");
        KAFKA.createTopic(episodes, 2);
        long worker = JobRuns.produce(KAFKA, t.in(), SharedData.video(WORKER + ".mp4").toString(), "jpeg",
                List.of("cam-worker"));
        long street = JobRuns.produce(KAFKA, t.in(), SharedData.video(STREET + ".mp4").toString(), "segment",
                List.of("cam-street"));
        assertEquals(71, worker);
        assertEquals(41, street);
        Map<String, String> m = JobRuns.bounded(KAFKA, t.in(), t.out(), t.dlq());
        m.put(JobOptions.MODEL.key(), MODEL);
        m.put(JobOptions.EPISODES_TOPIC.key(), episodes);
        m.put(JobOptions.CAMERA_STATUS_TOPIC.key(), EmbeddedKafka.uniqueTopic("status"));
        // the walkway the worker walks along in the second half of the clip (left third, lower two thirds)
        Path zones = dir.resolve("zones.json");
        Files.writeString(zones, "{\"cam-worker\": {\"zones\": [{\"name\": \"walkway\", "
                + "\"polygon\": [[0.15, 0.25], [0.45, 0.25], [0.45, 1.0], [0.15, 1.0]]}]}}");
        m.put(JobOptions.EPISODE_ZONES_FILE.key(), zones.toString());
        JobRuns.run(flink, JobConfig.parse(m), UnaryOperator.identity(), Duration.ofSeconds(240));

        int sent = (int) (worker + street);
        List<ConsumerRecord<String, byte[]>> records = KAFKA.consume(t.out(), sent, Duration.ofSeconds(1),
                Duration.ofSeconds(30));
        assertEquals(sent, records.size(), "one event per frame");
        assertEquals(0, KAFKA.consume(t.dlq(), 1, Duration.ofSeconds(1), Duration.ofSeconds(2)).size(),
                "no dead letters");
        Set<String> ids = new HashSet<>();
        Map<String, List<JsonNode>> byCamera = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            JsonNode e = json.readTree(r.value());
            assertTrue(ids.add(e.path("eventId").asText()), "duplicate " + e.path("eventId"));
            assertEquals("segmentation", e.path("task").asText());
            assertEquals(MODEL, e.path("model").asText());
            assertEquals(0, e.path("top").size());
            assertEquals(64, e.path("mapSha256").asText().length());
            byCamera.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(e);
        }
        Map<String, JsonNode> reference = reference();
        int frames = 0;
        int agreeing = 0;
        List<String> differing = new ArrayList<>();
        for (var c : Map.of("cam-worker", WORKER, "cam-street", STREET).entrySet()) {
            List<JsonNode> events = byCamera.get(c.getKey());
            // frame order: record sequence, then position in the record (capture times of segments sent faster
            // than real time may overlap)
            events.sort(Comparator.comparingLong((JsonNode e) -> e.path("sequence").asLong())
                    .thenComparingInt(e -> e.path("indexInSegment").asInt()));
            for (int i = 0; i < events.size(); i++) {
                JsonNode e = events.get(i);
                JsonNode ref = reference.get(String.format("%s-%04d.png", c.getValue(), i));
                assertTrue(e.path("classes").path("person").isMissingNode() || e.path("classes").path("person")
                        .path("box").size() == 4);
                frames++;
                if (classesAtLeast(e.path("classes"), 0.01).equals(classesAtLeast(ref.path("classes"), 0.01))) {
                    agreeing++;
                } else {
                    differing.add(c.getKey() + "#" + i + " " + fractions(e.path("classes")) + " vs TFLite "
                            + fractions(ref.path("classes")));
                }
                if (c.getValue().equals(WORKER) && ref.path("classes").path("person").path("fraction").asDouble() >= 0.01) {
                    assertTrue(e.path("classes").has("person"), "frame " + i + " of the worker clip: " + e.path("classes"));
                }
            }
        }
        // Both record kinds are lossy re-encodes of the clips (JPEG; H.264 re-encoded because the clips'
        // keyframes do not fall on 2 s cuts), so a class near the 1 % line falls either side more often than
        // on the original frames (there, decoded by the same decoder, every class map is TFLite's bit for bit:
        // DecodedVideoSegmentationITCase). Measured here: see the line printed below.
        System.out.println(agreeing + " of " + frames + " lossy frames have TFLite's classes >= 1 %: " + differing);
        assertTrue(agreeing >= frames * 85 / 100, agreeing + " of " + frames + " frames have TFLite's classes >= 1 %: " + differing);

        List<String> personEpisodes = new ArrayList<>();
        List<String> walkway = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : KAFKA.consume(episodes, 4, Duration.ofSeconds(2), Duration.ofSeconds(20))) {
            JsonNode e = json.readTree(r.value());
            if (r.key().equals("cam-worker") && e.path("class").asText().equals("person")) {
                if (e.path("zone").isTextual()) {
                    walkway.add(e.path("kind").asText() + " " + e.path("zone").asText());
                } else {
                    personEpisodes.add(e.path("kind").asText() + " " + e.path("measure").asText());
                }
            }
        }
        assertTrue(personEpisodes.contains("open area") && personEpisodes.contains("close area"),
                "the worker is a person episode measured by area: " + personEpisodes);
        assertEquals(List.of("open walkway", "close walkway"), walkway,
                "one zone episode: the worker on the walkway");
    }

    private static Set<String> classesAtLeast(JsonNode classes, double fraction) {
        Set<String> s = new TreeSet<>();
        classes.fields().forEachRemaining(m -> {
            if (m.getValue().path("fraction").asDouble() >= fraction) {
                s.add(m.getKey());
            }
        });
        return s;
    }

    private static Map<String, Double> fractions(JsonNode classes) {
        Map<String, Double> m = new TreeMap<>();
        classes.fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue().path("fraction").asDouble()));
        return m;
    }

    private static Map<String, JsonNode> reference() throws Exception {
        Map<String, JsonNode> m = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(SharedData.root().resolve("reference/segment/tflite-"
                + MODEL.replace(".tflite", ".jsonl")))) {
            JsonNode o = json.readTree(line);
            m.put(o.path("image").asText(), o);
        }
        return m;
    }
}
