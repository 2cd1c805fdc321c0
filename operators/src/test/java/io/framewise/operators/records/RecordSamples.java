package io.framewise.operators.records;

import io.framewise.inference.exec.Segmentation;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-built records covering nulls, empties, non-ASCII text and large arrays. */
public final class RecordSamples {

    private RecordSamples() {
    }

    public static Map<String, byte[]> headers(String... kv) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1] == null ? null : kv[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return m;
    }

    public static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    public static FrameRecord[] frameRecords() {
        return new FrameRecord[] {
            new FrameRecord("cam-1", "cam-1".getBytes(StandardCharsets.UTF_8), bytes(5000, 1),
                    headers("fw-version", "1", "fw-codec", "jpeg", "fw-ts", "1700000000000", "fw-seq", "9"),
                    "frames", 3, 123_456_789_012L, 1_700_000_000_001L),
            new FrameRecord(null, new byte[] {(byte) 0xff, (byte) 0xfe}, null, headers(), "frames", 0, 0, -1),
            new FrameRecord(null, null, new byte[0], headers("x-null", null), null, 0, 0, 0),
            new FrameRecord("caméra-ü-東京", "caméra-ü-東京".getBytes(StandardCharsets.UTF_8), bytes(3, 7),
                    headers("b", "2", "a", "1"), "t", Integer.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE),
        };
    }

    public static ModelFrame[] modelFrames() {
        return new ModelFrame[] {
            new ModelFrame("cam-1", 9, 0, 1, 1_700_000_000_000L, 1_700_000_000_000L, "frames", 3, 77, bytes(224 * 224 * 3, 3),
                    768, 432, 1_234_567, 1_700_000_000_050L, true),
            new ModelFrame("cam-2", 0, 11, 25, 5, 885, null, 0, 0, new byte[0], 1, 1, 0, 0, false),
            new ModelFrame("cam-3", 4, 0, 1, 5, 5, "frames", 1, 2, new byte[] {1, 2}, 2, 1, 7, 8, false,
                    new GateReading(0.75, 3.5)),
        };
    }

    /** A segmentation event: background and a person in two regions (values as JSON writes them, rounded). */
    public static LabeledEvent segmentationEvent() {
        var person = new Segmentation.ClassArea(15, "person", 30_000, 0.113991, new int[] {40, 10, 199, 260},
                new double[] {0.0833, 0.037, 0.4167, 0.9667}, List.of(
                        new Segmentation.Region(25_000, 0.094992, new int[] {40, 10, 120, 260},
                                new double[] {0.0833, 0.037, 0.2521, 0.9667}),
                        new Segmentation.Region(5_000, 0.018998, new int[] {150, 100, 199, 200},
                                new double[] {0.3125, 0.3704, 0.4167, 0.7444})));
        var background = new Segmentation.ClassArea(0, "background", 233_169, 0.886009, new int[] {0, 0, 479, 269},
                new double[] {0, 0, 1, 1}, List.of(new Segmentation.Region(233_169, 0.886009,
                        new int[] {0, 0, 479, 269}, new double[] {0, 0, 1, 1})));
        return new LabeledEvent("cam-seg", 12, 3, 1_700_000_000_000L, 1_700_000_000_200L, "frames", 2, 40,
                "deeplabv3_mnv2_pascal_quant.tflite", "a".repeat(64), List.of(), true, "0-3", 2,
                new LabeledEvent.Latency(2, 3, 120.5, 200), null, List.of(background, person), "b".repeat(64));
    }

    public static LabeledEvent[] labeledEvents() {
        return new LabeledEvent[] {
            new LabeledEvent("cam-1", 9, 2, 1_700_000_000_000L, 1_700_000_000_160L, "frames", 3, 77,
                    "mobilenet_v2_1.0_224_quant.tflite", "ab".repeat(32),
                    List.of(new LabeledEvent.Top(89, "macaw", 0.98828125f),
                            new LabeledEvent.Top(24, "great grey owl, great gray owl, Strix nebulosa", 0.00390625f)),
                    true, "0-17", 8, new LabeledEvent.Latency(1.25, 12.5, 33.875, 61)),
            new LabeledEvent("caméra \"quoted\"\n", 0, 0, 0, 0, "t", 0, 0, "m", "0".repeat(64), List.of(), false, "1-1", 1,
                    new LabeledEvent.Latency(0, 0, 0, -3)),
            new LabeledEvent("cam-3", 4, 0, 5, 5, "frames", 1, 2, "m", "0".repeat(64),
                    List.of(new LabeledEvent.Top(1, "goldfish", 0.5f)), false, "0-1", 8,
                    new LabeledEvent.Latency(1, 2, 0, 9), new GateReading(0.75, 3.5)),
            segmentationEvent(),
        };
    }

    public static Episode[] episodes() {
        return new Episode[] {
            new Episode(Episode.Kind.OPEN, "cam-1", "macaw", "score", 1_700_000_000_000L, 1_700_000_000_160L, 3, 2.5,
                    0.99, null, "frames-0-1-0", "frames-0-3-0"),
            new Episode(Episode.Kind.CLOSE, "caméra \"q\"", "person", "area", 5, 4005, 50, 1.5, 0.25,
                    new Box(0.1f, 0.2f, 0.5f, 0.75f), "frames-1-2-3", "frames-1-9-0"),
            new Episode(Episode.Kind.CANDIDATE, "c", "x", null, 0, 0, 1, 0, 0, null, null, null),
            new Episode(Episode.Kind.CLOSE, "cam-1", "person", "area", 10, 810, 5, 2.0, 0.5,
                    new Box(0.2f, 0.6f, 0.4f, 0.9f), "frames-0-1-0", "frames-0-5-0", "walkway"),
        };
    }

    public static CameraStatus[] cameraStatuses() {
        return new CameraStatus[] {
            new CameraStatus("cam-1", CameraStatus.State.STALLED, 1_700_000_010_000L, 1_700_000_000_000L, 10_000),
            new CameraStatus("cam-2", CameraStatus.State.RESUMED, 9, 1, 8),
        };
    }

    public static DeadLetter[] deadLetters() {
        return new DeadLetter[] {
            new DeadLetter("cam-1".getBytes(StandardCharsets.UTF_8), bytes(1000, 5), headers("fw-codec", "jpeg"),
                    DeadLetterReason.CORRUPT_IMAGE, "invalid JPEG data", "frames", 1, 42, "cam-1", 1_700_000_000_000L),
            new DeadLetter(null, null, headers(), DeadLetterReason.MISSING_KEY, "x".repeat(70_000), "frames", 0, 0, null, 0),
        };
    }
}
