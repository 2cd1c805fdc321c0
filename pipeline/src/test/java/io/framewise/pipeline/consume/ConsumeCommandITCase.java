package io.framewise.pipeline.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.pipeline.cli.FramewiseCli;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** {@code framewise consume} shows committed events only, as JSON or one line each. */
@Timeout(60)
class ConsumeCommandITCase {

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    private static final String ABORTED = "{\"eventId\":\"t-0-0-0\",\"camera\":\"cam-x\",\"sequence\":0,"
            + "\"indexInSegment\":0,\"inferred\":true,\"batchSize\":1,\"top\":[{\"index\":1,\"label\":\"goldfish,"
            + " Carassius auratus\",\"score\":0.9}],\"latency\":{\"endToEndMs\":12.0}}";
    private static final String COMMITTED = "{\"eventId\":\"t-0-1-0\",\"camera\":\"cam-y\",\"sequence\":7,"
            + "\"indexInSegment\":3,\"inferred\":true,\"batchSize\":8,\"top\":[{\"index\":286,\"label\":\"Egyptian cat\","
            + "\"score\":0.81}],\"latency\":{\"endToEndMs\":45.6}}";

    @Test
    void showsOnlyCommittedEvents() throws Exception {
        String topic = EmbeddedKafka.uniqueTopic("labels");
        KAFKA.createTopic(topic, 1);
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "consume-test"), new ByteArraySerializer(), new ByteArraySerializer())) {
            p.initTransactions();
            p.beginTransaction();
            p.send(new ProducerRecord<>(topic, "cam-x".getBytes(StandardCharsets.UTF_8), ABORTED.getBytes(StandardCharsets.UTF_8)));
            p.flush();
            p.abortTransaction();
            p.beginTransaction();
            p.send(new ProducerRecord<>(topic, "cam-y".getBytes(StandardCharsets.UTF_8), COMMITTED.getBytes(StandardCharsets.UTF_8)));
            p.commitTransaction();
        }
        List<String> json = run("--topic", topic, "--from-beginning", "--json", "--idle-exit-ms", "3000");
        assertEquals(List.of(COMMITTED), json);
        List<String> pretty = run("--topic", topic, "--from-beginning", "--limit", "1");
        assertEquals(1, pretty.size());
        String line = pretty.get(0);
        assertTrue(line.startsWith("cam-y"), line);
        assertTrue(line.contains("frame 7+3") && line.contains("Egyptian cat") && line.contains("0.810")
                && line.contains("45 ms"), line);
    }

    private static List<String> run(String... args) {
        CommandLine cl = FramewiseCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 3];
        all[0] = "consume";
        all[1] = "--bootstrap";
        all[2] = KAFKA.bootstrapServers();
        System.arraycopy(args, 0, all, 3, args.length);
        assertEquals(0, cl.execute(all), err::toString);
        return out.toString().lines().toList();
    }
}
