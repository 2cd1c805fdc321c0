package io.framewise.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.operators.frames.FrameHeaders;
import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import io.framewise.pipeline.local.LocalFlink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole job on a MiniCluster with an embedded broker: a labeled video (each shared photo held
 * for a few frames) sent as three cameras; every frame must come out as exactly one event, in
 * camera order, with its source coordinates and its photo's top-1 label.
 */
@Timeout(180)
class FramewiseJobITCase {

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    static final List<String> CAMERAS = List.of("cam-a", "cam-b", "cam-c");
    static final int HOLD = 4;

    @TempDir
    static Path dir;
    static LabeledVideo video;
    static LocalFlink flink;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void setUp() throws Exception {
        video = LabeledVideo.build(dir, HOLD, 12.5, 10);
        flink = LocalFlink.start(2, "0");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (flink != null) {
            flink.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpeg", "segment"})
    void everyFrameGivesExactlyOneEventInOrderWithItsPhotosLabel(String format) throws Exception {
        JobRuns.Topics topics = JobRuns.topics(KAFKA, 3);
        String in = topics.in();
        String out = topics.out();
        String dlq = topics.dlq();
        long sent = JobRuns.produce(KAFKA, in, video.file.toString(), format, CAMERAS);
        assertEquals((long) video.frames() * CAMERAS.size(), sent);

        JobRuns.run(flink, JobConfig.parse(JobRuns.bounded(KAFKA, in, out, dlq)), UnaryOperator.identity(),
                Duration.ofSeconds(120));

        // provenance: what each input record was (partition/offset -> camera, sequence)
        Map<String, String[]> inputs = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : KAFKA.consume(in, Integer.MAX_VALUE, Duration.ZERO, Duration.ofSeconds(4))) {
            inputs.put(r.partition() + "@" + r.offset(), new String[] {r.key(), header(r, FrameHeaders.SEQUENCE)});
        }
        List<ConsumerRecord<String, byte[]>> events = KAFKA.consume(out, (int) sent, Duration.ofSeconds(2),
                Duration.ofSeconds(30));
        assertEquals(sent, events.size(), "events (read_committed)");
        Set<String> ids = new HashSet<>();
        Map<String, Integer> frameOfCamera = new LinkedHashMap<>();
        Map<String, long[]> lastPosition = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : events) {
            JsonNode e = json.readTree(r.value());
            String camera = e.path("camera").asText();
            assertEquals(r.key(), camera, "record key is the camera");
            String id = e.path("eventId").asText();
            assertTrue(ids.add(id), "duplicate event " + id);
            assertEquals(id, new String(r.headers().lastHeader("fw-event-id").value(), StandardCharsets.UTF_8));
            assertEquals(in, e.path("topic").asText());
            String[] source = inputs.get(e.path("partition").asInt() + "@" + e.path("offset").asLong());
            assertTrue(source != null, "event " + id + " points at no input record");
            assertEquals(camera, source[0], "provenance camera of " + id);
            assertEquals(source[1], e.path("sequence").asText(), "provenance sequence of " + id);
            assertEquals(in + "-" + e.path("partition").asInt() + "-" + e.path("offset").asLong() + "-"
                    + e.path("indexInSegment").asInt(), id);
            // per-camera order: (sequence, index in segment) strictly increasing in topic order
            long[] pos = {e.path("sequence").asLong(), e.path("indexInSegment").asLong()};
            long[] prev = lastPosition.put(camera, pos);
            assertTrue(prev == null || pos[0] > prev[0] || pos[0] == prev[0] && pos[1] > prev[1],
                    "camera " + camera + " out of order at " + id);
            int frame = frameOfCamera.merge(camera, 1, Integer::sum) - 1;
            assertEquals(video.expectedLabel(frame), e.path("top").path(0).path("label").asText(),
                    camera + " frame " + frame + " (" + format + ")");
            assertTrue(e.path("inferred").asBoolean(), id);
            assertTrue(e.path("top").size() == 5, "top-5 in " + id);
        }
        for (String c : CAMERAS) {
            assertEquals(video.frames(), frameOfCamera.get(c), "frames of " + c);
        }
        assertEquals(0, KAFKA.consume(dlq, 0, Duration.ZERO, Duration.ofSeconds(2)).size(), "dead letters");
    }

    static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
