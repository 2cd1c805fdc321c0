package io.framewise.operators.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.deadletter.DeadLetters;
import io.framewise.operators.frames.FrameHeaders;
import io.framewise.operators.records.DeadLetter;
import io.framewise.operators.records.DeadLetterReason;
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

/**
 * Records that decode but do not fit their camera's stream (docs/bad-inputs.md, "stream-level cases"):
 * a resent sequence number and a clock far off are dead-lettered, a restart and a resolution switch
 * are labeled normally; and dead letters of hostile records stay small enough to be written.
 */
class StreamChecksTest {

    private static final long NOW = 1_790_000_000_000L;
    private static final long DAY = 24 * 3600 * 1000L;

    private static byte[] jpeg;      // 512x341
    private static byte[] otherSize; // 512x600

    private long offset;

    @BeforeAll
    static void fixtures() {
        jpeg = MediaFixtures.jpeg(MediaFixtures.readImage("cat.bmp"), 0.9f);
        otherSize = MediaFixtures.jpeg(MediaFixtures.readImage("grace_hopper.bmp"), 0.9f);
    }

    @Test
    void duplicateSequenceIsDeadLetteredAndARestartIsNot() throws Exception {
        try (var h = harness(DecodeSettings.defaults(224, 224))) {
            h.processElement(record("cam-1", NOW, 5, jpeg), 1);
            h.processElement(record("cam-1", NOW + 40, 5, jpeg), 1);   // resend of 5
            h.processElement(record("cam-2", NOW + 40, 5, jpeg), 1);   // another camera's 5: fine
            h.processElement(record("cam-1", NOW + 80, 6, jpeg), 1);
            h.processElement(record("cam-1", NOW + 120, 0, jpeg), 1);  // producer restarted: sequence from 0
            h.processElement(record("cam-1", NOW + 160, 0, jpeg), 1);  // and resent that one
            assertEquals(List.of("cam-1/5", "cam-2/5", "cam-1/6", "cam-1/0"), h.extractOutputValues().stream()
                    .map(f -> f.camera() + "/" + f.sequence()).toList());
            List<DeadLetter> dead = dead(h);
            assertEquals(List.of("DUPLICATE_SEQUENCE", "DUPLICATE_SEQUENCE"), dead.stream().map(d -> d.reason().name()).toList());
            assertTrue(dead.get(0).message().contains("fw-seq 5"), dead.get(0).message());
            assertArrayEquals(jpeg, dead.get(0).value(), "the resend is kept for inspection");
        }
    }

    @Test
    void captureTimesFarFromTheRecordTimestampAreDeadLettered() throws Exception {
        try (var h = harness(DecodeSettings.defaults(224, 224))) {
            h.processElement(record("cam-1", NOW + 400 * DAY, 1, jpeg), 1);  // clock in the future
            h.processElement(record("cam-1", 0, 2, jpeg), 1);                // clock never set (1970)
            h.processElement(record("cam-1", NOW - 6 * DAY, 3, jpeg), 1);    // replayed old data: fine
            h.processElement(record("cam-1", NOW + 3_600_000, 4, jpeg), 1);  // an hour ahead: fine
            assertEquals(List.of(3L, 4L), h.extractOutputValues().stream().map(ModelFrame::sequence).toList());
            List<DeadLetter> dead = dead(h);
            assertEquals(List.of("TIMESTAMP_OUT_OF_RANGE", "TIMESTAMP_OUT_OF_RANGE"),
                    dead.stream().map(d -> d.reason().name()).toList());
            assertTrue(dead.get(0).message().contains("h from the record's Kafka timestamp"), dead.get(0).message());
        }
    }

    @Test
    void aCameraSwitchingResolutionIsLabeledAtEachSize() throws Exception {
        try (var h = harness(DecodeSettings.defaults(224, 224))) {
            byte[][] seq = {jpeg, otherSize, jpeg, otherSize};
            for (int i = 0; i < seq.length; i++) {
                h.processElement(record("cam-1", NOW + 40L * i, i, seq[i]), 1);
            }
            List<ModelFrame> out = h.extractOutputValues();
            assertEquals(List.of("512x341", "512x600", "512x341", "512x600"),
                    out.stream().map(f -> f.srcWidth() + "x" + f.srcHeight()).toList());
            try (FrameDecoder reference = new FrameDecoder(224, 224)) {
                for (int i = 0; i < seq.length; i++) {
                    byte[] expected = reference.decode(record("x", NOW, i, seq[i]).kafkaHeaders(), seq[i]).frames()
                            .get(0).rgb();
                    assertArrayEquals(expected, out.get(i).pixels(), "frame " + i + " resized from its own size");
                }
            }
            assertTrue(dead(h).isEmpty());
        }
    }

    @Test
    void deadLettersDropWhatWouldNotFitTheDeadLetterTopic() throws Exception {
        int limit = 64 * 1024;
        DecodeSettings s = DecodeSettings.of(224, 224, DecodeLimits.DEFAULTS.withMaxEncodedBytes(limit), 1, 0);
        try (var h = harness(s)) {
            byte[] justOver = Arrays.copyOf(jpeg, limit + 1);
            byte[] farOver = Arrays.copyOf(jpeg, 4 * limit);
            h.processElement(record("cam-1", NOW, 1, justOver), 1);
            h.processElement(record("cam-1", NOW, 2, farOver), 1);
            Map<String, byte[]> bigHeaders = headers(NOW, 3);
            bigHeaders.put("x-padding", new byte[DeadLetter.MAX_HEADER_BYTES]);
            h.processElement(new FrameRecord("cam-1", "cam-1".getBytes(StandardCharsets.UTF_8), new byte[0],
                    bigHeaders, "frames", 0, offset++, NOW), 1);
            List<DeadLetter> dead = dead(h);
            assertEquals(List.of("TOO_LARGE", "TOO_LARGE", "EMPTY"), dead.stream().map(d -> d.reason().name()).toList());
            assertArrayEquals(justOver, dead.get(0).value(), "just over the limit: kept for a replay with a raised limit");
            assertNull(dead.get(1).value());
            assertTrue(dead.get(1).message().contains("value of " + 4 * limit + " bytes not kept"), dead.get(1).message());
            assertTrue(dead.get(2).headers().containsKey(FrameHeaders.SEQUENCE));
            assertTrue(!dead.get(2).headers().containsKey("x-padding"), "headers past the bound are dropped");
        }
        byte[] hugeKey = new byte[10 << 20];
        Arrays.fill(hugeKey, (byte) 'k');
        FrameRecord r = new FrameRecord(FrameRecord.cameraOf(hugeKey), hugeKey, jpeg, headers(NOW, 1), "frames", 0, 7, NOW);
        DeadLetter d = DeadLetter.of(r, DeadLetterReason.MISSING_KEY, FrameRecord.whyNoCamera(hugeKey), NOW);
        assertNull(d.camera());
        assertNull(d.key(), "a 10 MB key is not copied into the dead letter");
        assertArrayEquals(jpeg, d.value());
        assertTrue(d.message().contains("key of " + hugeKey.length + " bytes not kept"), d.message());
    }

    private FrameRecord record(String camera, long ts, long seq, byte[] value) {
        return new FrameRecord(camera, camera.getBytes(StandardCharsets.UTF_8), value, headers(ts, seq), "frames", 0,
                offset++, NOW);
    }

    private static Map<String, byte[]> headers(long ts, long seq) {
        Map<String, byte[]> h = new LinkedHashMap<>();
        h.put(FrameHeaders.VERSION, "1".getBytes(StandardCharsets.UTF_8));
        h.put(FrameHeaders.CODEC, "jpeg".getBytes(StandardCharsets.UTF_8));
        h.put(FrameHeaders.CAPTURE_TS, Long.toString(ts).getBytes(StandardCharsets.UTF_8));
        h.put(FrameHeaders.SEQUENCE, Long.toString(seq).getBytes(StandardCharsets.UTF_8));
        return h;
    }

    private static List<DeadLetter> dead(KeyedOneInputStreamOperatorTestHarness<String, FrameRecord, ModelFrame> h) {
        List<DeadLetter> out = new ArrayList<>();
        var side = h.getSideOutput(DeadLetters.TAG);
        if (side != null) {
            for (StreamRecord<DeadLetter> d : side) {
                out.add(d.getValue());
            }
        }
        return out;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, FrameRecord, ModelFrame> harness(DecodeSettings s)
            throws Exception {
        var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new DecodeFunction(s), FrameRecord::camera,
                Types.STRING);
        h.setup(ModelFrameSerializer.INSTANCE);
        h.open();
        return h;
    }
}
