package io.framewise.operators.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.decode.DecodeFunction;
import io.framewise.operators.decode.DecodeLimits;
import io.framewise.operators.decode.DecodeSettings;
import io.framewise.operators.decode.MediaFixtures;
import io.framewise.operators.frames.FrameHeaders;
import io.framewise.operators.records.FrameRecord;
import io.framewise.operators.records.LabeledEvent;
import io.framewise.operators.records.LabeledEventSerializer;
import io.framewise.operators.records.ModelFrame;
import io.framewise.operators.records.ModelFrameSerializer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * Decode and inference back to back (as chained in the job): lossless PNG records of the shared
 * photos, every other frame sampled, labeled with TFLite's reference top-1.
 */
class DecodeToInferenceTest {

    private static final List<String> PHOTOS = List.of("parrot.jpg", "bird.bmp", "cat.bmp", "hot_dog.jpg",
            "grace_hopper.bmp", "dragonfly.bmp");

    @Test
    void decodedPhotosGetTheReferenceLabels() throws Exception {
        var settings = DecodeSettings.of(Photos.SIZE, Photos.SIZE, DecodeLimits.DEFAULTS, 2, 0);
        try (var decode = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new DecodeFunction(settings),
                FrameRecord::camera, Types.STRING);
             var infer = new OneInputStreamOperatorTestHarness<>(new BatchInferenceOperator(
                     new InferenceSettings(Photos.MODEL, null, 3, 4, 40, 1, false)), ModelFrameSerializer.INSTANCE)) {
            decode.setup(ModelFrameSerializer.INSTANCE);
            decode.open();
            infer.setup(LabeledEventSerializer.INSTANCE);
            infer.open();
            // each photo twice in a row: the second copy is the one sampling skips
            for (int i = 0; i < PHOTOS.size() * 2; i++) {
                byte[] png = MediaFixtures.encode(MediaFixtures.readImage(PHOTOS.get(i / 2)), "png");
                decode.processElement(record("cam-1", i, png), i);
            }
            for (StreamRecord<? extends ModelFrame> f : decode.extractOutputStreamRecords()) {
                infer.processElement(new StreamRecord<>(f.getValue(), f.getTimestamp()));
            }
            infer.endInput();

            List<LabeledEvent> events = infer.extractOutputValues();
            assertEquals(PHOTOS.size() * 2, events.size());
            for (int i = 0; i < events.size(); i++) {
                LabeledEvent e = events.get(i);
                assertEquals(i, e.sequence());
                assertEquals("frames-0-" + i + "-0", e.eventId());
                assertEquals(Photos.referenceTop1(PHOTOS.get(i / 2)), e.top().get(0).label(), "frame " + i);
                if (i % 2 == 0) {
                    assertTrue(e.inferred());
                } else {
                    assertFalse(e.inferred());
                    assertEquals(events.get(i - 1).top(), e.top());
                }
            }
        }
    }

    private static FrameRecord record(String camera, long seq, byte[] value) {
        Map<String, byte[]> h = new LinkedHashMap<>();
        h.put(FrameHeaders.CODEC, "png".getBytes(StandardCharsets.UTF_8));
        h.put(FrameHeaders.CAPTURE_TS, Long.toString(1_700_000_000_000L + 40 * seq).getBytes(StandardCharsets.UTF_8));
        h.put(FrameHeaders.SEQUENCE, Long.toString(seq).getBytes(StandardCharsets.UTF_8));
        return new FrameRecord(camera, camera.getBytes(StandardCharsets.UTF_8), value, h, "frames", 0, seq, 0);
    }
}
