package io.framewise.pipeline.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What a job committed to a topic, read as a given (possibly authenticated) client: the tests' exactly-once check. */
public final class ReadCommitted {

    private ReadCommitted() {
    }

    /**
     * Reads {@code topic} from the start with read_committed until {@code expected} records came (30 s at
     * most), then one more second, so a duplicate shows.
     *
     * @param client bootstrap.servers and any security settings; a throwaway group is added
     */
    public static List<ConsumerRecord<String, byte[]>> read(Map<String, Object> client, String topic, int expected) {
        Map<String, Object> p = new HashMap<>(client);
        p.put("group.id", "check-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        List<ConsumerRecord<String, byte[]>> got = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < until && got.size() < expected) {
                c.poll(Duration.ofMillis(250)).forEach(got::add);
            }
            c.poll(Duration.ofSeconds(1)).forEach(got::add);
        }
        return got;
    }
}
