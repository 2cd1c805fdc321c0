package io.framewise.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.pipeline.cli.FramewiseCli;
import io.framewise.pipeline.cli.SourceProducer;
import io.framewise.pipeline.security.ReadCommitted;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Kafka security settings reach every client of the job ({@code --kafka KEY=VALUE}): against a broker
 * whose only client listener is SASL_PLAINTEXT/PLAIN (Kafka's test kit, users from its JAAS file),
 * {@code framewise job} with the right credentials labels the backlog; with a wrong password it
 * ends quickly with an error that says authentication failed.
 */
@Timeout(150)
class SaslJobITCase {

    static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"%s\" password=\"%s\";";

    @TempDir
    static Path dir;
    static KafkaClusterTestKit cluster;
    static LabeledVideo video;

    @BeforeAll
    static void setUp() throws Exception {
        KafkaClusterTestKit.Builder b = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                // the kit's authorizer denies anonymous principals, the broker's own controller link included
                .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .build());
        b.setConfigProp("offsets.topic.replication.factor", "1");
        b.setConfigProp("transaction.state.log.replication.factor", "1");
        b.setConfigProp("transaction.state.log.min.isr", "1");
        b.setConfigProp("group.initial.rebalance.delay.ms", "0");
        cluster = b.build();
        PrintStream stdout = System.out;
        System.setOut(System.err); // the storage formatter prints
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } finally {
            System.setOut(stdout);
        }
        video = LabeledVideo.build(dir, 2, 12.5, 10);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    static Map<String, String> sasl(String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", String.format(Locale.ROOT, JAAS, user, password));
    }

    static Map<String, String> admin() {
        return sasl(JaasUtils.KAFKA_PLAIN_ADMIN, JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD);
    }

    @Test
    void rightCredentialsLabelWrongOnesFailFastNamingAuthentication() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String in = "frames-" + suffix;
        String out = "labels-" + suffix;
        String dlq = "dlq-" + suffix;
        Map<String, Object> adminProps = new HashMap<>(admin());
        adminProps.put("bootstrap.servers", cluster.bootstrapServers());
        try (Admin a = Admin.create(adminProps)) {
            a.createTopics(List.of(new NewTopic(in, 1, (short) 1), new NewTopic(out, 1, (short) 1),
                    new NewTopic(dlq, 1, (short) 1))).all().get();
        }
        long sent = new SourceProducer(SourceProducer.args(video.file.toString(), cluster.bootstrapServers(), in,
                "cam-1", "jpeg", 4 << 20, admin())).run().frames();
        assertEquals(video.frames(), sent);

        StringWriter err = new StringWriter();
        int rc = job(in, out, dlq, admin(), new StringWriter(), err);
        assertEquals(0, rc, err::toString);
        List<ConsumerRecord<String, byte[]>> events = consume(out, (int) sent);
        assertEquals(sent, events.size());
        ObjectMapper json = new ObjectMapper();
        for (ConsumerRecord<String, byte[]> r : events) {
            var e = json.readTree(r.value());
            assertEquals(video.expectedLabel(e.path("sequence").asInt()), e.path("top").path(0).path("label").asText());
        }

        StringWriter err2 = new StringWriter();
        long t0 = System.nanoTime();
        int rc2 = job(in, out + "-x", dlq, sasl(JaasUtils.KAFKA_PLAIN_ADMIN, "wrong-password"), new StringWriter(), err2);
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        System.out.println("SaslJobITCase: wrong credentials ended the job in " + seconds + " s: " + err2);
        assertNotEquals(0, rc2);
        assertTrue(err2.toString().toLowerCase(Locale.ROOT).contains("authentication"), err2::toString);
        assertTrue(seconds < 60, "took " + seconds + " s to give up");
    }

    private static int job(String in, String out, String dlq, Map<String, String> kafka, StringWriter stdout,
                           StringWriter stderr) {
        List<String> a = new ArrayList<>(List.of("job", "--bootstrap", cluster.bootstrapServers(), "--input-topic", in,
                "--output-topic", out, "--dlq-topic", dlq, "--starting-offsets", "earliest", "--stop-at-latest",
                "--checkpoint-interval-ms", "500", "--transactional-id-prefix", "tx-" + out, "--web-port", "0"));
        kafka.forEach((k, v) -> a.addAll(List.of("--kafka", k + "=" + v)));
        CommandLine cl = FramewiseCli.commandLine();
        cl.setOut(new PrintWriter(stdout, true));
        cl.setErr(new PrintWriter(stderr, true));
        return cl.execute(a.toArray(String[]::new));
    }

    private static List<ConsumerRecord<String, byte[]>> consume(String topic, int expected) {
        Map<String, Object> p = new HashMap<>(admin());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        return ReadCommitted.read(p, topic, expected);
    }
}
