package io.framewise.operators.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.deadletter.DeadLetters;
import io.framewise.operators.records.DeadLetter;
import io.framewise.operators.records.DeadLetterReason;
import io.framewise.operators.records.FrameRecord;
import io.framewise.operators.records.RecordSamples;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class RecordRoutingTest {

    @Test
    void recordsWithoutACameraAreDeadLetteredBeforeKeyBy() throws Exception {
        FrameRecord[] samples = RecordSamples.frameRecords(); // [0] and [3] have a camera, [1] and [2] not
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(new RecordRouting(1 << 20))) {
            for (FrameRecord r : samples) {
                h.processElement(r, 1);
            }
            assertEquals(List.of(samples[0], samples[3]), h.extractOutputValues());
            List<DeadLetter> dead = h.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue)
                    .toList();
            assertEquals(2, dead.size());
            for (int i = 0; i < 2; i++) {
                FrameRecord r = samples[i + 1];
                DeadLetter d = dead.get(i);
                assertEquals(DeadLetterReason.MISSING_KEY, d.reason());
                assertEquals(r.offset(), d.offset());
                assertEquals(r.topic(), d.topic());
                assertEquals(null, d.camera());
                assertEquals(DeadLetter.of(r, DeadLetterReason.MISSING_KEY, d.message(), d.atMs()), d);
            }
            assertEquals("record key is not valid UTF-8", dead.get(0).message());
            assertEquals("record has no key (the camera id)", dead.get(1).message());
        }
    }

    @Test
    void aKeylessRecordFarOverTheLimitIsDeadLetteredWithoutItsValue() throws Exception {
        int limit = 1000;
        FrameRecord near = new FrameRecord(null, null, new byte[limit + DeadLetter.VALUE_SLACK_BYTES], null, "frames", 0, 1, -1);
        FrameRecord far = new FrameRecord(null, null, new byte[limit + DeadLetter.VALUE_SLACK_BYTES + 1], null, "frames", 0, 2, -1);
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(new RecordRouting(limit))) {
            h.processElement(near, 1);
            h.processElement(far, 2);
            List<DeadLetter> dead = h.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue)
                    .toList();
            assertEquals(2, dead.size());
            assertEquals(limit + DeadLetter.VALUE_SLACK_BYTES, dead.get(0).value().length, "kept for a replay");
            assertEquals(null, dead.get(1).value(), "the dead-letter sink could not take it");
            assertTrue(dead.get(1).message().contains("not kept"), dead.get(1).message());
        }
    }
}
