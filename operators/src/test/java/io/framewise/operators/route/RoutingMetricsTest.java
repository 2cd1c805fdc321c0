package io.framewise.operators.route;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.framewise.operators.deadletter.DeadLetters;
import io.framewise.operators.records.DeadLetterReason;
import io.framewise.operators.records.FrameRecord;
import io.framewise.operators.records.RecordSamples;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class RoutingMetricsTest {

    @Test
    void everyRecordCountsInAndKeylessOnesAsDeadLetters() throws Exception {
        FrameRecord[] samples = RecordSamples.frameRecords(); // [0] and [3] have a camera, [1] and [2] not
        RecordRouting routing = new RecordRouting(1 << 20);
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(routing)) {
            for (FrameRecord r : samples) {
                h.processElement(r, 1);
            }
            assertEquals(4, routing.metrics().framesIn());
            assertEquals(2, routing.metrics().deadLetters().total());
            assertEquals(2, routing.metrics().deadLetters().of(DeadLetterReason.MISSING_KEY));
            assertEquals(h.getSideOutput(DeadLetters.TAG).size(),
                    routing.metrics().deadLetters().total());
        }
    }
}
