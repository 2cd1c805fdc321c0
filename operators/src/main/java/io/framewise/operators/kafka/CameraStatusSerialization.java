package io.framewise.operators.kafka;

import io.framewise.operators.records.CameraStatus;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes camera status records: key = camera (UTF-8), value = {@link CameraStatusJson}. */
public final class CameraStatusSerialization implements KafkaRecordSerializationSchema<CameraStatus> {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public CameraStatusSerialization(String topic) {
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(CameraStatus s, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, timestamp, s.camera().getBytes(StandardCharsets.UTF_8),
                CameraStatusJson.toJsonBytes(s));
    }
}
