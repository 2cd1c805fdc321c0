package io.framewise.operators.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.framewise.operators.records.CameraStatus;
import io.framewise.operators.records.CameraStatusSerializer;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Camera status on processing time under the test's control. */
class CameraStatusFunctionTest {

    @Test
    void stalledAfterTheLimitThenResumedWithTheGap() throws Exception {
        CameraStatusFunction fn = new CameraStatusFunction(1000);
        try (var h = harness(fn, null)) {
            for (long t = 0; t <= 900; t += 100) {
                h.setProcessingTime(t);
                h.processElement("cam-1", t);
            }
            h.setProcessingTime(1899);
            assertEquals(List.of(), lines(h), "900 ms of silence only");
            h.setProcessingTime(1900);
            h.setProcessingTime(5000);
            assertEquals(List.of("cam-1 STALLED gap 1000"), lines(h));
            h.processElement("cam-1", 5000);
            assertEquals(List.of("cam-1 RESUMED gap 4100"), lines(h));
            assertEquals(1, fn.changes(CameraStatus.State.STALLED));
            assertEquals(1, fn.changes(CameraStatus.State.RESUMED));
        }
    }

    @Test
    void aCameraNeverSeenIsNeverStalledAndAStallIsReportedOnce() throws Exception {
        try (var h = harness(new CameraStatusFunction(1000), null)) {
            h.setProcessingTime(0);
            h.processElement("cam-1", 0);
            h.setProcessingTime(60_000);
            assertEquals(List.of("cam-1 STALLED gap 1000"), lines(h));
        }
    }

    @Test
    void aRestoredJobRemembersAStalledCamera() throws Exception {
        OperatorSubtaskState snap;
        try (var h = harness(new CameraStatusFunction(1000), null)) {
            h.setProcessingTime(0);
            h.processElement("cam-1", 0);
            h.setProcessingTime(1000);
            assertEquals(List.of("cam-1 STALLED gap 1000"), lines(h));
            snap = h.snapshot(1, 1);
        }
        try (var h = harness(new CameraStatusFunction(1000), snap)) {
            h.setProcessingTime(3000);
            h.processElement("cam-1", 3000);
            assertEquals(List.of("cam-1 RESUMED gap 3000"), lines(h));
        }
    }

    private static List<String> lines(KeyedOneInputStreamOperatorTestHarness<String, String, CameraStatus> h) {
        List<String> out = h.extractOutputValues().stream()
                .map(s -> s.camera() + " " + s.state() + " gap " + s.gapMs()).toList();
        h.getOutput().clear();
        return out;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, String, CameraStatus> harness(
            CameraStatusFunction fn, OperatorSubtaskState state) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(fn), (String c) -> c,
                Types.STRING);
        h.setup(CameraStatusSerializer.INSTANCE);
        if (state != null) {
            h.initializeState(state);
        }
        h.open();
        return h;
    }
}
