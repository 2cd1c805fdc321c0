package io.framewise.pipeline.kafka;

import io.framewise.pipeline.local.EmbeddedBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A single-node KRaft broker in the test JVM ({@link EmbeddedBroker}) as a JUnit 5 extension, with
 * consumer helpers for integration tests.
 *
 * <p>Use as a JUnit 5 extension ({@code @RegisterExtension static final EmbeddedKafka KAFKA = new
 * EmbeddedKafka();}: started once per test class) or as an {@link AutoCloseable} with {@link #start()}.
 * Records up to {@link #MAX_MESSAGE_BYTES} are accepted, so video segments fit.
 */
public final class EmbeddedKafka implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    public static final int MAX_MESSAGE_BYTES = EmbeddedBroker.MAX_MESSAGE_BYTES;

    private final EmbeddedBroker broker;
    private boolean started;

    public EmbeddedKafka() {
        this(Map.of());
    }

    /** @param brokerOverrides broker settings on top of the single-node defaults */
    public EmbeddedKafka(Map<String, String> brokerOverrides) {
        this.broker = new EmbeddedBroker(brokerOverrides);
    }

    /** Formats storage and starts the broker; about 2 s in a fresh JVM. */
    public EmbeddedKafka start() throws Exception {
        broker.start();
        started = true;
        return this;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Creates a topic that accepts records up to {@link #MAX_MESSAGE_BYTES}. */
    public void createTopic(String name, int partitions) throws Exception {
        broker.createTopic(name, partitions);
    }

    /** Creates a topic with the given topic configs (e.g. a small max.message.bytes). */
    public void createTopic(String name, int partitions, Map<String, String> configs) throws Exception {
        broker.createTopic(name, partitions, configs);
    }

    /** A fresh topic name, so tests sharing one broker do not see each other's records. */
    public static String uniqueTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    }

    /** Consumer settings: read_committed, from the earliest offset, a throwaway group. */
    public Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(MAX_MESSAGE_BYTES));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(4 * MAX_MESSAGE_BYTES));
        return p;
    }

    /**
     * Reads a topic from the start until {@code expected} records arrived, then keeps polling for
     * {@code settle} more to catch extra (duplicate) records; returns whatever came by {@code timeout}.
     */
    public List<ConsumerRecord<String, byte[]>> consume(String topic, int expected, Duration settle, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(consumerProperties(), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                if (out.size() >= expected && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + settle.toNanos();
                }
            }
        }
        return out;
    }

    /**
     * Stops the broker, keeps it down for {@code down}, starts it again on the same port and data
     * (the controller keeps running). For tests that clients ride out a broker restart.
     */
    public void restartBroker(Duration down) throws Exception {
        KafkaClusterTestKit cluster = broker.cluster();
        BrokerServer server = cluster.brokers().values().iterator().next();
        server.shutdown();
        server.awaitShutdown();
        Thread.sleep(down.toMillis());
        server.startup();
        cluster.waitForReadyBrokers();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    @Override
    public void close() throws Exception {
        if (started) {
            started = false;
            broker.close();
        }
    }
}
