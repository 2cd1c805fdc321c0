package io.framewise.pipeline.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.operators.frames.FrameHeaders;
import io.framewise.operators.kafka.DeadLetterSerialization;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads every topic of the job from the beginning, read_committed (what a downstream consumer sees),
 * without a consumer group: events and dead letters go into the {@link Books}, every topic's records
 * are counted. {@link #readToEnd()} reads up to each partition's last stable offset as of the call.
 */
final class CommittedReader implements AutoCloseable {

    private final ObjectMapper json = new ObjectMapper();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Books books;
    private final String labels;
    private final String dlq;
    private final Map<String, Long> perTopic = new TreeMap<>();

    CommittedReader(String bootstrap, List<String> topics, String labels, String dlq, Books books) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(16 << 20));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(32 << 20));
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.books = books;
        this.labels = labels;
        this.dlq = dlq;
        List<TopicPartition> parts = new ArrayList<>();
        for (String t : topics) {
            perTopic.put(t, 0L);
            for (PartitionInfo pi : consumer.partitionsFor(t, Duration.ofSeconds(60))) {
                parts.add(new TopicPartition(t, pi.partition()));
            }
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
    }

    /** Reads every partition up to its last stable offset as of now. */
    void readToEnd() throws Exception {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(60));
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), Duration.ofSeconds(60)) < e.getValue())) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                perTopic.merge(r.topic(), 1L, Long::sum);
                if (r.topic().equals(labels)) {
                    JsonNode e = json.readTree(r.value());
                    books.event(e.path("camera").asText("?"), e.path("sequence").asLong(-1),
                            e.path("indexInSegment").asInt(0));
                } else if (r.topic().equals(dlq)) {
                    String camera = r.key() == null ? "?" : new String(r.key(), StandardCharsets.UTF_8);
                    String seq = header(r, FrameHeaders.SEQUENCE);
                    books.deadLetter(camera, seq != null && seq.matches("\\d{1,18}") ? Long.parseLong(seq) : -1,
                            header(r, DeadLetterSerialization.REASON_HEADER));
                }
            }
        }
    }

    /** Records read per topic. */
    Map<String, Long> perTopic() {
        return perTopic;
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(10));
    }
}
