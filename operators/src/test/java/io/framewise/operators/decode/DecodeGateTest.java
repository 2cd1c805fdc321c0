package io.framewise.operators.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.frames.FrameHeaders;
import io.framewise.operators.gate.GateSettings;
import io.framewise.operators.records.FrameRecord;
import io.framewise.operators.records.ModelFrame;
import io.framewise.operators.records.ModelFrameSerializer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The change gate in DecodeFunction: real JPEGs of a shared photo, event time from fw-ts. */
class DecodeGateTest {

    private static final GateSettings GATE = new GateSettings(true, 2.0, 8.0, 1000);

    private static byte[] photo;
    private static byte[] photoWithSmallObject;
    private long nextOffset;

    @BeforeAll
    static void fixtures() {
        BufferedImage img = MediaFixtures.readImage("grace_hopper.bmp");
        photo = MediaFixtures.jpeg(img, 0.9f);
        BufferedImage copy = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = copy.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.setColor(Color.WHITE); // an object of 1/12 x 1/12 of the picture in one corner
        g.fillRect(img.getWidth() / 40, img.getHeight() / 40, img.getWidth() / 12, img.getHeight() / 12);
        g.dispose();
        photoWithSmallObject = MediaFixtures.jpeg(copy, 0.9f);
    }

    @Test
    void identicalFramesAreGatedWithTheirDifference() throws Exception {
        DecodeFunction fn = new DecodeFunction(DecodeSettings.defaults(224, 224), 16, GATE);
        try (var h = harness(fn, null)) {
            for (int i = 0; i < 4; i++) {
                h.processElement(record(i * 100, i, photo), i);
            }
            List<ModelFrame> out = h.extractOutputValues();
            assertEquals(List.of(true, false, false, false), out.stream().map(ModelFrame::infer).toList());
            assertNull(out.get(0).gate());
            assertEquals(0.0, out.get(1).gate().difference());
            assertEquals(3, fn.metrics().cameras().gatedOf("cam-1"));
        }
    }

    @Test
    void aSmallObjectEnteringOneBlockIsInferred() throws Exception {
        try (var h = harness(GATE)) {
            h.processElement(record(0, 0, photo), 0);
            h.processElement(record(100, 1, photoWithSmallObject), 1);
            h.processElement(record(200, 2, photoWithSmallObject), 2);
            List<ModelFrame> out = h.extractOutputValues();
            assertEquals(List.of(true, true, false), out.stream().map(ModelFrame::infer).toList());
        }
    }

    @Test
    void maxSkipForcesInferenceOnEventTime() throws Exception {
        try (var h = harness(GATE)) {
            for (int i = 0; i < 6; i++) {
                h.processElement(record(i * 400, i, photo), i); // 0 400 800 | 1200 1600 2000 | ...
            }
            assertEquals(List.of(true, false, false, true, false, false),
                    h.extractOutputValues().stream().map(ModelFrame::infer).toList());
        }
    }

    @Test
    void offByDefaultEveryFrameIsInferred() throws Exception {
        try (var h = harness(GateSettings.OFF)) {
            for (int i = 0; i < 3; i++) {
                h.processElement(record(i * 100, i, photo), i);
            }
            assertTrue(h.extractOutputValues().stream().allMatch(f -> f.infer() && f.gate() == null));
        }
    }

    @Test
    void theReferenceFrameSurvivesARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(GATE)) {
            h.processElement(record(0, 0, photo), 0);
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(GATE, snapshot)) {
            h.processElement(record(100, 1, photo), 1);
            ModelFrame f = h.extractOutputValues().get(0);
            assertNotNull(f.gate(), "gated against the restored reference: " + f);
        }
    }

    private FrameRecord record(long ts, long seq, byte[] jpeg) {
        Map<String, byte[]> h = new LinkedHashMap<>();
        h.put(FrameHeaders.CODEC, "jpeg".getBytes(StandardCharsets.UTF_8));
        h.put(FrameHeaders.CAPTURE_TS, Long.toString(1_000_000 + ts).getBytes(StandardCharsets.UTF_8));
        h.put(FrameHeaders.SEQUENCE, Long.toString(seq).getBytes(StandardCharsets.UTF_8));
        return new FrameRecord("cam-1", "cam-1".getBytes(StandardCharsets.UTF_8), jpeg, h, "frames", 0, nextOffset++,
                -1L);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, FrameRecord, ModelFrame> harness(GateSettings g)
            throws Exception {
        return harness(g, null);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, FrameRecord, ModelFrame> harness(GateSettings g,
            OperatorSubtaskState restore) throws Exception {
        return harness(new DecodeFunction(DecodeSettings.defaults(224, 224), 16, g), restore);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, FrameRecord, ModelFrame> harness(DecodeFunction fn,
            OperatorSubtaskState restore) throws Exception {
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
