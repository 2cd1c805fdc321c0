package io.framewise.operators.kafka;

import io.framewise.operators.decode.StreamChecks;
import io.framewise.operators.frames.FrameHeaders;
import io.framewise.operators.records.FrameRecord;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/**
 * Event time of a frame record at the source: its capture time ({@code fw-ts}), which is also the
 * first frame's presentation time (a segment's later frames are later still, so none of them is behind
 * a watermark made of this). A record without a readable {@code fw-ts}, or one further than
 * {@link StreamChecks#MAX_CLOCK_SKEW_MS} from its Kafka timestamp (a camera clock never set, a hostile
 * header: such records become dead letters anyway), takes its Kafka timestamp instead, so it cannot
 * drag the watermark days ahead.
 */
public final class CaptureTimestamps implements SerializableTimestampAssigner<FrameRecord> {

    private static final long serialVersionUID = 1L;

    @Override
    public long extractTimestamp(FrameRecord r, long kafkaTimestamp) {
        byte[] ts = r.headers() == null ? null : r.headers().get(FrameHeaders.CAPTURE_TS);
        if (ts == null) {
            return kafkaTimestamp;
        }
        long capture;
        try {
            capture = Long.parseLong(new String(ts, StandardCharsets.UTF_8).trim());
        } catch (NumberFormatException e) {
            return kafkaTimestamp;
        }
        if (capture < 0 || (kafkaTimestamp > 0 && Math.abs(capture - kafkaTimestamp) > StreamChecks.MAX_CLOCK_SKEW_MS)) {
            return kafkaTimestamp;
        }
        return capture;
    }
}
