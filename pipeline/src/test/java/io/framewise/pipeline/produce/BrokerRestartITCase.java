package io.framewise.pipeline.produce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.decode.SharedData;
import io.framewise.operators.frames.FrameHeaders;
import io.framewise.pipeline.cli.CliRun;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The producer rides out a broker restart: every record arrives exactly once, in order. */
@Timeout(180)
class BrokerRestartITCase {

    /** Its own broker: restarting the one other test classes share would disturb them. */
    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @Test
    void recordsSentWhileTheBrokerIsDownArriveOnceInOrder() throws Exception {
        String topic = EmbeddedKafka.uniqueTopic("restart");
        KAFKA.createTopic(topic, 1);
        String car = SharedData.root().resolve("videos/car-detection.mp4").toString();
        // 75 frames paced at 12.5 fps: 6 s of sending, with the broker down for 3 s in the middle: it goes
        // down once the first 10 records are in (the CLI's start-up takes longer on a busy machine).
        CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() ->
                ProduceCommandITCase.produce("--bootstrap", KAFKA.bootstrapServers(), "--topic", topic,
                        "--camera", "restart", "--realtime", "--limit", "75", "--quality", "60", car));
        awaitEndOffset(topic, 10, run);
        KAFKA.restartBroker(Duration.ofSeconds(3));
        CliRun result = run.get();
        assertEquals(0, result.exit(), result.err());
        assertTrue(result.out().contains(" 75 records"), result.out());

        List<ConsumerRecord<String, byte[]>> records =
                KAFKA.consume(topic, 75, Duration.ofSeconds(2), Duration.ofSeconds(60));
        assertEquals(75, records.size(), "no loss, no duplicates");
        for (int i = 0; i < records.size(); i++) {
            String seq = new String(records.get(i).headers().lastHeader(FrameHeaders.SEQUENCE).value(),
                    StandardCharsets.UTF_8);
            assertEquals(Integer.toString(i), seq, "record " + i);
        }
    }

    /** Waits until the topic holds {@code n} records (its end offset, read with an admin client: no group join). */
    private static void awaitEndOffset(String topic, long n, CompletableFuture<CliRun> producer) throws Exception {
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            while (admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset() < n) {
                assertFalse(producer.isDone(), () -> "the producer ended before sending " + n + " records: "
                        + producer.join().err());
                Thread.sleep(20);
            }
        }
    }
}
