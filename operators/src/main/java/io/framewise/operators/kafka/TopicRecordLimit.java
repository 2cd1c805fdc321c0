package io.framewise.operators.kafka;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The largest record batch a topic takes ({@code max.message.bytes}), asked of the brokers. A sink
 * that writes a record over it gets {@code RecordTooLargeException}, which fails the task; the
 * replay writes the same record again, so without this the job restarts in a loop.
 */
public final class TopicRecordLimit {

    private static final Logger LOG = LoggerFactory.getLogger(TopicRecordLimit.class);

    /** Kafka's default {@code message.max.bytes} (1 MiB + 12 bytes of batch header), used when the brokers cannot say. */
    public static final int KAFKA_DEFAULT = 1024 * 1024 + 12;

    private TopicRecordLimit() {
    }

    /**
     * The topic's {@code max.message.bytes}; Kafka's default when the topic does not exist yet (it
     * will be created with the brokers' default) or the brokers cannot be asked, which is logged.
     */
    public static int of(Properties adminProperties, String topic) {
        try (Admin admin = Admin.create(adminProperties)) {
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(r)).all().get(60, TimeUnit.SECONDS);
            ConfigEntry e = configs.get(r).get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            return e == null || e.value() == null ? KAFKA_DEFAULT : Integer.parseInt(e.value());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return KAFKA_DEFAULT;
            }
            LOG.warn("cannot read max.message.bytes of topic {}; records over {} bytes will leave their value out: {}",
                    topic, KAFKA_DEFAULT, e.getCause().toString());
            return KAFKA_DEFAULT;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("cannot read max.message.bytes of topic {}; records over {} bytes will leave their value out: {}",
                    topic, KAFKA_DEFAULT, e.toString());
            return KAFKA_DEFAULT;
        }
    }
}
