package io.framewise.operators.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.deadletter.DeadLetters;
import io.framewise.operators.frames.FrameHeaders;
import io.framewise.operators.records.DeadLetter;
import io.framewise.operators.records.FrameRecord;
import io.framewise.operators.records.ModelFrame;
import io.framewise.operators.records.ModelFrameSerializer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DecodeFunction in a keyed operator harness: real JPEGs and H.264 segments from ../shared. */
class DecodeFunctionTest {

    private static byte[] parrotJpeg;
    private static byte[] carSegment; // MPEG-TS, 12 frames of the car video
    private static final int SEGMENT_FRAMES = 12;

    private long nextOffset = 100;

    @BeforeAll
    static void fixtures() throws Exception {
        parrotJpeg = MediaFixtures.jpeg(MediaFixtures.readImage("parrot.jpg"), 0.9f);
        carSegment = MediaFixtures.segment(MediaFixtures.CAR_VIDEO, "mpegts", 0, SEGMENT_FRAMES, 25);
    }

    @Test
    void jpegRecordBecomesOneFrameWithItsProvenance() throws Exception {
        try (var h = harness(DecodeSettings.defaults(224, 224))) {
            FrameRecord r = record("cam-1", headers("jpeg", 1_700_000_000_123L, 41), parrotJpeg);
            h.processElement(r, 5);
            List<ModelFrame> out = h.extractOutputValues();
            assertEquals(1, out.size());
            ModelFrame f = out.get(0);
            assertEquals("cam-1", f.camera());
            assertEquals(41, f.sequence());
            assertEquals(0, f.indexInSegment());
            assertEquals(1, f.framesInSegment());
            assertEquals(1_700_000_000_123L, f.captureTsMs());
            assertEquals(1_700_000_000_123L, f.ptsMs());
            assertEquals("frames", f.topic());
            assertEquals(2, f.partition());
            assertEquals(r.offset(), f.offset());
            assertTrue(f.infer());
            assertTrue(f.decodeNanos() > 0);
            assertTrue(Math.abs(System.currentTimeMillis() - f.decodedAtMs()) < 60_000);
            var img = MediaFixtures.readImage("parrot.jpg");
            assertEquals(img.getWidth(), f.srcWidth());
            assertEquals(img.getHeight(), f.srcHeight());
            try (FrameDecoder reference = new FrameDecoder(224, 224)) {
                byte[] expected = reference.decode(r.kafkaHeaders(), r.value()).frames().get(0).rgb();
                assertArrayEquals(expected, f.pixels(), "the function hands on the decoder's pixels unchanged");
            }
            assertNoDeadLetters(h);
        }
    }

    @Test
    void segmentRecordBecomesItsFramesInOrder() throws Exception {
        try (var h = harness(DecodeSettings.defaults(224, 224))) {
            h.processElement(record("cam-1", headers("mpegts", 1_000_000, 3), carSegment), 5);
            List<ModelFrame> out = h.extractOutputValues();
            assertEquals(SEGMENT_FRAMES, out.size());
            for (int i = 0; i < out.size(); i++) {
                ModelFrame f = out.get(i);
                assertEquals(i, f.indexInSegment());
                assertEquals(SEGMENT_FRAMES, f.framesInSegment());
                assertEquals(3, f.sequence());
                assertEquals(768, f.srcWidth());
                assertEquals(432, f.srcHeight());
                assertEquals(224 * 224 * 3, f.pixels().length);
                // 12.5 fps: one frame every 80 ms after the capture time
                assertEquals(1_000_000 + 80L * i, f.ptsMs(), 1.0);
            }
            assertNoDeadLetters(h);
        }
    }

    @Test
    void everyBadRecordBecomesExactlyOneDeadLetter() throws Exception {
        DecodeSettings settings = DecodeSettings.of(224, 224, DecodeLimits.DEFAULTS.withMaxEncodedBytes(400_000), 1, 0);
        byte[] huge = new byte[400_001];
        System.arraycopy(parrotJpeg, 0, huge, 0, Math.min(parrotJpeg.length, huge.length));
        byte[] truncated = Arrays.copyOf(carSegment, carSegment.length / 2);
        Map<String, byte[]> noTs = headers("jpeg", 0, 1);
        noTs.remove(FrameHeaders.CAPTURE_TS);
        Map<String, byte[]> v9 = headers("jpeg", 0, 1);
        v9.put(FrameHeaders.VERSION, "9".getBytes(StandardCharsets.UTF_8));

        List<FrameRecord> bad = List.of(
                record("cam-1", headers("jpeg", 0, 1), new byte[0]),
                record("cam-1", headers("jpeg", 0, 2), "not a jpeg at all, just text".getBytes(StandardCharsets.UTF_8)),
                record("cam-1", headers("webp", 0, 3), parrotJpeg),
                record("cam-1", v9, parrotJpeg),
                record("cam-1", noTs, parrotJpeg),
                record("cam-1", headers("jpeg", 0, 6), huge),
                record("cam-1", headers("mpegts", 0, 7), truncated));
        List<String> expected = List.of("EMPTY", "CORRUPT_IMAGE", "UNKNOWN_CODEC", "UNSUPPORTED_VERSION", "BAD_HEADER",
                "TOO_LARGE", "TRUNCATED");

        try (var h = harness(settings)) {
            int good = 0;
            for (FrameRecord r : bad) {
                h.processElement(r, 1);
                h.processElement(record("cam-1", headers("jpeg", 0, 100 + good), parrotJpeg), 1);
                good++;
            }
            assertEquals(good, h.extractOutputValues().size(), "every good record between the bad ones decoded");
            List<DeadLetter> dead = new ArrayList<>();
            for (StreamRecord<DeadLetter> d : h.getSideOutput(DeadLetters.TAG)) {
                dead.add(d.getValue());
            }
            assertEquals(bad.size(), dead.size(), () -> "dead letters: " + dead);
            for (int i = 0; i < bad.size(); i++) {
                FrameRecord r = bad.get(i);
                DeadLetter d = dead.get(i);
                assertEquals(expected.get(i), d.reason().name(), d.toString());
                assertArrayEquals(r.key(), d.key());
                assertArrayEquals(r.value(), d.value());
                assertEquals(r.headers().keySet(), d.headers().keySet());
                assertEquals(r.offset(), d.offset());
                assertEquals(r.topic(), d.topic());
                assertEquals(r.partition(), d.partition());
                assertEquals("cam-1", d.camera());
                assertTrue(!d.message().isEmpty());
            }
        }
    }

    @Test
    void inferenceIntervalSamplesEveryNthFramePerCameraAcrossRecords() throws Exception {
        try (var h = harness(DecodeSettings.of(224, 224, DecodeLimits.DEFAULTS, 3, 0))) {
            // cam-1: a 12-frame segment then 2 JPEGs; cam-2: 4 JPEGs interleaved, counted on its own
            h.processElement(record("cam-1", headers("mpegts", 0, 0), carSegment), 1);
            for (int i = 0; i < 4; i++) {
                h.processElement(record("cam-2", headers("jpeg", 80L * i, i), parrotJpeg), 1);
                if (i < 2) {
                    h.processElement(record("cam-1", headers("jpeg", 1_000 + 80L * i, 1 + i), parrotJpeg), 1);
                }
            }
            List<Boolean> cam1 = new ArrayList<>();
            List<Boolean> cam2 = new ArrayList<>();
            for (ModelFrame f : h.extractOutputValues()) {
                (f.camera().equals("cam-1") ? cam1 : cam2).add(f.infer());
            }
            List<Boolean> expected1 = new ArrayList<>();
            for (int i = 0; i < SEGMENT_FRAMES + 2; i++) {
                expected1.add(i % 3 == 0);
            }
            assertEquals(expected1, cam1);
            assertEquals(List.of(true, false, false, true), cam2);
        }
    }

    @Test
    void maxFpsSkipsFramesTooCloseToTheLastInferredOne() throws Exception {
        try (var h = harness(DecodeSettings.of(224, 224, DecodeLimits.DEFAULTS, 1, 5))) {
            // 12.5 fps segment, at most 5 inferred per second: 200 ms apart at least
            h.processElement(record("cam-1", headers("mpegts", 0, 0), carSegment), 1);
            List<Boolean> flags = h.extractOutputValues().stream().map(ModelFrame::infer).toList();
            List<Boolean> expected = new ArrayList<>();
            long last = Long.MIN_VALUE / 2;
            for (int i = 0; i < SEGMENT_FRAMES; i++) {
                long pts = 80L * i;
                boolean infer = pts - last >= 200;
                if (infer) {
                    last = pts;
                }
                expected.add(infer);
            }
            // pts 0, 240, 480, 720: inferred
            assertEquals(List.of(true, false, false, true, false, false, true, false, false, true, false, false),
                    expected);
            assertEquals(expected, flags);
        }
    }

    private FrameRecord record(String camera, Map<String, byte[]> headers, byte[] value) {
        byte[] key = camera.getBytes(StandardCharsets.UTF_8);
        // no Kafka timestamp: the capture times here are small synthetic numbers (StreamChecks skips the clock check)
        return new FrameRecord(camera, key, value, headers, "frames", 2, nextOffset++, -1L);
    }

    private static Map<String, byte[]> headers(String codec, long ts, long seq) {
        Map<String, byte[]> h = new LinkedHashMap<>();
        h.put(FrameHeaders.VERSION, "1".getBytes(StandardCharsets.UTF_8));
        h.put(FrameHeaders.CODEC, codec.getBytes(StandardCharsets.UTF_8));
        h.put(FrameHeaders.CAPTURE_TS, Long.toString(ts).getBytes(StandardCharsets.UTF_8));
        h.put(FrameHeaders.SEQUENCE, Long.toString(seq).getBytes(StandardCharsets.UTF_8));
        return h;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, FrameRecord, ModelFrame> harness(DecodeSettings s)
            throws Exception {
        var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new DecodeFunction(s), FrameRecord::camera,
                Types.STRING);
        h.setup(ModelFrameSerializer.INSTANCE);
        h.open();
        return h;
    }

    private static void assertNoDeadLetters(KeyedOneInputStreamOperatorTestHarness<String, FrameRecord, ModelFrame> h) {
        var dead = h.getSideOutput(DeadLetters.TAG);
        assertTrue(dead == null || dead.isEmpty(), () -> "dead letters: " + dead);
    }
}
