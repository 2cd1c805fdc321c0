package io.framewise.pipeline.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The episodes topic ({@code docs/episode.schema.json}) as a snapshot, like {@link LabeledTopic}:
 * committed records from the beginning up to the end offsets at start. An episode's open and close
 * records are one bar (the close wins; an episode with only its open record is still open). A topic
 * that does not exist or is empty gives no episodes: the report then has no bars, it does not fail.
 */
public final class EpisodeTopic {

    /**
     * One episode of a class on a camera, in event time (the events' {@code ptsMs}).
     *
     * @param closed       false when only the open record was read (the episode was still running)
     * @param firstEventId the event where it opened: {@code <topic>-<partition>-<offset>-<indexInSegment>}
     */
    public record Bar(String camera, String label, long startMs, long endMs, int frames, String measure, double mean,
                      boolean closed, String firstEventId) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private EpisodeTopic() {
    }

    /** Episodes per camera, by start time; empty when the topic does not exist. */
    public static Map<String, List<Bar>> read(Properties base, String topic, Set<String> cameras, Duration timeout) {
        Properties p = new Properties();
        p.putAll(base);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "framewise-report-episodes");
        // the topic may not exist: never create it by reading
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        Map<String, Bar> byId = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = c.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                return Map.of();
            }
            List<TopicPartition> tps = new ArrayList<>();
            infos.forEach(i -> tps.add(new TopicPartition(topic, i.partition())));
            Map<TopicPartition, Long> end = new LinkedHashMap<>(c.endOffsets(tps, timeout));
            c.assign(tps);
            c.seekToBeginning(tps);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(c, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read '" + topic + "' to its end offsets " + end
                            + " within " + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition())) || r.value() == null) {
                        continue;
                    }
                    Bar b = parse(r.value());
                    if (b != null && (cameras.isEmpty() || cameras.contains(b.camera()))) {
                        String id = b.camera() + "/" + b.label() + "/" + b.startMs();
                        Bar had = byId.get(id);
                        if (had == null || !had.closed()) {
                            byId.put(id, b);
                        }
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException missing) {
            return Map.of(); // no metadata for the topic in time: treated as absent
        }
        Map<String, List<Bar>> out = new TreeMap<>();
        byId.values().forEach(b -> out.computeIfAbsent(b.camera(), k -> new ArrayList<>()).add(b));
        out.values().forEach(l -> l.sort(Comparator.comparingLong(Bar::startMs).thenComparing(Bar::label)));
        return out;
    }

    /** An episode record, or null for anything else (a record of another shape is skipped). */
    static Bar parse(byte[] value) {
        JsonNode o;
        try {
            o = JSON.readTree(value);
        } catch (IOException bad) {
            return null;
        }
        if (o == null || !o.has("episodeId") || !o.has("camera") || !o.has("class") || !o.has("startMs")) {
            return null;
        }
        String kind = o.path("kind").asText();
        if (!kind.equals("open") && !kind.equals("close")) {
            return null;
        }
        return new Bar(o.path("camera").asText(), o.path("class").asText(), o.path("startMs").asLong(),
                o.path("endMs").asLong(o.path("startMs").asLong()), o.path("frames").asInt(),
                o.path("measure").asText("score"), o.path("mean").asDouble(), kind.equals("close"),
                o.path("firstEventId").asText(""));
    }

    private static boolean reached(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
