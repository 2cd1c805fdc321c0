package io.framewise.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.operators.decode.DecodeLimits;
import io.framewise.operators.decode.FrameDecoder;
import io.framewise.operators.frames.FrameHeaders;
import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobOptions;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import io.framewise.pipeline.local.LocalFlink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad records between good ones: each bad one lands in the dead-letter topic exactly once with its
 * original bytes and the reason, every good one is labeled, and the job never fails because of them
 * (it runs with no restarts allowed, so any failure would fail it).
 */
@Timeout(180)
class DeadLetterITCase {

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    static final int MAX_RECORD_BYTES = 256 * 1024;

    @TempDir
    static Path dir;
    static LabeledVideo video;
    static LocalFlink flink;

    @BeforeAll
    static void setUp() throws Exception {
        video = LabeledVideo.build(dir, 2, 12.5, 10);
        flink = LocalFlink.start(2, "0");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (flink != null) {
            flink.close();
        }
    }

    private record Bad(byte[] key, byte[] value, RecordHeaders headers, String reason) {
    }

    @Test
    void badRecordsAreDeadLetteredOnceAndGoodOnesLabeled() throws Exception {
        // good records, as the producer writes them, staged and then interleaved with bad ones
        String staging = EmbeddedKafka.uniqueTopic("staging");
        String in = EmbeddedKafka.uniqueTopic("frames");
        String out = EmbeddedKafka.uniqueTopic("labels");
        String dlq = EmbeddedKafka.uniqueTopic("dlq");
        KAFKA.createTopic(staging, 1);
        KAFKA.createTopic(in, 2);
        KAFKA.createTopic(out, 2);
        KAFKA.createTopic(dlq, 1);
        JobRuns.produce(KAFKA, staging, video.file.toString(), "jpeg", List.of("cam-1", "cam-2"));
        List<ConsumerRecord<String, byte[]>> good =
                KAFKA.consume(staging, 2 * video.frames(), Duration.ZERO, Duration.ofSeconds(20));
        assertEquals(2 * video.frames(), good.size());

        List<Bad> bad = badRecords(good.get(0));
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 << 20),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"), new ByteArraySerializer(), new ByteArraySerializer())) {
            int b = 0;
            for (int i = 0; i < good.size(); i++) {
                ConsumerRecord<String, byte[]> g = good.get(i);
                p.send(new ProducerRecord<>(in, null, g.key().getBytes(StandardCharsets.UTF_8), g.value(), g.headers()));
                if (i % 3 == 1 && b < bad.size()) {
                    Bad x = bad.get(b++);
                    // bad records with a key go to that camera's partition, between its good frames
                    p.send(new ProducerRecord<>(in, x.key == null ? 0 : null, x.key, x.value, x.headers));
                }
            }
            assertEquals(bad.size(), b, "all bad records interleaved");
            p.flush();
        }

        Map<String, String> m = JobRuns.bounded(KAFKA, in, out, dlq);
        m.put(JobOptions.MAX_RECORD_BYTES.key(), Integer.toString(MAX_RECORD_BYTES));
        JobRuns.run(flink, JobConfig.parse(m), UnaryOperator.identity(), Duration.ofSeconds(120));

        List<ConsumerRecord<String, byte[]>> events = KAFKA.consume(out, good.size(), Duration.ofSeconds(2),
                Duration.ofSeconds(30));
        assertEquals(good.size(), events.size(), "one event per good frame");
        Set<String> ids = new HashSet<>();
        Map<String, Integer> frameOfCamera = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (ConsumerRecord<String, byte[]> r : events) {
            var e = json.readTree(r.value());
            assertTrue(ids.add(e.path("eventId").asText()), "duplicate " + e.path("eventId"));
            int frame = frameOfCamera.merge(e.path("camera").asText(), 1, Integer::sum) - 1;
            assertEquals(video.expectedLabel(frame), e.path("top").path(0).path("label").asText(),
                    e.path("camera").asText() + " frame " + frame);
        }

        List<ConsumerRecord<String, byte[]>> dead = KAFKA.consume(dlq, bad.size(), Duration.ofSeconds(2),
                Duration.ofSeconds(30));
        assertEquals(bad.size(), dead.size(), "one dead letter per bad record");
        for (Bad x : bad) {
            List<ConsumerRecord<String, byte[]>> match = dead.stream()
                    .filter(d -> Arrays.equals(d.value(), x.value)).toList();
            assertEquals(1, match.size(), "dead letters for the " + x.reason + " record");
            ConsumerRecord<String, byte[]> d = match.get(0);
            assertEquals(x.reason, FramewiseJobITCase.header(d, "fw-dlq-reason"));
            assertTrue(FramewiseJobITCase.header(d, "fw-dlq-source").startsWith(in), "source of " + x.reason);
            for (Header h : x.headers) {
                assertArrayEquals(h.value(), d.headers().lastHeader(h.key()).value(), x.reason + " header " + h.key());
            }
        }
    }

    /**
     * A dead-letter topic whose {@code max.message.bytes} is below a bad record's size: the sink would
     * get RecordTooLargeException and the job would restart in a loop (here, with no restarts allowed,
     * fail). The dead letter is written without its value instead, saying its length and SHA-256.
     */
    @Test
    void aDeadLetterTopicSmallerThanABadRecordDoesNotFailTheJob() throws Exception {
        String in = EmbeddedKafka.uniqueTopic("frames");
        String out = EmbeddedKafka.uniqueTopic("labels");
        String dlq = EmbeddedKafka.uniqueTopic("dlq");
        KAFKA.createTopic(in, 1);
        KAFKA.createTopic(out, 1);
        int topicLimit = 64 * 1024;
        KAFKA.createTopic(dlq, 1, Map.of("max.message.bytes", Integer.toString(topicLimit)));
        JobRuns.produce(KAFKA, in, video.file.toString(), "jpeg", List.of("cam-1"));
        byte[] garbage = new byte[200_000]; // under the job's record limit, over the dead-letter topic's
        new Random(3).nextBytes(garbage);
        RecordHeaders headers = new RecordHeaders();
        headers.add(FrameHeaders.CODEC, "jpeg".getBytes(StandardCharsets.UTF_8));
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 << 20)),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(in, null, "cam-1".getBytes(StandardCharsets.UTF_8), garbage, headers)).get();
        }

        Map<String, String> m = JobRuns.bounded(KAFKA, in, out, dlq);
        m.put(JobOptions.MAX_RECORD_BYTES.key(), Integer.toString(MAX_RECORD_BYTES));
        JobRuns.run(flink, JobConfig.parse(m), UnaryOperator.identity(), Duration.ofSeconds(120));

        assertEquals(video.frames(), KAFKA.consume(out, video.frames(), Duration.ofSeconds(2), Duration.ofSeconds(30))
                .size(), "every good frame labeled");
        List<ConsumerRecord<String, byte[]>> dead = KAFKA.consume(dlq, 1, Duration.ofSeconds(2), Duration.ofSeconds(30));
        assertEquals(1, dead.size(), "one dead letter");
        ConsumerRecord<String, byte[]> d = dead.get(0);
        assertEquals(null, d.value(), "the value does not fit the topic");
        assertEquals("cam-1", d.key());
        assertEquals(Integer.toString(garbage.length), FramewiseJobITCase.header(d, "fw-dlq-value-omitted"));
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(garbage)),
                FramewiseJobITCase.header(d, "fw-dlq-value-sha256"));
        assertTrue(FramewiseJobITCase.header(d, "fw-dlq-message").contains("at most " + topicLimit + " bytes"),
                FramewiseJobITCase.header(d, "fw-dlq-message"));
    }

    /** One bad record per kind, built from a good one; expected reasons as the decoder itself gives them. */
    private static List<Bad> badRecords(ConsumerRecord<String, byte[]> good) {
        byte[] key = good.key().getBytes(StandardCharsets.UTF_8);
        byte[] jpeg = good.value();
        List<Bad> out = new ArrayList<>();
        out.add(new Bad(null, jpeg.clone(), copy(good.headers()), "MISSING_KEY"));
        out.add(new Bad("\u00ff".getBytes(StandardCharsets.ISO_8859_1), tag(jpeg, 1), copy(good.headers()), "MISSING_KEY"));
        out.add(new Bad(key, new byte[0], copy(good.headers()), "EMPTY"));
        byte[] huge = new byte[MAX_RECORD_BYTES + 1];
        new Random(1).nextBytes(huge);
        out.add(new Bad(key, huge, copy(good.headers()), "TOO_LARGE"));
        RecordHeaders v99 = copy(good.headers());
        v99.remove(FrameHeaders.VERSION);
        v99.add(FrameHeaders.VERSION, "99".getBytes(StandardCharsets.UTF_8));
        out.add(new Bad(key, tag(jpeg, 2), v99, "UNSUPPORTED_VERSION"));
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 3);
        out.add(new Bad(key, truncated, copy(good.headers()), reason(good.headers(), truncated)));
        byte[] garbage = new byte[5000];
        new Random(2).nextBytes(garbage);
        out.add(new Bad(key, garbage, copy(good.headers()), reason(good.headers(), garbage)));
        return out;
    }

    /** A distinct copy (changed trailing byte after the JPEG end marker region is irrelevant for lookup). */
    private static byte[] tag(byte[] b, int n) {
        byte[] c = Arrays.copyOf(b, b.length + n);
        return c;
    }

    private static String reason(org.apache.kafka.common.header.Headers headers, byte[] value) {
        try (FrameDecoder d = new FrameDecoder(224, 224, DecodeLimits.DEFAULTS.withMaxEncodedBytes(MAX_RECORD_BYTES))) {
            var r = d.decode(headers, value);
            assertTrue(!r.isOk(), "meant to be bad");
            return r.failure().reason().name();
        }
    }

    private static RecordHeaders copy(org.apache.kafka.common.header.Headers h) {
        RecordHeaders c = new RecordHeaders();
        h.forEach(x -> c.add(x.key(), x.value()));
        return c;
    }
}
