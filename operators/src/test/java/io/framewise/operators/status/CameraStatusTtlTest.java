package io.framewise.operators.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.framewise.operators.records.CameraStatus;
import io.framewise.operators.records.CameraStatusSerializer;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** The camera-state TTL of camera status: processing time (and the TTL's clock) under the test's control. */
class CameraStatusTtlTest {

    private static final long STALL = 1000;
    private static final long TTL = 10_000;

    @Test
    void aCameraGoneLongerThanTheTtlStartsAfreshOneSeenWithinItKeepsItsState() throws Exception {
        try (var h = harness(new CameraStatusFunction(STALL, TTL), null)) {
            at(h, 0);
            h.processElement("gone", 0);
            h.processElement("busy", 0);
            // busy sends every 500 ms for twice the TTL; gone stalls and is reported before its state expires
            for (long t = 500; t <= 2 * TTL; t += 500) {
                at(h, t);
                h.processElement("busy", t);
            }
            assertEquals(List.of("gone STALLED gap 1000"), lines(h));
            // gone's state was last touched by its stall timer at 1000: expired since 11000
            at(h, 2 * TTL + 100);
            h.processElement("gone", 2 * TTL + 100);
            assertEquals(List.of(), lines(h), "no RESUMED: its state (stalled, last seen) expired");
            // busy's state, written first at 0, outlived the TTL because it kept being used: its stall and
            // resume still know its last record; gone is watched again from its new record
            at(h, 2 * TTL + STALL);
            assertEquals(List.of("busy STALLED gap 1000"), lines(h));
            at(h, 2 * TTL + 3000);
            h.processElement("busy", 2 * TTL + 3000);
            assertEquals(List.of("busy RESUMED gap 3000", "gone STALLED gap 1000"), lines(h).stream().sorted().toList());
        }
    }

    @Test
    void theTtlMustOutliveTheStallLimit() {
        assertThrows(IllegalArgumentException.class, () -> new CameraStatusFunction(STALL, STALL));
    }

    /** State as versions before the TTL wrote it (same names, no TTL): restored into the TTL'd state. */
    @Test
    void aSavepointWithoutTtlRestoresIntoTheTtlState() throws Exception {
        OperatorSubtaskState old;
        try (var h = harness(new PreTtlStatus(), null)) {
            at(h, 0);
            h.processElement("cam-1", 0);
            old = h.snapshot(1, 1);
        }
        try (var h = harness(new CameraStatusFunction(STALL, TTL), old)) {
            at(h, 4000);
            h.processElement("cam-1", 4000);
            assertEquals(List.of("cam-1 RESUMED gap 3000"), lines(h), "stalled at 1000 by the old version");
            at(h, 4000 + STALL);
            assertEquals(List.of("cam-1 STALLED gap 1000"), lines(h));
        }
    }

    /** What CameraStatusFunction kept per camera before the TTL: a camera stalled at 1000 after a record at 1000. */
    private static final class PreTtlStatus extends KeyedProcessFunction<String, String, CameraStatus> {
        private transient org.apache.flink.api.common.state.ValueState<Long> lastSeen;
        private transient org.apache.flink.api.common.state.ValueState<Boolean> stalled;

        @Override
        public void open(OpenContext openContext) {
            lastSeen = getRuntimeContext().getState(new ValueStateDescriptor<>("status-last-seen", Types.LONG));
            stalled = getRuntimeContext().getState(new ValueStateDescriptor<>("status-stalled", Types.BOOLEAN));
        }

        @Override
        public void processElement(String camera, Context ctx, Collector<CameraStatus> out) throws Exception {
            lastSeen.update(1000L);
            stalled.update(true);
        }
    }

    /** Processing time and the state TTL's clock move together, as on a TaskManager. */
    private static void at(KeyedOneInputStreamOperatorTestHarness<String, String, CameraStatus> h, long t)
            throws Exception {
        h.setStateTtlProcessingTime(t);
        h.setProcessingTime(t);
    }

    private static List<String> lines(KeyedOneInputStreamOperatorTestHarness<String, String, CameraStatus> h) {
        List<String> out = h.extractOutputValues().stream()
                .map(s -> s.camera() + " " + s.state() + " gap " + s.gapMs()).toList();
        h.getOutput().clear();
        return out;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, String, CameraStatus> harness(
            KeyedProcessFunction<String, String, CameraStatus> fn, OperatorSubtaskState state) throws Exception {
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
