package io.framewise.pipeline.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.decode.SharedData;
import io.framewise.operators.frames.FrameHeaders;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The load test's fleet: many cameras from one producer, with churn, every frame once and in order per camera. */
@Timeout(180)
class CameraFleetITCase {

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @Test
    void camerasComeAndGoAndEachSendsItsSequenceOnce() throws Exception {
        String topic = EmbeddedKafka.uniqueTopic("fleet");
        KAFKA.createTopic(topic, 4);
        Map<String, Long> sent;
        long total;
        long retired;
        try (PreEncodedClips clips = PreEncodedClips.encode(
                List.of(SharedData.root().resolve("videos/car-detection.mp4").toString()), 5, 60);
             CameraFleet fleet = new CameraFleet(KAFKA.bootstrapServers(), topic, 1 << 20, Map.of(),
                     List.of(clips.clips().get(0).folder()), 40, 5, 1, 0.25)) {
            // two churns (10 cameras replaced each time) and a newcomer of the first has sent: waited for,
            // however slow the machine
            while (fleet.retired() < 20 || fleet.framesByCamera().getOrDefault("cam-41", 0L) == 0) {
                fleet.check();
                Thread.sleep(50);
            }
            total = fleet.stopAndFlush();
            sent = fleet.framesByCamera();
            retired = fleet.retired();
        }
        assertTrue(retired >= 20, "retired " + retired);
        assertEquals(40 + retired, sent.size(), "every replaced camera got a new id");
        assertEquals(total, sent.values().stream().mapToLong(Long::longValue).sum());

        List<ConsumerRecord<String, byte[]>> records = KAFKA.consume(topic, (int) total, Duration.ofSeconds(1),
                Duration.ofSeconds(60));
        assertEquals(total, records.size(), "every frame once");
        Map<String, Long> nextSeq = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            long seq = Long.parseLong(new String(r.headers().lastHeader(FrameHeaders.SEQUENCE).value(),
                    StandardCharsets.UTF_8));
            long expected = nextSeq.getOrDefault(r.key(), 0L);
            assertEquals(expected, seq, "camera " + r.key() + " in order, from 0, no gap");
            nextSeq.put(r.key(), seq + 1);
            assertEquals("jpeg", new String(r.headers().lastHeader(FrameHeaders.CODEC).value(), StandardCharsets.UTF_8));
        }
        sent.forEach((camera, n) -> assertEquals(n, nextSeq.getOrDefault(camera, 0L), camera));
        assertTrue(nextSeq.containsKey("cam-1") && nextSeq.containsKey("cam-41"), nextSeq.keySet().toString());
    }
}
