package io.framewise.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobOptions;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import io.framewise.pipeline.local.LocalFlink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Episodes and camera status from the real job (MiniCluster, embedded broker): a video made of shared
 * photos (A for 3 s, B for 2 s, A for 3 s at 5 fps) gives exactly its three episodes, with the change
 * gate on; a quiet camera's episode closes on the time of another camera's partition (idleness); a
 * camera that pauses is reported STALLED, then RESUMED.
 */
@Timeout(120)
class EventsITCase {

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    static final String A = "parrot.jpg";
    static final String B = "grace_hopper.bmp";
    static final int FPS = 5;

    @TempDir
    static Path dir;
    static LabeledVideo video;
    static LocalFlink flink;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void setUp() throws Exception {
        video = LabeledVideo.build(dir, List.of(A, A, A, B, B, A, A, A), FPS, FPS, FPS);
        flink = LocalFlink.start(2, "0");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (flink != null) {
            flink.close();
        }
    }

    @Test
    void aVideoOfPhotosGivesExactlyItsEpisodes() throws Exception {
        String a = video.top1.get(0);
        String b = video.top1.get(3);
        assertTrue(!a.equals(b), "photos with different top-1: " + a + ", " + b);
        JobRuns.Topics t = JobRuns.topics(KAFKA, 1);
        String episodes = EmbeddedKafka.uniqueTopic("episodes");
        KAFKA.createTopic(episodes, 1);
        long sent = JobRuns.produce(KAFKA, t.in(), video.file.toString(), "jpeg", List.of("cam-e"));
        assertEquals(video.frames(), sent);
        Map<String, String> m = JobRuns.bounded(KAFKA, t.in(), t.out(), t.dlq());
        m.put(JobOptions.EPISODES_TOPIC.key(), episodes);
        m.put(JobOptions.CAMERA_STATUS_TOPIC.key(), EmbeddedKafka.uniqueTopic("status"));
        m.put(JobOptions.EPISODE_MIN_FRAMES.key(), "3");
        m.put(JobOptions.EPISODE_GAP_MS.key(), "1000");
        m.put(JobOptions.GATE_ENABLED.key(), "true");
        m.put(JobOptions.GATE_MEAN_THRESHOLD.key(), "2.0"); // a still photo in H.264: only coding noise
        m.put(JobOptions.GATE_BLOCK_THRESHOLD.key(), "8.0");
        JobRuns.run(flink, JobConfig.parse(m), UnaryOperator.identity(), Duration.ofSeconds(90));

        List<ConsumerRecord<String, byte[]>> events = KAFKA.consume(t.out(), (int) sent, Duration.ZERO,
                Duration.ofSeconds(20));
        assertEquals(sent, events.size());
        long t0 = Long.MAX_VALUE;
        int gated = 0;
        for (ConsumerRecord<String, byte[]> r : events) {
            JsonNode e = json.readTree(r.value());
            t0 = Math.min(t0, e.path("ptsMs").asLong());
            if (e.has("gate")) {
                gated++;
                assertTrue(!e.path("inferred").asBoolean() && e.path("gate").path("difference").asDouble() < 2.0);
            }
        }
        assertTrue(gated > sent / 2, "a still photo held for seconds is mostly gated: " + gated + " of " + sent);

        List<String> got = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : KAFKA.consume(episodes, 6, Duration.ofSeconds(2), Duration.ofSeconds(20))) {
            JsonNode e = json.readTree(r.value());
            assertEquals("cam-e", r.key());
            got.add(e.path("kind").asText() + " " + e.path("class").asText() + " " + (e.path("startMs").asLong() - t0)
                    + ".." + (e.path("endMs").asLong() - t0) + " f" + e.path("frames").asInt());
        }
        int ms = 1000 / FPS;
        // in event-time order: an episode closes gap-ms after its last frame, after the next one opened
        assertEquals(List.of(
                "open " + a + " 0.." + 2 * ms + " f3",
                "open " + b + " " + 15 * ms + ".." + 17 * ms + " f3",
                "close " + a + " 0.." + 14 * ms + " f15",
                "open " + a + " " + 25 * ms + ".." + 27 * ms + " f3",
                "close " + b + " " + 15 * ms + ".." + 24 * ms + " f10",
                "close " + a + " " + 25 * ms + ".." + 39 * ms + " f15"),
                got);
    }

    @Test
    void anIdlePartitionDoesNotHoldTheWatermarkSoAQuietCamerasEpisodeCloses() throws Exception {
        JobRuns.Topics t = JobRuns.topics(KAFKA, 2);
        String episodes = EmbeddedKafka.uniqueTopic("episodes");
        KAFKA.createTopic(episodes, 2);
        String quiet = onPartition(0);
        String busy = onPartition(1);
        // unbounded: no end-of-input watermark closes anything
        Map<String, String> m = unbounded(t, episodes, EmbeddedKafka.uniqueTopic("status"));
        m.put(JobOptions.WATERMARK_IDLENESS_MS.key(), "1000");
        JobConfig cfg = JobConfig.parse(m);
        // the quiet camera: 5 frames of photo A (an episode opens), then nothing
        JobRuns.produce(KAFKA, t.in(), video.file.toString(), "jpeg", List.of(quiet), "--limit", "5");
        JobID id = JobRuns.submit(flink, cfg);
        try {
            // the busy camera keeps sending in real time on the other partition
            JobRuns.produce(KAFKA, t.in(), video.file.toString(), "jpeg", List.of(busy), "--realtime");
            List<String> closes = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (closes.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : KAFKA.consume(episodes, 1, Duration.ZERO, Duration.ofSeconds(2))) {
                    JsonNode e = json.readTree(r.value());
                    if (r.key().equals(quiet) && e.path("kind").asText().equals("close")) {
                        closes.add(e.path("class").asText() + " f" + e.path("frames").asInt());
                    }
                }
            }
            assertEquals(List.of(video.top1.get(0) + " f5"), closes,
                    "the quiet camera's episode closed while its partition sent nothing and the job ran on");
        } finally {
            flink.cancel(id, Duration.ofSeconds(30));
        }
    }

    @Test
    void backfillReadsOnlyTheRecordsOfItsTimeRange() throws Exception {
        JobRuns.Topics t = JobRuns.topics(KAFKA, 1);
        JobRuns.produce(KAFKA, t.in(), video.file.toString(), "jpeg", List.of("cam-b"));
        List<ConsumerRecord<String, byte[]>> in = KAFKA.consume(t.in(), video.frames(), Duration.ZERO,
                Duration.ofSeconds(20));
        List<Long> times = in.stream().map(ConsumerRecord::timestamp).distinct().sorted().toList();
        assertTrue(times.size() >= 3, "records sent over at least 3 distinct ms: " + times);
        long from = times.get(times.size() / 3);
        long to = times.get(2 * times.size() / 3);
        // what Kafka's offsetsForTimes gives: the first offset at or after each time
        long first = in.stream().filter(r -> r.timestamp() >= from).mapToLong(ConsumerRecord::offset).min().orElseThrow();
        long end = in.stream().filter(r -> r.timestamp() >= to).mapToLong(ConsumerRecord::offset).min().orElseThrow();
        Map<String, String> m = JobRuns.bounded(KAFKA, t.in(), t.out(), t.dlq());
        m.put(JobOptions.STARTING_OFFSETS.key(), "timestamp:" + from);
        m.put(JobOptions.STOP_AT_TIMESTAMP.key(), Long.toString(to));
        m.put(JobOptions.EPISODES_TOPIC.key(), EmbeddedKafka.uniqueTopic("episodes"));
        m.put(JobOptions.CAMERA_STATUS_TOPIC.key(), EmbeddedKafka.uniqueTopic("status"));
        JobRuns.run(flink, JobConfig.parse(m), UnaryOperator.identity(), Duration.ofSeconds(60));
        List<Long> offsets = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : KAFKA.consume(t.out(), (int) (end - first), Duration.ofSeconds(1),
                Duration.ofSeconds(20))) {
            offsets.add(json.readTree(r.value()).path("offset").asLong());
        }
        List<Long> expected = new ArrayList<>();
        for (long o = first; o < end; o++) {
            expected.add(o);
        }
        assertEquals(expected, offsets.stream().sorted().toList());
    }

    /** Options of a run at parallelism 1 that goes on until cancelled. */
    static Map<String, String> unbounded(JobRuns.Topics t, String episodes, String status) {
        Map<String, String> m = JobRuns.bounded(KAFKA, t.in(), t.out(), t.dlq());
        m.remove(JobOptions.STOP_AT_LATEST.key());
        m.put(JobOptions.PARALLELISM.key(), "1");
        m.put(JobOptions.EPISODES_TOPIC.key(), episodes);
        m.put(JobOptions.CAMERA_STATUS_TOPIC.key(), status);
        return m;
    }

    /** A camera id the producer's partitioner puts on {@code partition} of 2. */
    static String onPartition(int partition) {
        for (int i = 0; ; i++) {
            String c = "cam-" + i;
            if (Utils.toPositive(Utils.murmur2(c.getBytes(StandardCharsets.UTF_8))) % 2 == partition) {
                return c;
            }
        }
    }

    @Test
    void aCameraThatPausesIsStalledThenResumed() throws Exception {
        JobRuns.Topics t = JobRuns.topics(KAFKA, 1);
        String status = EmbeddedKafka.uniqueTopic("status");
        KAFKA.createTopic(status, 1);
        Map<String, String> m = unbounded(t, EmbeddedKafka.uniqueTopic("episodes"), status);
        m.put(JobOptions.CAMERA_STALL_AFTER_MS.key(), "1500");
        JobConfig cfg = JobConfig.parse(m);
        JobRuns.produce(KAFKA, t.in(), video.file.toString(), "jpeg", List.of("cam-p"), "--limit", "5");
        JobID id = JobRuns.submit(flink, cfg);
        try {
            List<ConsumerRecord<String, byte[]>> first = KAFKA.consume(status, 1, Duration.ZERO, Duration.ofSeconds(60));
            assertEquals(1, first.size(), "STALLED within a minute");
            JsonNode stalled = json.readTree(first.get(0).value());
            assertEquals("STALLED", stalled.path("status").asText());
            assertEquals("cam-p", stalled.path("camera").asText());
            assertTrue(stalled.path("gapMs").asLong() >= 1500, stalled.toString());

            JobRuns.produce(KAFKA, t.in(), video.file.toString(), "jpeg", List.of("cam-p"), "--limit", "5");
            List<ConsumerRecord<String, byte[]>> both = KAFKA.consume(status, 2, Duration.ZERO, Duration.ofSeconds(30));
            assertEquals(2, both.size(), "RESUMED after the camera sent again");
            JsonNode resumed = json.readTree(both.get(1).value());
            assertEquals("RESUMED", resumed.path("status").asText());
            assertTrue(resumed.path("gapMs").asLong() >= stalled.path("gapMs").asLong(), resumed.toString());
        } finally {
            flink.cancel(id, Duration.ofSeconds(30));
        }
    }
}
