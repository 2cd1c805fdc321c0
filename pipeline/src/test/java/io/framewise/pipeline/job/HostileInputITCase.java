package io.framewise.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.framewise.operators.decode.HostileMedia;
import io.framewise.operators.decode.MediaFixtures;
import io.framewise.operators.decode.SharedData;
import io.framewise.operators.frames.FrameHeaders;
import io.framewise.operators.kafka.DeadLetterSerialization;
import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobOptions;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import io.framewise.pipeline.local.LocalFlink;
import java.awt.image.BufferedImage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
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
 * The whole hostile-input catalog (README "Hostile input") through the real job, live: a garbage
 * camera sends every case while three good cameras stream frames and a fourth switches resolution.
 * Each hostile record gives exactly one dead letter with its reason (matched by an {@code x-case}
 * header, which dead letters keep), every good frame exactly one event with its label, the job
 * keeps RUNNING with no restart allowed (any failure would end it), and the good cameras' events
 * all arrive with capture-to-event latency far below what a stalled decoder would cause.
 */
@Timeout(180)
class HostileInputITCase {

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    static final int MAX_RECORD_BYTES = 1 << 20;
    static final int MAX_FRAMES = 6;
    static final List<String> GOOD = List.of("cam-a", "cam-b", "cam-c");
    static final String EVIL = "cam-evil";
    static final String SWITCH = "cam-switch";
    /** Generous: the good frames' usual latency is well under a second; a hung decode takes minutes. */
    static final long MAX_GOOD_LATENCY_MS = 30_000;

    @TempDir
    static Path dir;
    static LabeledVideo video;
    static LocalFlink flink;
    static HttpServer http;
    static final AtomicInteger httpRequests = new AtomicInteger();

    @BeforeAll
    static void setUp() throws Exception {
        video = LabeledVideo.build(dir, 2, 12.5, 3);
        flink = LocalFlink.start(2, "0");
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", ex -> {
            httpRequests.incrementAndGet();
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        http.start();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (flink != null) {
            flink.close();
        }
        if (http != null) {
            http.stop(0);
        }
    }

    /** One catalog row: sent as {@code key}, expected to be dead-lettered with {@code reason}. */
    record Case(String name, byte[] key, byte[] value, RecordHeaders headers, String reason) {
    }

    @Test
    void everyHostileRecordIsOneDeadLetterAndGoodCamerasAreUnaffected() throws Exception {
        String staging = EmbeddedKafka.uniqueTopic("staging");
        KAFKA.createTopic(staging, 1);
        JobRuns.Topics t = JobRuns.topics(KAFKA, 2);
        JobRuns.produce(KAFKA, staging, video.file.toString(), "jpeg", GOOD);
        List<ConsumerRecord<String, byte[]>> good =
                KAFKA.consume(staging, GOOD.size() * video.frames(), Duration.ZERO, Duration.ofSeconds(20));
        assertEquals(GOOD.size() * video.frames(), good.size());

        List<Case> cases = catalog();
        List<byte[]> switchJpegs = new ArrayList<>();
        for (String p : LabeledVideo.PHOTOS) { // native sizes 500x333 .. 512x600: a camera changing resolution
            switchJpegs.add(MediaFixtures.encode(bgr(ImageIO.read(SharedData.root().resolve("images/" + p).toFile())),
                    "jpeg"));
        }

        Map<String, String> m = JobRuns.bounded(KAFKA, t.in(), t.out(), t.dlq());
        m.put(JobOptions.STOP_AT_LATEST.key(), "false");
        m.put(JobOptions.MAX_RECORD_BYTES.key(), Integer.toString(MAX_RECORD_BYTES));
        m.put(JobOptions.MAX_FRAMES_PER_SEGMENT.key(), Integer.toString(MAX_FRAMES));
        JobConfig cfg = JobConfig.parse(m);
        JobID job = JobRuns.submit(flink, cfg);
        try {
            flink.awaitRunning(job, Duration.ofSeconds(60));
            send(t.in(), good, cases, switchJpegs);

            int expectedEvents = good.size() + switchJpegs.size() + 1; // + the garbage camera's one good frame
            List<ConsumerRecord<String, byte[]>> events = KAFKA.consume(t.out(), expectedEvents, Duration.ofSeconds(2),
                    Duration.ofSeconds(60));
            int bad = (int) cases.stream().filter(c -> c.reason() != null).count();
            List<ConsumerRecord<String, byte[]>> dead = KAFKA.consume(t.dlq(), bad, Duration.ofSeconds(2),
                    Duration.ofSeconds(30));
            assertEquals(JobStatus.RUNNING, flink.status(job), "the job never failed (no restarts allowed)");

            checkDeadLetters(cases, dead);
            checkEvents(events, expectedEvents, switchJpegs.size());
            assertEquals(0, httpRequests.get(), "a playlist in a record made the job fetch a URL");
        } finally {
            flink.cancel(job, Duration.ofSeconds(30));
        }
    }

    private static void checkDeadLetters(List<Case> cases, List<ConsumerRecord<String, byte[]>> dead) {
        Map<String, List<String>> got = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> d : dead) {
            got.computeIfAbsent(String.valueOf(FramewiseJobITCase.header(d, "x-case")), k -> new ArrayList<>())
                    .add(FramewiseJobITCase.header(d, DeadLetterSerialization.REASON_HEADER));
        }
        Map<String, List<String>> want = new TreeMap<>();
        for (Case c : cases) {
            if (c.reason() != null) {
                want.put(c.name(), List.of(c.reason()));
            }
        }
        assertEquals(want, got, "exactly one dead letter per hostile record, with its reason (and none for good frames)");
    }

    private static void checkEvents(List<ConsumerRecord<String, byte[]>> events, int expected, int switched)
            throws Exception {
        ObjectMapper json = new ObjectMapper();
        Set<String> ids = new HashSet<>();
        Map<String, Integer> perCamera = new HashMap<>();
        double maxGoodLatency = 0;
        for (ConsumerRecord<String, byte[]> r : events) {
            JsonNode e = json.readTree(r.value());
            assertTrue(ids.add(e.path("eventId").asText()), "duplicate event " + e.path("eventId"));
            String cam = e.path("camera").asText();
            perCamera.merge(cam, 1, Integer::sum);
            int seq = e.path("sequence").asInt();
            String label = e.path("top").path(0).path("label").asText();
            if (GOOD.contains(cam)) {
                assertEquals(video.expectedLabel(seq), label, cam + " frame " + seq);
                maxGoodLatency = Math.max(maxGoodLatency, e.path("latency").path("endToEndMs").asDouble());
            } else if (SWITCH.equals(cam)) {
                assertEquals(video.top1.get(seq), label, "photo " + LabeledVideo.PHOTOS.get(seq) + " at its own size");
            }
        }
        Map<String, Integer> want = new HashMap<>();
        GOOD.forEach(c -> want.put(c, video.frames()));
        want.put(SWITCH, switched);
        want.put(EVIL, 1);
        assertEquals(want, perCamera, "one event per good frame");
        assertEquals(expected, events.size());
        System.out.printf("HostileInputITCase: max capture-to-event latency of the good cameras %.0f ms%n", maxGoodLatency);
        assertTrue(maxGoodLatency < MAX_GOOD_LATENCY_MS, "good cameras slowed down: " + maxGoodLatency + " ms");
    }

    /** Good frames in rounds, a few hostile records and a resolution switch between rounds, live. */
    private static void send(String topic, List<ConsumerRecord<String, byte[]>> good, List<Case> cases,
                             List<byte[]> switchJpegs) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(EmbeddedKafka.MAX_MESSAGE_BYTES - 1024),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"), new ByteArraySerializer(), new ByteArraySerializer())) {
            int rounds = video.frames();
            int perRound = (cases.size() + rounds - 1) / rounds;
            int next = 0;
            for (int round = 0; round < rounds; round++) {
                long now = System.currentTimeMillis();
                for (ConsumerRecord<String, byte[]> g : good) {
                    if (Long.parseLong(FramewiseJobITCase.header(g, FrameHeaders.SEQUENCE)) == round) {
                        RecordHeaders h = copy(g.headers(), hs -> hs.remove(FrameHeaders.CAPTURE_TS));
                        h.add(FrameHeaders.CAPTURE_TS, utf8(Long.toString(now)));
                        p.send(new ProducerRecord<>(topic, null, utf8(g.key()), g.value(), h));
                    }
                }
                if (round < switchJpegs.size()) {
                    p.send(new ProducerRecord<>(topic, null, utf8(SWITCH), switchJpegs.get(round),
                            headers("jpeg", now, round)));
                }
                for (int k = 0; k < perRound && next < cases.size(); k++, next++) {
                    Case c = cases.get(next);
                    RecordHeaders h = copy(c.headers(), hs -> { });
                    h.add("x-case", utf8(c.name()));
                    p.send(new ProducerRecord<>(topic, null, c.key(), c.value(), h));
                }
                p.flush();
                Thread.sleep(150);
            }
            assertEquals(cases.size(), next, "all hostile records sent");
        }
    }

    /** The catalog (README "Hostile input"): every case the garbage camera sends, with its expected reason. */
    private List<Case> catalog() throws Exception {
        byte[] evil = utf8(EVIL);
        BufferedImage cat = bgr(ImageIO.read(SharedData.root().resolve("images/cat.bmp").toFile()));
        byte[] jpeg = MediaFixtures.encode(cat, "jpeg");
        byte[] png = MediaFixtures.encode(cat, "png");
        byte[] h264 = MediaFixtures.segment(video.file, "h264", 0, MAX_FRAMES, 3);
        byte[] h264Long = MediaFixtures.segment(video.file, "h264", 0, MAX_FRAMES + 2, 3);
        long now = System.currentTimeMillis();
        int[] seq = {100};
        java.util.function.Function<String, RecordHeaders> hs = codec -> headers(codec, now, seq[0]++);
        String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/x.ts";
        byte[] playlist = ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n" + url
                + "\n#EXTINF:2.0,\n/etc/passwd\n#EXT-X-ENDLIST\n").getBytes(StandardCharsets.UTF_8);
        byte[] hugeKey = new byte[10 << 20];
        Arrays.fill(hugeKey, (byte) 'k');
        byte[] tooLarge = Arrays.copyOf(jpeg, 4 * MAX_RECORD_BYTES);

        List<Case> c = new ArrayList<>();
        c.add(new Case("zero bytes", evil, new byte[0], hs.apply("jpeg"), "EMPTY"));
        c.add(new Case("zero bytes, no codec header", evil, new byte[0], hs.apply(null), "EMPTY"));
        c.add(new Case("random bytes as jpeg", evil, HostileMedia.random(4096, 1), hs.apply("jpeg"), "CORRUPT_IMAGE"));
        c.add(new Case("random bytes, no codec", evil, HostileMedia.random(4096, 2), hs.apply(null), "UNKNOWN_CODEC"));
        c.add(new Case("random bytes as mpegts", evil, HostileMedia.random(8192, 3), hs.apply("mpegts"), "CORRUPT_SEGMENT"));
        c.add(new Case("jpeg truncated at 10%", evil, HostileMedia.cut(jpeg, 0.1), hs.apply("jpeg"), "TRUNCATED"));
        c.add(new Case("jpeg truncated at 50%", evil, HostileMedia.cut(jpeg, 0.5), hs.apply("jpeg"), "TRUNCATED"));
        c.add(new Case("jpeg truncated at 90%", evil, HostileMedia.cut(jpeg, 0.9), hs.apply("jpeg"), "TRUNCATED"));
        c.add(new Case("jpeg corrupted Huffman table", evil, HostileMedia.badHuffman(jpeg), hs.apply("jpeg"), "CORRUPT_IMAGE"));
        c.add(new Case("jpeg SOF 60000x60000", evil, HostileMedia.jpegSize(jpeg, 60000, 60000), hs.apply("jpeg"),
                "DIMENSIONS_TOO_LARGE"));
        c.add(new Case("png claiming 20000x20000", evil, HostileMedia.pngBomb(20000, 20000), hs.apply("png"),
                "DIMENSIONS_TOO_LARGE"));
        c.add(new Case("png claiming 65535x65535, sniffed", evil, HostileMedia.pngBomb(65535, 65535), hs.apply(null),
                "DIMENSIONS_TOO_LARGE"));
        c.add(new Case("png truncated at 60%", evil, HostileMedia.cut(png, 0.6), hs.apply("png"), "TRUNCATED"));
        c.add(new Case("png labelled jpeg", evil, png, hs.apply("jpeg"), "CORRUPT_IMAGE"));
        c.add(new Case("jpeg labelled h264", evil, jpeg, hs.apply("h264"), "CORRUPT_SEGMENT"));
        c.add(new Case("unknown codec webp", evil, jpeg, hs.apply("webp"), "UNKNOWN_CODEC"));
        RecordHeaders v2 = hs.apply("jpeg");
        v2.remove(FrameHeaders.VERSION);
        v2.add(FrameHeaders.VERSION, utf8("2"));
        c.add(new Case("unsupported version", evil, jpeg, v2, "UNSUPPORTED_VERSION"));
        RecordHeaders badTs = hs.apply("jpeg");
        badTs.remove(FrameHeaders.CAPTURE_TS);
        badTs.add(FrameHeaders.CAPTURE_TS, utf8("yesterday"));
        c.add(new Case("non-numeric timestamp", evil, jpeg, badTs, "BAD_HEADER"));
        c.add(new Case("value 4x over the record limit", evil, tooLarge, hs.apply("jpeg"), "TOO_LARGE"));
        c.add(new Case("h264 cut mid-NAL", evil, HostileMedia.cutMidLastNal(h264), hs.apply("h264"), "TRUNCATED"));
        c.add(new Case("h264 not starting with a keyframe", evil, HostileMedia.withoutFirstIdr(h264), hs.apply("h264"),
                "NO_KEYFRAME"));
        c.add(new Case("segment over the frame limit", evil, h264Long, hs.apply("h264"), "TOO_MANY_FRAMES"));
        c.add(new Case("m3u8 playlist (URL, /etc/passwd) as mpegts", evil, playlist, hs.apply("mpegts"), "CORRUPT_SEGMENT"));
        c.add(new Case("m3u8 playlist, no codec", evil, playlist, hs.apply(null), "UNKNOWN_CODEC"));
        c.add(new Case("missing camera key", null, jpeg, hs.apply("jpeg"), "MISSING_KEY"));
        c.add(new Case("10 MB camera key", hugeKey, jpeg, hs.apply("jpeg"), "MISSING_KEY"));
        c.add(new Case("non-UTF-8 camera key", new byte[] {(byte) 0xC3, (byte) 0x28}, jpeg, hs.apply("jpeg"), "MISSING_KEY"));
        // stream-level: the garbage camera's one good frame, then its resend
        RecordHeaders once = headers("jpeg", now, 50);
        c.add(new Case("good frame (labeled)", evil, jpeg, once, null));
        c.add(new Case("resent sequence number", evil, jpeg, headers("jpeg", now, 50), "DUPLICATE_SEQUENCE"));
        c.add(new Case("capture time 400 days ahead", evil, jpeg, headers("jpeg", now + 400L * 86_400_000, 60),
                "TIMESTAMP_OUT_OF_RANGE"));
        c.add(new Case("capture time in 1970", evil, jpeg, headers("jpeg", 5, 61), "TIMESTAMP_OUT_OF_RANGE"));
        return c;
    }

    private static BufferedImage bgr(BufferedImage img) {
        BufferedImage b = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        b.getGraphics().drawImage(img, 0, 0, null);
        return b;
    }

    private static RecordHeaders headers(String codec, long ts, long seq) {
        RecordHeaders h = new RecordHeaders();
        h.add(FrameHeaders.VERSION, utf8("1"));
        if (codec != null) {
            h.add(FrameHeaders.CODEC, utf8(codec));
        }
        h.add(FrameHeaders.CAPTURE_TS, utf8(Long.toString(ts)));
        h.add(FrameHeaders.SEQUENCE, utf8(Long.toString(seq)));
        return h;
    }

    private static RecordHeaders copy(Iterable<Header> from, Consumer<RecordHeaders> edit) {
        RecordHeaders c = new RecordHeaders();
        from.forEach(x -> c.add(x.key(), x.value()));
        edit.accept(c);
        return c;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
