package io.framewise.pipeline.security;

import io.framewise.pipeline.cli.SourceProducer;
import io.framewise.pipeline.config.KafkaClientProperties;
import io.framewise.pipeline.local.EmbeddedBroker;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The embedded single-node broker ({@link EmbeddedBroker}) with its client listener secured by broker
 * overrides (the test kit's node builder only knows PLAINTEXT and SASL_PLAINTEXT/PLAIN), plus admin,
 * produce and read_committed consume helpers that authenticate as a given client.
 *
 * <p>The kit names the client listener EXTERNAL and the controller listener CONTROLLER; the broker
 * also uses EXTERNAL to reach itself (transaction markers), so it is a client of its own listener too.
 */
final class SecureBroker implements AutoCloseable {

    static final String LISTENER = "listener.name.external.";

    private final EmbeddedBroker broker;

    private SecureBroker(Map<String, String> overrides) throws Exception {
        this.broker = new EmbeddedBroker(overrides);
        broker.start();
    }

    /** Client listener SSL with client authentication required; certificates from {@code ca}. */
    static SecureBroker tls(TestCa ca) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("listener.security.protocol.map", "EXTERNAL:SSL,CONTROLLER:PLAINTEXT");
        o.put(LISTENER + "ssl.client.auth", "required");
        o.put(LISTENER + "ssl.keystore.type", "PKCS12");
        o.put(LISTENER + "ssl.keystore.location", ca.keystore("broker").toString());
        o.put(LISTENER + "ssl.keystore.password", ca.secret());
        o.put(LISTENER + "ssl.truststore.type", "PKCS12");
        o.put(LISTENER + "ssl.truststore.location", ca.truststore.toString());
        o.put(LISTENER + "ssl.truststore.password", ca.secret());
        return new SecureBroker(o);
    }

    /**
     * Client listener SASL_PLAINTEXT with PLAIN (the super user {@code admin} only, also the broker's own
     * inter-broker login) and SCRAM-SHA-512 (users created through the Admin API); ACLs enforced.
     */
    static SecureBroker sasl(String adminPassword) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("listener.security.protocol.map", "EXTERNAL:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
        o.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512");
        o.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        o.put(LISTENER + "plain.sasl.jaas.config", SaslLogins.plain("admin", adminPassword)
                .replace(";", " user_admin=\"" + adminPassword + "\";"));
        o.put(LISTENER + "scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        o.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        o.put("allow.everyone.if.no.acl.found", "false");
        // ANONYMOUS: the broker's own PLAINTEXT link to its controller
        o.put("super.users", "User:admin;User:ANONYMOUS");
        return new SecureBroker(o);
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Client settings as a job's properties file would hold them, references resolved, plus bootstrap. */
    Map<String, Object> client(Map<String, String> settings) {
        Map<String, Object> p = new HashMap<>(KafkaClientProperties.effective(settings, "", System::getenv));
        p.put("bootstrap.servers", bootstrapServers());
        return p;
    }

    Admin admin(Map<String, String> settings) {
        return Admin.create(client(settings));
    }

    /** Creates single-partition topics that take frame records. */
    void createTopics(Map<String, String> settings, String... names) throws Exception {
        try (Admin a = admin(settings)) {
            a.createTopics(Arrays.stream(names).map(n -> new NewTopic(n, 1, (short) 1)
                    .configs(Map.of("max.message.bytes", Integer.toString(EmbeddedBroker.MAX_MESSAGE_BYTES))))
                    .toList()).all().get();
        }
    }

    /** Sends the first {@code limit} frames of a video as JPEG records of camera cam-1; returns the frames sent. */
    long produce(Map<String, String> settings, String video, String topic, int limit) throws Exception {
        Map<String, String> kafka = new LinkedHashMap<>();
        client(settings).forEach((k, v) -> kafka.put(k, v.toString()));
        kafka.remove("bootstrap.servers");
        return new SourceProducer(SourceProducer.args(video, bootstrapServers(), topic, "cam-1", "jpeg", 4 << 20,
                kafka, "--limit", Integer.toString(limit))).run().frames();
    }

    /** {@link ReadCommitted#read} as the client {@code settings} describe. */
    List<ConsumerRecord<String, byte[]>> consume(Map<String, String> settings, String topic, int expected) {
        return ReadCommitted.read(client(settings), topic, expected);
    }

    @Override
    public void close() throws Exception {
        broker.close();
    }
}
