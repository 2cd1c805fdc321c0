package io.framewise.operators.records;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A record the job could not turn into events, with the original bytes for replay.
 *
 * @param key      original key bytes (may be null)
 * @param value    original value bytes (may be null)
 * @param headers  original headers in arrival order
 * @param reason   why (routing, decoding or inference)
 * @param message  human-readable detail
 * @param camera   camera id, null when the key was not one
 * @param atMs     when it was dead-lettered, epoch milliseconds
 */
@TypeInfo(DeadLetterSerializer.TypeFactory.class)
public record DeadLetter(byte[] key, byte[] value, Map<String, byte[]> headers, DeadLetterReason reason, String message,
                         String topic, int partition, long offset, String camera, long atMs) {

    public DeadLetter {
        headers = headers == null ? Collections.emptyMap() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        Objects.requireNonNull(reason, "reason");
        message = message == null ? "" : message;
    }

    /** Most header bytes (names and values) a dead letter keeps: it must fit the dead-letter producer's request. */
    public static final int MAX_HEADER_BYTES = 32 * 1024;

    /**
     * A dead letter for a record as read, keeping its key, value and headers, except what would make
     * it unwritable: a key longer than {@link FrameRecord#MAX_CAMERA_BYTES} (never a camera id; a 10 MB
     * key would fail the dead-letter sink and with it the job) and headers past
     * {@link #MAX_HEADER_BYTES}. What was dropped is said in the message.
     */
    public static DeadLetter of(FrameRecord r, DeadLetterReason reason, String message, long atMs) {
        byte[] key = r.key();
        if (key != null && key.length > FrameRecord.MAX_CAMERA_BYTES) {
            message = message + " [key of " + key.length + " bytes not kept]";
            key = null;
        }
        Map<String, byte[]> headers = new LinkedHashMap<>();
        long bytes = 0;
        int dropped = 0;
        for (Map.Entry<String, byte[]> h : r.headers().entrySet()) {
            bytes += h.getKey().length() * 3L + (h.getValue() == null ? 0 : h.getValue().length);
            if (bytes <= MAX_HEADER_BYTES) {
                headers.put(h.getKey(), h.getValue());
            } else {
                dropped++;
            }
        }
        if (dropped > 0) {
            message = message + " [" + dropped + " header(s) past " + MAX_HEADER_BYTES + " bytes not kept]";
        }
        return new DeadLetter(key, r.value(), headers, reason, message, r.topic(), r.partition(), r.offset(),
                r.camera(), atMs);
    }

    /** How far over the job's record limit a dead letter's value may be and still be kept. */
    public static final int VALUE_SLACK_BYTES = 16 * 1024;

    /**
     * The dead letter as the dead-letter sink can take it (record limit + 64 KiB, key and headers
     * already bounded by {@link #of}): without its value when that is over {@code maxRecordBytes} +
     * {@link #VALUE_SLACK_BYTES}. Every operator that dead-letters a source record uses this.
     */
    public DeadLetter withinRecordLimit(int maxRecordBytes) {
        return withoutValueOver(maxRecordBytes + VALUE_SLACK_BYTES);
    }

    /**
     * The same dead letter without the value when it is over {@code maxBytes}, saying so in the message.
     * (A record just over the job's limit keeps its bytes, for a replay with a raised limit.)
     */
    public DeadLetter withoutValueOver(int maxBytes) {
        if (value == null || value.length <= maxBytes) {
            return this;
        }
        return new DeadLetter(key, null, headers, reason, message + " [value of " + value.length + " bytes not kept]",
                topic, partition, offset, camera, atMs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeadLetter d && Arrays.equals(key, d.key) && Arrays.equals(value, d.value)
                && RecordHeaderMaps.equal(headers, d.headers) && reason.equals(d.reason) && message.equals(d.message)
                && Objects.equals(topic, d.topic) && partition == d.partition && offset == d.offset
                && Objects.equals(camera, d.camera) && atMs == d.atMs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(reason, topic, partition, offset, camera);
    }

    @Override
    public String toString() {
        return "DeadLetter[" + reason + " " + topic + "-" + partition + "@" + offset + " camera=" + camera + ": "
                + message + "]";
    }
}
