package io.framewise.operators.decode;

import io.framewise.operators.frames.FrameHeaders;
import io.framewise.operators.frames.FrameRecordMeta;
import io.framewise.operators.records.DeadLetterReason;

/**
 * Checks of a decoded record against its camera's stream, not its bytes: a record can be a perfect
 * JPEG and still be a resend or carry a clock that is years off.
 *
 * <p>Duplicates: only a repeat of the camera's last accepted {@code fw-seq} counts. A lower number
 * is taken as a producer restart (sequences start at 0 again), as the sampling in
 * {@link DecodeFunction} takes a backwards clock, so a restarting camera is never dead-lettered.
 *
 * <p>Clock: {@code fw-ts} is compared with the Kafka record timestamp (set when the record was
 * produced, or appended), not with the job's wall clock, so replaying last month's topic is fine while
 * a camera whose clock says 1970 or 2100 is not: its capture times would drive sampling and latency.
 */
public final class StreamChecks {

    /** Largest accepted distance between {@code fw-ts} and the record's Kafka timestamp: 7 days. */
    public static final long MAX_CLOCK_SKEW_MS = 7L * 24 * 3600 * 1000;

    private StreamChecks() {
    }

    /**
     * @param kafkaTimestampMs the record's Kafka timestamp; 0 or negative when it has none (-1 is Kafka's
     *                         NO_TIMESTAMP, 0 what tools write without a clock): not checked then
     * @param lastSequence     the camera's last accepted {@code fw-seq}, null before its first record
     * @return null when the record is acceptable, else why not
     */
    public static DecodeFailure check(FrameRecordMeta meta, long kafkaTimestampMs, Long lastSequence) {
        if (kafkaTimestampMs > 0 && Math.abs(meta.captureTsMs() - kafkaTimestampMs) > MAX_CLOCK_SKEW_MS) {
            return new DecodeFailure(DeadLetterReason.TIMESTAMP_OUT_OF_RANGE, FrameHeaders.CAPTURE_TS + " "
                    + meta.captureTsMs() + " is " + (meta.captureTsMs() - kafkaTimestampMs) / 3_600_000
                    + " h from the record's Kafka timestamp " + kafkaTimestampMs + " (limit "
                    + MAX_CLOCK_SKEW_MS / 3_600_000 + " h)");
        }
        if (lastSequence != null && meta.sequence() == lastSequence) {
            return new DecodeFailure(DeadLetterReason.DUPLICATE_SEQUENCE, FrameHeaders.SEQUENCE + " " + meta.sequence()
                    + " repeats the camera's last accepted record (a resend: its frames were already labeled)");
        }
        return null;
    }
}
