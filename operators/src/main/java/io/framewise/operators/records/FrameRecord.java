package io.framewise.operators.records;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One Kafka record as the source read it, before any decoding.
 *
 * @param camera          the key as UTF-8 text; null when the key is missing, not valid UTF-8, empty or
 *                        longer than {@link #MAX_CAMERA_BYTES} (such records are dead-lettered, never keyed)
 * @param key             the raw key bytes (kept for the dead-letter topic), may be null
 * @param value           the media bytes, may be null
 * @param headers         the record headers in arrival order; a repeated name keeps its last value, which
 *                        is the one the frame format reads
 * @param kafkaTimestamp  the record timestamp, epoch milliseconds
 */
@TypeInfo(FrameRecordSerializer.TypeFactory.class)
public record FrameRecord(String camera, byte[] key, byte[] value, Map<String, byte[]> headers, String topic,
                          int partition, long offset, long kafkaTimestamp) {

    /** Longest accepted camera id in UTF-8 bytes: it becomes a Flink key and a Kafka key downstream. */
    public static final int MAX_CAMERA_BYTES = 256;

    /**
     * What a Kafka record needs beyond its value: key, headers and batch framing. Every size a broker,
     * topic, producer or fetch is given is the largest value plus this (a dead letter keeps the record's
     * headers, bounded to {@code DeadLetter.MAX_HEADER_BYTES} = 32 KiB, so 64 KiB covers it).
     */
    public static final int RECORD_HEADROOM_BYTES = 64 * 1024;

    public FrameRecord {
        headers = headers == null ? Collections.emptyMap() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** The camera id a key stands for, or null when the key cannot be one (see {@link #camera}). */
    public static String cameraOf(byte[] key) {
        if (key == null || key.length == 0 || key.length > MAX_CAMERA_BYTES) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Why {@link #cameraOf} returned null for this key: the dead-letter message. */
    public static String whyNoCamera(byte[] key) {
        if (key == null || key.length == 0) {
            return "record has no key (the camera id)";
        }
        if (key.length > MAX_CAMERA_BYTES) {
            return "record key of " + key.length + " bytes is longer than " + MAX_CAMERA_BYTES + " bytes";
        }
        return "record key is not valid UTF-8";
    }

    /** The headers as Kafka headers, for the frame format parser. */
    public Headers kafkaHeaders() {
        RecordHeaders h = new RecordHeaders();
        headers.forEach(h::add);
        return h;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrameRecord r && Objects.equals(camera, r.camera) && Arrays.equals(key, r.key)
                && Arrays.equals(value, r.value) && RecordHeaderMaps.equal(headers, r.headers)
                && Objects.equals(topic, r.topic) && partition == r.partition && offset == r.offset
                && kafkaTimestamp == r.kafkaTimestamp;
    }

    @Override
    public int hashCode() {
        return Objects.hash(camera, topic, partition, offset, kafkaTimestamp) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "FrameRecord[" + camera + " " + topic + "-" + partition + "@" + offset + ", "
                + (value == null ? "null" : value.length + " B") + ", headers=" + headers.keySet() + "]";
    }
}
