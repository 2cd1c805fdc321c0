package io.framewise.operators.kafka;

import io.framewise.operators.records.Episode;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes episode records: key = camera (UTF-8), value = {@link EpisodeJson}. */
public final class EpisodeSerialization implements KafkaRecordSerializationSchema<Episode> {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public EpisodeSerialization(String topic) {
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(Episode e, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, timestamp, e.camera().getBytes(StandardCharsets.UTF_8),
                EpisodeJson.toJsonBytes(e));
    }
}
