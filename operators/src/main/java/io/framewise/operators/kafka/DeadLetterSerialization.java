package io.framewise.operators.kafka;

import io.framewise.operators.records.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes dead letters so they can be replayed as they were: the original key, value and headers,
 * plus {@value #REASON_HEADER}, {@value #MESSAGE_HEADER} and {@value #SOURCE_HEADER}
 * ({@code topic/partition/offset}).
 *
 * <p>A dead letter must fit the dead-letter topic: a record over its {@code max.message.bytes} fails
 * the sink, the task restarts, the replay dead-letters the same record again, and the job restarts
 * in a loop. So each time the sink's writer starts it asks the brokers for the topic's limit
 * ({@link TopicRecordLimit}); a dead letter over it is written without its value, with
 * {@value #VALUE_OMITTED_HEADER} (the value's length) and {@value #VALUE_SHA256_HEADER}, so the
 * original can still be found in the input topic by its source offset and checked. Reading the
 * limit at each start means that a limit lowered while the job runs costs one restart, not a loop.
 */
public final class DeadLetterSerialization implements KafkaRecordSerializationSchema<DeadLetter> {

    private static final long serialVersionUID = 1L;

    public static final String REASON_HEADER = "fw-dlq-reason";
    public static final String MESSAGE_HEADER = "fw-dlq-message";
    public static final String SOURCE_HEADER = "fw-dlq-source";
    public static final String VALUE_OMITTED_HEADER = "fw-dlq-value-omitted";
    public static final String VALUE_SHA256_HEADER = "fw-dlq-value-sha256";

    /**
     * What a record costs beyond its key, value and header bytes: the batch header (61 bytes), the
     * record's own varints and attributes, and a varint pair per header; rounded up generously.
     */
    static final int RECORD_OVERHEAD_BYTES = 1024;

    private final String topic;
    private final Properties adminProperties; // null: no limit is asked for (tests of the record format)
    private int topicLimitBytes = Integer.MAX_VALUE; // set again by open() at each start of the writer

    /** Without a limit: for reading the record format in tests. */
    public DeadLetterSerialization(String topic) {
        this(topic, null);
    }

    /** Asks the brokers (through {@code adminProperties}) for the topic's record limit when the writer opens. */
    public DeadLetterSerialization(String topic, Properties adminProperties) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.adminProperties = adminProperties;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        topicLimitBytes = adminProperties == null ? Integer.MAX_VALUE : TopicRecordLimit.of(adminProperties, topic);
    }

    /** Sets the limit directly: what {@link #open} reads from the brokers. */
    DeadLetterSerialization withTopicLimit(int bytes) {
        topicLimitBytes = bytes;
        return this;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext context, Long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        d.headers().forEach(headers::add);
        headers.add(REASON_HEADER, d.reason().name().getBytes(StandardCharsets.UTF_8));
        headers.add(MESSAGE_HEADER, d.message().getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_HEADER, source(d).getBytes(StandardCharsets.UTF_8));
        byte[] value = d.value();
        if (value != null && size(d.key(), value, headers) > topicLimitBytes) {
            headers.add(VALUE_OMITTED_HEADER, Integer.toString(value.length).getBytes(StandardCharsets.UTF_8));
            headers.add(VALUE_SHA256_HEADER, sha256(value).getBytes(StandardCharsets.UTF_8));
            headers.remove(MESSAGE_HEADER);
            headers.add(MESSAGE_HEADER, (d.message() + " [value of " + value.length + " bytes not kept: topic " + topic
                    + " takes records of at most " + topicLimitBytes + " bytes (max.message.bytes)]")
                    .getBytes(StandardCharsets.UTF_8));
            value = null;
        }
        return new ProducerRecord<>(topic, null, timestamp, d.key(), value, headers);
    }

    /** The record's bytes as the broker counts them against {@code max.message.bytes}, over-estimated. */
    static long size(byte[] key, byte[] value, RecordHeaders headers) {
        long n = RECORD_OVERHEAD_BYTES + (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        for (Header h : headers) {
            n += h.key().getBytes(StandardCharsets.UTF_8).length + (h.value() == null ? 0 : h.value().length);
        }
        return n;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The {@value #SOURCE_HEADER} value: {@code topic/partition/offset}. */
    public static String source(DeadLetter d) {
        return d.topic() + "/" + d.partition() + "/" + d.offset();
    }
}
