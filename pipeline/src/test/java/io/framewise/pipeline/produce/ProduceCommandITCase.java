package io.framewise.pipeline.produce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.decode.SharedData;
import io.framewise.operators.decode.DecodeResult;
import io.framewise.operators.decode.DecodedFrame;
import io.framewise.operators.decode.FrameDecoder;
import io.framewise.operators.frames.FrameHeaders;
import io.framewise.pipeline.cli.CliRun;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code framewise produce} in-process against an embedded broker, read back with read_committed. */
@Timeout(180)
class ProduceCommandITCase {

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    private static final Path SHARED = SharedData.root();
    private static final String CAR = SHARED.resolve("videos/car-detection.mp4").toString();
    private static final int CAR_FRAMES = 377;

    static CliRun produce(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "produce";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.of(all);
    }

    static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static long longHeader(ConsumerRecord<?, ?> r, String name) {
        return Long.parseLong(header(r, name));
    }

    private static String topic() throws Exception {
        String t = EmbeddedKafka.uniqueTopic("frames");
        KAFKA.createTopic(t, 1);
        return t;
    }

    private static List<ConsumerRecord<String, byte[]>> consume(String topic, int expected) {
        return KAFKA.consume(topic, expected, Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    /** Keys, version, sequence 0..n-1 in order. */
    private static void assertSequence(List<ConsumerRecord<String, byte[]>> records, String camera) {
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> r = records.get(i);
            assertEquals(camera, r.key(), "key of record " + i);
            assertEquals("1", header(r, FrameHeaders.VERSION));
            assertEquals(i, longHeader(r, FrameHeaders.SEQUENCE), "sequence of record " + i);
        }
    }

    @Test
    void jpegRoundTrip() throws Exception {
        String topic = topic();
        CliRun run = produce("--bootstrap", KAFKA.bootstrapServers(), "--topic", topic, "--camera", "cam-jpeg", CAR);
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("377 records, 377 frames"), run.out());

        List<ConsumerRecord<String, byte[]>> records = consume(topic, CAR_FRAMES);
        assertEquals(CAR_FRAMES, records.size());
        assertSequence(records, "cam-jpeg");
        long t0 = longHeader(records.get(0), FrameHeaders.CAPTURE_TS);
        assertTrue(Math.abs(System.currentTimeMillis() - t0) < 120_000, "capture time is now-ish: " + t0);
        try (FrameDecoder decoder = new FrameDecoder(224, 224)) {
            for (int i = 0; i < records.size(); i++) {
                ConsumerRecord<String, byte[]> r = records.get(i);
                assertEquals("jpeg", header(r, FrameHeaders.CODEC));
                assertEquals("12.5", header(r, FrameHeaders.FPS));
                assertEquals("768", header(r, FrameHeaders.WIDTH));
                assertEquals("432", header(r, FrameHeaders.HEIGHT));
                // 12.5 fps: frame i was presented 80 ms * i after the first.
                assertEquals(t0 + 80L * i, longHeader(r, FrameHeaders.CAPTURE_TS), "timestamp of record " + i);
                BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.value()));
                assertNotNull(img, "record " + i + " decodes");
                assertEquals(768, img.getWidth());
                assertEquals(432, img.getHeight());
                DecodeResult d = decoder.decode(r.headers(), r.value());
                assertTrue(d.isOk(), "FrameDecoder on record " + i + ": " + d);
                assertEquals(1, d.frames().size());
                assertEquals(768, d.frames().get(0).sourceWidth());
                assertEquals(432, d.frames().get(0).sourceHeight());
            }
        }
    }

    @Test
    void segmentRoundTrip() throws Exception {
        String topic = topic();
        CliRun run = produce("--bootstrap", KAFKA.bootstrapServers(), "--topic", topic, "--camera", "cam-seg",
                "--format", "segment", "--segment-seconds", "2", "--container", "mpegts", CAR);
        assertEquals(0, run.exit(), run.err());

        int ffmpegFrames = framesFfmpegDecodes(CAR);
        assertEquals(CAR_FRAMES, ffmpegFrames, "FFmpeg's frame count for the file");

        // 2 s at 12.5 fps = 25 frames: 15 full segments and one of 2 frames.
        List<ConsumerRecord<String, byte[]>> records = consume(topic, 16);
        assertEquals(16, records.size());
        assertSequence(records, "cam-seg");
        long t0 = longHeader(records.get(0), FrameHeaders.CAPTURE_TS);
        int total = 0;
        int decodedByFrameDecoder = 0;
        try (FrameDecoder decoder = new FrameDecoder(224, 224)) {
            for (int i = 0; i < records.size(); i++) {
                ConsumerRecord<String, byte[]> r = records.get(i);
                assertEquals("mpegts", header(r, FrameHeaders.CODEC));
                assertEquals("12.5", header(r, FrameHeaders.FPS));
                assertEquals(t0 + 2000L * i, longHeader(r, FrameHeaders.CAPTURE_TS), "timestamp of segment " + i);
                int[] framesAndKey = decodeSegment(r.value());
                assertEquals(1, framesAndKey[1], "segment " + i + " starts on a keyframe");
                assertEquals(i < 15 ? 25 : 2, framesAndKey[0], "frames in segment " + i);
                total += framesAndKey[0];

                DecodeResult d = decoder.decode(r.headers(), r.value());
                assertTrue(d.isOk(), "FrameDecoder on segment " + i + ": " + d);
                List<DecodedFrame> frames = d.frames();
                assertTrue(frames.get(0).keyFrame(), "segment " + i + " first decoded frame is a keyframe");
                for (int k = 0; k < frames.size(); k++) {
                    assertEquals(t0 + 2000L * i + 80L * k, frames.get(k).ptsMs(), "segment " + i + " frame " + k);
                }
                decodedByFrameDecoder += frames.size();
            }
        }
        assertEquals(CAR_FRAMES, total);
        assertEquals(CAR_FRAMES, decodedByFrameDecoder);
    }

    @Test
    void imageFolderIsSentUnchangedIncludingABrokenFile(@TempDir Path dir) throws Exception {
        Files.copy(SHARED.resolve("images/cat.bmp"), dir.resolve("01-cat.bmp"));
        Files.copy(SHARED.resolve("images/parrot.jpg"), dir.resolve("02-parrot.jpg"));
        Files.write(dir.resolve("03-broken.jpg"), "not a jpeg at all".getBytes(StandardCharsets.US_ASCII));
        Files.copy(SHARED.resolve("images/hot_dog.jpg"), dir.resolve("04-hot_dog.frame"));
        String topic = topic();
        CliRun run = produce("--bootstrap", KAFKA.bootstrapServers(), "--topic", topic, "--camera", "folder", dir.toString());
        assertEquals(0, run.exit(), run.err());

        List<ConsumerRecord<String, byte[]>> records = consume(topic, 4);
        assertEquals(4, records.size());
        assertSequence(records, "folder");
        String[] names = {"01-cat.bmp", "02-parrot.jpg", "03-broken.jpg", "04-hot_dog.frame"};
        String[] codecs = {"bmp", "jpeg", "jpeg", null};
        try (FrameDecoder decoder = new FrameDecoder(224, 224)) {
            for (int i = 0; i < 4; i++) {
                ConsumerRecord<String, byte[]> r = records.get(i);
                assertArrayEquals(Files.readAllBytes(dir.resolve(names[i])), r.value(), names[i] + " unchanged");
                assertEquals(codecs[i], header(r, FrameHeaders.CODEC), names[i]);
                assertNull(header(r, FrameHeaders.WIDTH), "the producer never decodes images");
                // Downstream: good images decode, the broken one becomes a typed failure (a dead letter).
                assertEquals(i != 2, decoder.decode(r.headers(), r.value()).isOk(), names[i]);
            }
        }
    }

    @Test
    void limitStopsAfterNRecords() throws Exception {
        String topic = topic();
        CliRun run = produce("--bootstrap", KAFKA.bootstrapServers(), "--topic", topic, "--camera", "lim",
                "--limit", "10", "--quality", "60", CAR);
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains(" 10 records, 10 frames"), run.out());
        List<ConsumerRecord<String, byte[]>> records = consume(topic, 10);
        assertEquals(10, records.size());
        assertSequence(records, "lim");
    }

    @Test
    void loopRestartsTheSourceAndKeepsCountingAndTheClockRunning() throws Exception {
        String topic = topic();
        // 16 segments per pass: 40 records = two full passes and 8 segments of the third.
        CliRun run = produce("--bootstrap", KAFKA.bootstrapServers(), "--topic", topic, "--camera", "loop",
                "--format", "segment", "--loop", "--limit", "40", CAR);
        assertEquals(0, run.exit(), run.err());
        List<ConsumerRecord<String, byte[]>> records = consume(topic, 40);
        assertEquals(40, records.size());
        assertSequence(records, "loop");
        long t0 = longHeader(records.get(0), FrameHeaders.CAPTURE_TS);
        long pass = 80L * CAR_FRAMES; // 30.16 s of video per pass
        for (int i = 0; i < 40; i++) {
            int p = i / 16;
            int k = i % 16;
            assertEquals(t0 + p * pass + 2000L * k, longHeader(records.get(i), FrameHeaders.CAPTURE_TS), "record " + i);
        }
        assertEquals(25, decodeSegment(records.get(19).value())[0], "second pass segment 3 is whole");
        assertEquals(2, decodeSegment(records.get(31).value())[0], "second pass ends with the 2-frame tail");
    }

    @Test
    void realtimePacesToTheSourceClock() throws Exception {
        String topic = topic();
        long start = System.nanoTime();
        CliRun run = produce("--bootstrap", KAFKA.bootstrapServers(), "--topic", topic, "--camera", "rt",
                "--realtime", "--limit", "8", CAR);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(0, run.exit(), run.err());
        // The 8th frame is presented 7 * 80 ms after the first: it cannot have been sent earlier.
        assertTrue(elapsedMs >= 560, "took " + elapsedMs + " ms");
        assertEquals(8, consume(topic, 8).size());
    }

    @Test
    void unreachableBrokerFailsFastWithOneClearLine() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String bootstrap = "127.0.0.1:" + port;
        long start = System.nanoTime();
        CliRun run = produce("--bootstrap", bootstrap, "--camera", "x", CAR);
        long elapsedS = (System.nanoTime() - start) / 1_000_000_000;
        assertEquals(2, run.exit());
        assertTrue(elapsedS <= FrameRecordSender.MAX_BLOCK_MS / 1000 + 15, "took " + elapsedS + " s");
        String err = run.err().strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
        assertTrue(err.startsWith("framewise produce: no answer from Kafka at " + bootstrap), err);
    }

    @Test
    void aRecordTheBrokerRejectsStopsTheProducerNamingItsSequence() throws Exception {
        String topic = EmbeddedKafka.uniqueTopic("small");
        // The clip's JPEG frames are about 26 kB at quality 90: the very first one does not fit.
        KAFKA.createTopic(topic, 1, java.util.Map.of("max.message.bytes", "20000"));
        CliRun run = produce("--bootstrap", KAFKA.bootstrapServers(), "--topic", topic, "--camera", "big", CAR);
        assertEquals(2, run.exit(), run.out());
        String err = run.err().strip();
        assertTrue(err.startsWith("framewise produce: record seq 0 (camera 'big', topic '" + topic
                + "') was not delivered"), err);
        assertFalse(err.contains("\n"), "one line: " + err);
        assertFalse(run.out().contains("records/s"), "no success summary: " + run.out());
    }

    @Test
    void aValueOverMaxRecordBytesIsRefusedBeforeSending() throws Exception {
        String topic = topic();
        CliRun run = produce("--bootstrap", KAFKA.bootstrapServers(), "--topic", topic, "--camera", "cap",
                "--max-record-bytes", "10000", CAR);
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("record seq 0 is ") && run.err().contains("over --max-record-bytes 10000"),
                run.err());
        assertEquals(0, consume(topic, 0).size());
    }

    @Test
    void badOptionsAreRejectedBeforeAnythingIsSent() {
        CliRun run = produce("--bootstrap", KAFKA.bootstrapServers(), "--camera", "x", "--quality", "0", CAR);
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("--quality must be 1..100"), run.err());
        CliRun missing = produce("--bootstrap", KAFKA.bootstrapServers(), "--camera", "x", "/no/such/clip.mp4");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("/no/such/clip.mp4"), missing.err());
    }

    static int framesFfmpegDecodes(String file) throws Exception {
        int n = 0;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file)) {
            g.start();
            assertEquals(CAR_FRAMES, g.getLengthInFrames(), "frames the container reports");
            while (g.grabImage() != null) {
                n++;
            }
        }
        return n;
    }

    /** {frames decoded, 1 if the first video packet is a keyframe}. */
    static int[] decodeSegment(byte[] b) throws Exception {
        int key;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(new ByteArrayInputStream(b), b.length)) {
            g.start();
            AVPacket p = g.grabPacket();
            while (p != null && p.stream_index() != g.getVideoStream()) {
                p = g.grabPacket();
            }
            key = p != null && (p.flags() & avcodec.AV_PKT_FLAG_KEY) != 0 ? 1 : 0;
        }
        int frames = 0;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(new ByteArrayInputStream(b), b.length)) {
            g.start();
            Frame f;
            while ((f = g.grabImage()) != null) {
                frames++;
            }
        }
        return new int[] {frames, key};
    }
}
