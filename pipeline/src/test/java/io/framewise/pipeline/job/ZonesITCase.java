package io.framewise.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobOptions;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import io.framewise.pipeline.local.LocalFlink;
import io.framewise.pipeline.local.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zones through the real job (MiniCluster, embedded broker, the classification model): a zone sent to
 * the camera-config topic while the job runs takes effect without a restart. A camera sends a photo for
 * 3 s (a plain episode opens, no zone), pauses (its partition goes idle), a zone configuration arrives
 * and then a bad one (a dead letter), and the camera sends again: the new episode comes twice, plain and
 * in the zone that covers most of the picture, not in the small one (a classification observation has
 * no box: it is the whole picture, docs/zones.md).
 */
@Timeout(180)
class ZonesITCase {

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    static final int FPS = 5;
    static final long GAP_MS = 1000;
    static final long IDLENESS_MS = 1000;
    static final String CAMERA = "cam-z";
    /** 60 % of the picture: a box-less observation is in it at the default min-overlap 0.5. */
    static final String ZONES = "{\"zones\":[{\"name\":\"upper\",\"polygon\":[[0,0],[1,0],[1,0.6],[0,0.6]]},"
            + "{\"name\":\"door\",\"polygon\":[[0.1,0.1],[0.3,0.1],[0.3,0.3],[0.1,0.3]]}]}";

    @TempDir
    static Path dir;
    static LabeledVideo video;
    static LocalFlink flink;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void setUp() throws Exception {
        video = LabeledVideo.build(dir, List.of("parrot.jpg", "parrot.jpg", "parrot.jpg"), FPS, FPS, FPS);
        flink = LocalFlink.start(2, "0");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (flink != null) {
            flink.close();
        }
    }

    @Test
    void aZoneAddedThroughCameraConfigWhileRunningTakesEffectWithoutARestart() throws Exception {
        JobRuns.Topics t = JobRuns.topics(KAFKA, 1);
        String episodes = EmbeddedKafka.uniqueTopic("episodes");
        KAFKA.createTopic(episodes, 1);
        String config = EmbeddedKafka.uniqueTopic("camera-config");
        KAFKA.createTopic(config, 1, Topics.COMPACTED);
        Map<String, String> m = JobRuns.bounded(KAFKA, t.in(), t.out(), t.dlq());
        m.remove(JobOptions.STOP_AT_LATEST.key()); // runs until cancelled
        m.put(JobOptions.PARALLELISM.key(), "1");
        m.put(JobOptions.EPISODES_TOPIC.key(), episodes);
        m.put(JobOptions.CAMERA_STATUS_TOPIC.key(), EmbeddedKafka.uniqueTopic("status"));
        m.put(JobOptions.CAMERA_CONFIG_TOPIC.key(), config);
        m.put(JobOptions.EPISODE_MIN_FRAMES.key(), "3");
        m.put(JobOptions.EPISODE_GAP_MS.key(), Long.toString(GAP_MS));
        m.put(JobOptions.WATERMARK_IDLENESS_MS.key(), Long.toString(IDLENESS_MS));
        String label = video.top1.get(0);
        // RESTART_ATTEMPTS is 0: any failure ends the job, and nothing after it would be written
        JobID id = JobRuns.submit(flink, JobConfig.parse(m));
        try {
            long sent = JobRuns.produce(KAFKA, t.in(), video.file.toString(), "jpeg", List.of(CAMERA));
            long sentAt = System.currentTimeMillis();
            List<ConsumerRecord<String, byte[]>> first = KAFKA.consume(episodes, 1, Duration.ZERO, Duration.ofSeconds(90));
            assertEquals(1, first.size(), "the plain episode opened");
            JsonNode open1 = json.readTree(first.get(0).value());
            assertEquals("open " + label + " -", line(open1));

            // the producer stamps a frame (fw-ts) with the time it started plus the frame's position in the
            // video, so every capture time of the first part is at most sentAt + the video's length. The pause
            // lasts until the clock is past that plus the gap (the next frames start a new episode, and the
            // configuration's timestamp is after every frame of the first part) and past twice the idleness
            // (the frames partition is idle meanwhile)
            long last = 0;
            for (ConsumerRecord<String, byte[]> r : KAFKA.consume(t.out(), (int) sent, Duration.ZERO, Duration.ofSeconds(60))) {
                last = Math.max(last, json.readTree(r.value()).path("ptsMs").asLong());
            }
            long bound = sentAt + video.frames() * 1000L / FPS;
            assertTrue(last > 0 && last <= bound, "capture times of the first part up to " + last + " <= " + bound);
            long pauseUntil = Math.max(bound + GAP_MS, sentAt + 2 * IDLENESS_MS);
            while (System.currentTimeMillis() <= pauseUntil) {
                Thread.sleep(20);
            }
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                p.send(new ProducerRecord<>(config, CAMERA, ZONES.getBytes(StandardCharsets.UTF_8))).get();
                p.send(new ProducerRecord<>(config, CAMERA, "{\"zones\": 5}".getBytes(StandardCharsets.UTF_8))).get();
            }
            // the bad record's dead letter is visible once a checkpoint taken after it completed; the good
            // record was ahead of it on the same stream, so by then the episode operator holds the zones
            List<ConsumerRecord<String, byte[]>> dead = KAFKA.consume(t.dlq(), 1, Duration.ZERO, Duration.ofSeconds(60));
            assertEquals(1, dead.size(), "the bad configuration is a dead letter");
            assertEquals("BAD_CAMERA_CONFIG", FramewiseJobITCase.header(dead.get(0), "fw-dlq-reason"));
            assertTrue(FramewiseJobITCase.header(dead.get(0), "fw-dlq-message").contains("\"zones\" must be an array"),
                    FramewiseJobITCase.header(dead.get(0), "fw-dlq-message"));

            long sent2 = JobRuns.produce(KAFKA, t.in(), video.file.toString(), "jpeg", List.of(CAMERA));
            List<String> got = new ArrayList<>();
            long start2 = -1;
            for (ConsumerRecord<String, byte[]> r : KAFKA.consume(episodes, 4, Duration.ofSeconds(3), Duration.ofSeconds(90))) {
                JsonNode e = json.readTree(r.value());
                assertEquals(CAMERA, r.key());
                got.add(line(e));
                if (e.has("zone")) {
                    start2 = e.path("startMs").asLong();
                    assertEquals(CAMERA + "/" + label + "@upper/" + start2, e.path("episodeId").asText());
                }
            }
            // the first episode closes as the new frames move event time past its gap; the new one opens
            // twice: the picture, and the zone "upper" (60 % of it), not "door" (4 %)
            long phase1Last = last;
            List<Long> pts2 = KAFKA.consume(t.out(), (int) (sent + sent2), Duration.ZERO, Duration.ofSeconds(30)).stream()
                    .map(this::pts).filter(p -> p > phase1Last).sorted().toList();
            assertEquals(List.of("open " + label + " -", "close " + label + " -", "open " + label + " -",
                    "open " + label + " upper"), got, () -> "phase 1 ended at " + phase1Last + ", pause until "
                    + pauseUntil + ", phase 2 labels at " + pts2);
            assertTrue(start2 > last + GAP_MS, "the zone episode starts with the second part: " + start2);
        } finally {
            flink.cancel(id, Duration.ofSeconds(30));
        }
    }

    long pts(ConsumerRecord<String, byte[]> labeled) {
        try {
            return json.readTree(labeled.value()).path("ptsMs").asLong();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String line(JsonNode e) {
        return e.path("kind").asText() + " " + e.path("class").asText() + " " + e.path("zone").asText("-");
    }
}
