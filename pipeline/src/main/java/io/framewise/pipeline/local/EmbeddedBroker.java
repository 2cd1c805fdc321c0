package io.framewise.pipeline.local;

import io.framewise.operators.records.FrameRecord;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A single-node KRaft broker inside this JVM (Kafka's own test kit): for the demo and the
 * integration tests. Formats its storage in a temporary folder and picks free ports itself; records
 * up to {@link #MAX_MESSAGE_BYTES} are accepted, so video segments fit.
 */
public final class EmbeddedBroker implements AutoCloseable {

    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    /** The largest frame record value a producer may send here: the message limit less the headroom. */
    public static final int MAX_RECORD_BYTES = MAX_MESSAGE_BYTES - FrameRecord.RECORD_HEADROOM_BYTES;

    private final Map<String, String> overrides;
    private KafkaClusterTestKit cluster;

    public EmbeddedBroker() {
        this(Map.of());
    }

    /** @param overrides broker settings on top of the single-node defaults */
    public EmbeddedBroker(Map<String, String> overrides) {
        this.overrides = Map.copyOf(overrides);
    }

    /** Formats storage and starts the broker; about 2 s in a fresh JVM. */
    public EmbeddedBroker start() throws Exception {
        if (cluster != null) {
            return this;
        }
        KafkaClusterTestKit.Builder b = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build());
        // Without the replication settings a single node cannot create the internal topics, and
        // consumer groups and transactions silently get nothing.
        b.setConfigProp("offsets.topic.replication.factor", "1");
        b.setConfigProp("transaction.state.log.replication.factor", "1");
        b.setConfigProp("transaction.state.log.min.isr", "1");
        b.setConfigProp("group.initial.rebalance.delay.ms", "0");
        b.setConfigProp("message.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
        b.setConfigProp("replica.fetch.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
        overrides.forEach(b::setConfigProp);
        KafkaClusterTestKit c = b.build();
        // The storage formatter prints to System.out; stdout belongs to the commands (events, JSON lines).
        PrintStream stdout = System.out;
        System.setOut(System.err);
        try {
            c.format();
            c.startup();
            c.waitForReadyBrokers();
        } catch (Exception e) {
            c.close();
            throw e;
        } finally {
            System.setOut(stdout);
        }
        cluster = c;
        return this;
    }

    public String bootstrapServers() {
        return cluster().bootstrapServers();
    }

    /** The running test-kit cluster (tests restart its broker). */
    public KafkaClusterTestKit cluster() {
        if (cluster == null) {
            throw new IllegalStateException("broker not started");
        }
        return cluster;
    }

    /** Creates a topic that accepts records up to {@link #MAX_MESSAGE_BYTES}. */
    public void createTopic(String name, int partitions) throws Exception {
        createTopic(name, partitions, Map.of("max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES)));
    }

    /** Creates a topic with the given topic configs (e.g. a small max.message.bytes). */
    public void createTopic(String name, int partitions, Map<String, String> configs) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get();
        }
    }

    @Override
    public void close() throws Exception {
        if (cluster != null) {
            KafkaClusterTestKit c = cluster;
            cluster = null;
            c.close();
        }
    }
}
