package io.framewise.operators.kafka;

import io.framewise.operators.records.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes dead letters so they can be replayed as they were: the original key, value and headers,
 * plus {@value #REASON_HEADER}, {@value #MESSAGE_HEADER} and {@value #SOURCE_HEADER}
 * ({@code topic/partition/offset}).
 */
public final class DeadLetterSerialization implements KafkaRecordSerializationSchema<DeadLetter> {

    private static final long serialVersionUID = 1L;

    public static final String REASON_HEADER = "fw-dlq-reason";
    public static final String MESSAGE_HEADER = "fw-dlq-message";
    public static final String SOURCE_HEADER = "fw-dlq-source";

    private final String topic;

    public DeadLetterSerialization(String topic) {
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext context, Long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        d.headers().forEach(headers::add);
        headers.add(REASON_HEADER, d.reason().name().getBytes(StandardCharsets.UTF_8));
        headers.add(MESSAGE_HEADER, d.message().getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_HEADER, source(d).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, timestamp, d.key(), d.value(), headers);
    }

    /** The {@value #SOURCE_HEADER} value: {@code topic/partition/offset}. */
    public static String source(DeadLetter d) {
        return d.topic() + "/" + d.partition() + "/" + d.offset();
    }
}
