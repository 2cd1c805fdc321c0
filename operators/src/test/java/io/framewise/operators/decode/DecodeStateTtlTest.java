package io.framewise.operators.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.framewise.operators.frames.FrameHeaders;
import io.framewise.operators.gate.GateSettings;
import io.framewise.operators.isolate.IsolationSettings;
import io.framewise.operators.records.FrameRecord;
import io.framewise.operators.records.ModelFrame;
import io.framewise.operators.records.ModelFrameSerializer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The camera-state TTL of DecodeFunction, seen through sampling: with every 3rd frame inferred, a
 * camera's frame count decides which frames are; a camera whose state expired counts from 0 again.
 */
class DecodeStateTtlTest {

    private static final long TTL = 10_000;
    private static byte[] photo;
    private long offset;

    @BeforeAll
    static void fixtures() {
        photo = MediaFixtures.jpeg(MediaFixtures.readImage("grace_hopper.bmp"), 0.9f);
    }

    @Test
    void aCameraGoneLongerThanTheTtlCountsAfreshOneSeenWithinItKeepsCounting() throws Exception {
        try (var h = harness(null)) {
            // gone: frames at 0 and 5000, then none until long after the TTL; kept: one frame every 9000
            assertEquals(List.of(true, true), frames(h, 0, 0, "gone", "kept"));
            assertEquals(List.of(false, false), frames(h, 5000, 1, "gone", "kept"));
            assertEquals(List.of(false), frames(h, 14_000, 2, "kept"));
            assertEquals(List.of(true), frames(h, 23_000, 3, "kept"), "4th frame of kept: its count survived");
            assertEquals(List.of(true), frames(h, 23_000, 2, "gone"), "3rd frame of gone, but counted as its 1st");
            assertEquals(List.of(false, false), frames(h, 24_000, 4, "kept", "gone"));
        }
    }

    /** State as versions before the TTL wrote it (same names, no TTL): restored into the TTL'd state. */
    @Test
    void aSavepointWithoutTtlRestoresIntoTheTtlState() throws Exception {
        OperatorSubtaskState old;
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new PreTtlDecode()),
                FrameRecord::camera, Types.STRING)) {
            h.setup(ModelFrameSerializer.INSTANCE);
            h.open();
            h.processElement(record("cam-1", 0, 0), 0);
            old = h.snapshot(1, 1);
        }
        try (var h = harness(old)) {
            assertEquals(List.of(false, true), frames(h, 1000, 1, "cam-1", "new"), "cam-1's 2nd frame, new's 1st");
            assertEquals(List.of(false), frames(h, 2000, 2, "cam-1"));
            assertEquals(List.of(true), frames(h, 3000, 3, "cam-1"));
        }
    }

    /** What DecodeFunction kept per camera before the TTL, after one frame (inferred) of a camera. */
    private static final class PreTtlDecode extends KeyedProcessFunction<String, FrameRecord, ModelFrame> {
        private transient ValueState<Long> seen;
        private transient ValueState<Long> pts;
        private transient ValueState<Long> sequence;

        @Override
        public void open(OpenContext openContext) {
            seen = getRuntimeContext().getState(new ValueStateDescriptor<>("frames-seen", Types.LONG));
            pts = getRuntimeContext().getState(new ValueStateDescriptor<>("last-inferred-pts", Types.LONG));
            sequence = getRuntimeContext().getState(new ValueStateDescriptor<>("last-sequence", Types.LONG));
        }

        @Override
        public void processElement(FrameRecord r, Context ctx, Collector<ModelFrame> out) throws Exception {
            seen.update(1L);
            pts.update(0L);
            sequence.update(0L);
        }
    }

    /** One frame of each camera at processing time t (the TTL's clock too); whether each was inferred. */
    private List<Boolean> frames(KeyedOneInputStreamOperatorTestHarness<String, FrameRecord, ModelFrame> h, long t,
                                 long seq, String... cameras) throws Exception {
        h.setStateTtlProcessingTime(t);
        h.setProcessingTime(t);
        for (String c : cameras) {
            h.processElement(record(c, t, seq), t);
        }
        List<Boolean> out = h.extractOutputValues().stream().map(ModelFrame::infer).toList();
        h.getOutput().clear();
        return out;
    }

    private FrameRecord record(String camera, long ts, long seq) {
        Map<String, byte[]> hd = new LinkedHashMap<>();
        hd.put(FrameHeaders.CODEC, "jpeg".getBytes(StandardCharsets.UTF_8));
        hd.put(FrameHeaders.CAPTURE_TS, Long.toString(1_000_000 + ts).getBytes(StandardCharsets.UTF_8));
        hd.put(FrameHeaders.SEQUENCE, Long.toString(seq).getBytes(StandardCharsets.UTF_8));
        return new FrameRecord(camera, camera.getBytes(StandardCharsets.UTF_8), photo, hd, "frames", 0, offset++, -1L);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, FrameRecord, ModelFrame> harness(
            OperatorSubtaskState restore) throws Exception {
        DecodeFunction fn = new DecodeFunction(DecodeSettings.of(224, 224, DecodeLimits.DEFAULTS, 3, 0), 16,
                GateSettings.OFF, IsolationSettings.defaults("ttl-test"), TTL);
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(fn), FrameRecord::camera,
                Types.STRING);
        h.setup(ModelFrameSerializer.INSTANCE);
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }
}
