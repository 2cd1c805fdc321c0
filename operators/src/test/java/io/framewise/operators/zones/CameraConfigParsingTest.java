package io.framewise.operators.zones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.deadletter.DeadLetters;
import io.framewise.operators.records.CameraConfig;
import io.framewise.operators.records.DeadLetter;
import io.framewise.operators.records.DeadLetterReason;
import io.framewise.operators.records.FrameRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** camera-config records: good ones become CameraConfigs, bad ones dead letters with the reason, never a failure. */
class CameraConfigParsingTest {

    static FrameRecord record(String key, String value, long offset) {
        return new FrameRecord(key == null ? null : key, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8), Map.of(), "camera-config", 0, offset, 1000 + offset);
    }

    @Test
    void goodRecordsPassBadOnesAreDeadLetters() throws Exception {
        CameraConfigParsing fn = new CameraConfigParsing();
        try (var h = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(fn))) {
            h.open();
            h.processElement(new StreamRecord<>(record("cam-1",
                    "{\"zones\":[{\"name\":\"door\",\"polygon\":[[0,0],[1,0],[1,1]]}]}", 0)));
            h.processElement(new StreamRecord<>(record("cam-1", "{\"zones\":[{\"name\":\"door\"}]}", 1)));
            h.processElement(new StreamRecord<>(record(null, "{\"zones\":[]}", 2)));
            h.processElement(new StreamRecord<>(record("cam-1", null, 3)));
            List<CameraConfig> configs = h.extractOutputValues();
            assertEquals(List.of("door"), configs.get(0).zones().stream().map(z -> z.name()).toList());
            assertEquals(CameraConfig.none("cam-1", 1003), configs.get(1), "a tombstone removes the zones");
            assertEquals(1000, configs.get(0).sinceMs(), "from the record's timestamp on");
            assertEquals(2, configs.size());
            List<DeadLetter> dead = h.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue).toList();
            assertEquals(2, dead.size());
            assertEquals(DeadLetterReason.BAD_CAMERA_CONFIG, dead.get(0).reason());
            assertTrue(dead.get(0).message().contains("zones[0].polygon"), dead.get(0).message());
            assertEquals(1, dead.get(0).offset());
            assertTrue(dead.get(1).message().contains("no key"), dead.get(1).message());
            assertEquals(2, fn.deadLetters().of(DeadLetterReason.BAD_CAMERA_CONFIG));
        }
    }
}
