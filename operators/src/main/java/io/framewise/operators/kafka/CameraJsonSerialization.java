package io.framewise.operators.kafka;

import io.framewise.operators.records.CameraStatus;
import io.framewise.operators.records.Episode;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes the job's small JSON records keyed by camera (UTF-8, so a camera's records stay in one
 * partition, in order): episodes ({@link EpisodeJson}) and camera status ({@link CameraStatusJson}).
 */
public final class CameraJsonSerialization<T> implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final SerializableFunction<T, String> camera;
    private final SerializableFunction<T, byte[]> json;

    private CameraJsonSerialization(String topic, SerializableFunction<T, String> camera,
                                    SerializableFunction<T, byte[]> json) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.camera = camera;
        this.json = json;
    }

    public static CameraJsonSerialization<Episode> episodes(String topic) {
        return new CameraJsonSerialization<>(topic, Episode::camera, EpisodeJson::toJsonBytes);
    }

    public static CameraJsonSerialization<CameraStatus> cameraStatus(String topic) {
        return new CameraJsonSerialization<>(topic, CameraStatus::camera, CameraStatusJson::toJsonBytes);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T record, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, timestamp, camera.apply(record).getBytes(StandardCharsets.UTF_8),
                json.apply(record));
    }
}
