package io.framewise.operators.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.framewise.operators.deadletter.DeadLetters;
import io.framewise.operators.frames.FrameHeaders;
import io.framewise.operators.records.DeadLetterReason;
import io.framewise.operators.records.FrameRecord;
import io.framewise.operators.records.ModelFrameSerializer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DecodeFunction's metrics in the keyed harness, on a real JPEG and a real H.264 segment. */
class DecodeMetricsTest {

    private static byte[] parrotJpeg;
    private static byte[] carSegment; // MPEG-TS, 12 frames of the car video

    private long nextOffset;

    @BeforeAll
    static void fixtures() throws Exception {
        parrotJpeg = MediaFixtures.jpeg(MediaFixtures.readImage("parrot.jpg"), 0.9f);
        carSegment = MediaFixtures.segment(MediaFixtures.CAR_VIDEO, "mpegts", 0, 12, 25);
    }

    @Test
    void framesDecodedCountFramesAndFailuresCountPerReason() throws Exception {
        DecodeFunction fn = new DecodeFunction(DecodeSettings.defaults(224, 224));
        try (var h = harness(fn)) {
            h.processElement(record("cam-1", "mpegts", carSegment), 1);
            h.processElement(record("cam-1", "jpeg", parrotJpeg), 1);
            h.processElement(record("cam-1", "jpeg", new byte[0]), 1);
            h.processElement(record("cam-2", "jpeg", new byte[0]), 1);
            h.processElement(record("cam-2", "webp", parrotJpeg), 1);

            DecodeMetrics m = fn.metrics();
            assertEquals(13, h.extractOutputValues().size());
            assertEquals(13, m.framesDecoded(), "a segment counts its 12 frames");
            assertEquals(3, m.failures());
            assertEquals(2, m.failures(DeadLetterReason.EMPTY));
            assertEquals(1, m.failures(DeadLetterReason.UNKNOWN_CODEC));
            assertEquals(0, m.failures(DeadLetterReason.TRUNCATED));
            assertEquals(h.getSideOutput(DeadLetters.TAG).size(), m.deadLetters().total());
            assertEquals(2, m.deadLetters().of(DeadLetterReason.EMPTY));
            assertEquals(1, m.deadLetters().of(DeadLetterReason.UNKNOWN_CODEC));
            assertEquals(13, m.cameras().framesOf("cam-1"));
            assertEquals(0, m.cameras().framesOf("cam-2"), "cam-2 sent nothing decodable");
            assertEquals(2, m.cameras().tracked());
        }
    }

    @Test
    void camerasPastTheLimitShareTheOtherGroup() throws Exception {
        DecodeFunction fn = new DecodeFunction(DecodeSettings.defaults(224, 224), 2);
        try (var h = harness(fn)) {
            for (String cam : new String[] {"cam-a", "cam-b", "cam-c", "cam-d", "cam-a"}) {
                h.processElement(record(cam, "jpeg", parrotJpeg), 1);
            }
            CameraMetrics c = fn.metrics().cameras();
            assertEquals(2, c.tracked(), "only the first two cameras get their own series");
            assertEquals(2, c.framesOf("cam-a"));
            assertEquals(1, c.framesOf("cam-b"));
            assertEquals(2, c.framesOf("cam-c"), "cam-c and cam-d are counted together");
            assertEquals(c.framesOf("cam-c"), c.framesOf(CameraMetrics.OTHER));
        }
    }

    private FrameRecord record(String camera, String codec, byte[] value) {
        Map<String, byte[]> h = new LinkedHashMap<>();
        h.put(FrameHeaders.VERSION, "1".getBytes(StandardCharsets.UTF_8));
        h.put(FrameHeaders.CODEC, codec.getBytes(StandardCharsets.UTF_8));
        h.put(FrameHeaders.CAPTURE_TS, Long.toString(1_700_000_000_000L + nextOffset * 1000).getBytes(StandardCharsets.UTF_8));
        h.put(FrameHeaders.SEQUENCE, Long.toString(nextOffset).getBytes(StandardCharsets.UTF_8));
        return new FrameRecord(camera, camera.getBytes(StandardCharsets.UTF_8), value, h, "frames", 0, nextOffset++,
                1_700_000_000_000L + nextOffset * 1000);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, FrameRecord, ?> harness(DecodeFunction fn)
            throws Exception {
        var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(fn, FrameRecord::camera, Types.STRING);
        h.setup(ModelFrameSerializer.INSTANCE);
        h.open();
        return h;
    }
}
