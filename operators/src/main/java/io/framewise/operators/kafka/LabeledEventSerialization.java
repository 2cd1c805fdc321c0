package io.framewise.operators.kafka;

import io.framewise.operators.records.LabeledEvent;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes labeled events: key = camera (UTF-8, so one camera's events stay in one partition, in
 * order), value = {@link LabeledEventJson}, header {@value #EVENT_ID_HEADER} = the event id.
 */
public final class LabeledEventSerialization implements KafkaRecordSerializationSchema<LabeledEvent> {

    private static final long serialVersionUID = 1L;

    public static final String EVENT_ID_HEADER = "fw-event-id";

    private final String topic;

    public LabeledEventSerialization(String topic) {
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(LabeledEvent e, KafkaSinkContext context, Long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EVENT_ID_HEADER, e.eventId().getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, timestamp, e.camera().getBytes(StandardCharsets.UTF_8),
                LabeledEventJson.toJsonBytes(e), headers);
    }
}
