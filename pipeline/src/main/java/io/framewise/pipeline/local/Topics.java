package io.framewise.pipeline.local;

import io.framewise.operators.records.FrameRecord;
import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobOptions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The run's topics: frames, labels and episodes with one partition per camera, one for dead letters and
 * camera status, and the compacted camera-config topic (one partition: it is read by one reader).
 */
public final class Topics {

    /** The camera-config topic keeps each camera's last record (and drops tombstoned cameras). */
    public static final Map<String, String> COMPACTED = Map.of("cleanup.policy", "compact");

    private Topics() {
    }

    /**
     * Partitions of the per-camera topics: one per camera up to this. Past it cameras share partitions
     * by key: a thousand cameras as a thousand partitions of three topics cost the broker, the source's
     * splits and the sinks' batching more than the job's work (a 1000-camera load test ran at ~60
     * frames/s with them, against ~100 with 4).
     */
    public static final int MAX_PARTITIONS = 16;

    /** @param broker the embedded broker (topics then accept its large records), or null for a real Kafka */
    public static void create(String bootstrap, JobConfig cfg, int cameraCount, EmbeddedBroker broker) throws Exception {
        int cameras = Math.min(cameraCount, MAX_PARTITIONS); // partitions of the per-camera topics
        if (broker != null) {
            broker.createTopic(cfg.get(JobOptions.INPUT_TOPIC), cameras);
            broker.createTopic(cfg.get(JobOptions.OUTPUT_TOPIC), cameras);
            broker.createTopic(cfg.get(JobOptions.DLQ_TOPIC), 1);
            broker.createTopic(cfg.get(JobOptions.EPISODES_TOPIC), cameras);
            broker.createTopic(cfg.get(JobOptions.CAMERA_STATUS_TOPIC), 1);
            broker.createTopic(cfg.get(JobOptions.CAMERA_CONFIG_TOPIC), 1, COMPACTED);
            return;
        }
        Properties p = cfg.kafkaProperties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        // the broker's default replication factor: a real cluster decides how many copies it keeps
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(
                    new NewTopic(cfg.get(JobOptions.INPUT_TOPIC), Optional.of(cameras), Optional.empty())
                            .configs(Map.of("max.message.bytes", Integer.toString(cfg.get(JobOptions.MAX_RECORD_BYTES)
                                    + FrameRecord.RECORD_HEADROOM_BYTES))),
                    new NewTopic(cfg.get(JobOptions.OUTPUT_TOPIC), Optional.of(cameras), Optional.empty()),
                    new NewTopic(cfg.get(JobOptions.DLQ_TOPIC), Optional.of(1), Optional.empty())
                            .configs(Map.of("max.message.bytes", Integer.toString(cfg.get(JobOptions.MAX_RECORD_BYTES)
                                    + FrameRecord.RECORD_HEADROOM_BYTES))),
                    new NewTopic(cfg.get(JobOptions.EPISODES_TOPIC), Optional.of(cameras), Optional.empty()),
                    new NewTopic(cfg.get(JobOptions.CAMERA_STATUS_TOPIC), Optional.of(1), Optional.empty()),
                    new NewTopic(cfg.get(JobOptions.CAMERA_CONFIG_TOPIC), Optional.of(1), Optional.empty())
                            .configs(COMPACTED)))
                    .all().get();
        }
    }
}
