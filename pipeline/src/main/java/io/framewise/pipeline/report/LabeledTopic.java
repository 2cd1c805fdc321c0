package io.framewise.pipeline.report;

import io.framewise.operators.kafka.LabeledEventJson;
import io.framewise.operators.records.LabeledEvent;
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
 * The labeled topic as a snapshot: every committed event from the beginning up to the end offsets
 * taken at start (for a read_committed consumer those are the last stable offsets), so a report of
 * a running job is bounded and never waits for events still to come.
 */
public final class LabeledTopic {

    /** What was read: events per camera in frame order, and the records that were no labeled event. */
    public record Snapshot(Map<String, List<LabeledEvent>> byCamera, long events, long unreadable) {
    }

    private LabeledTopic() {
    }

    /**
     * @param cameras only these cameras (empty: all)
     * @throws IllegalStateException when the topic does not exist or the end is not reached in time
     */
    public static Snapshot read(Properties base, String topic, Set<String> cameras, Duration timeout) {
        Properties p = new Properties();
        p.putAll(base);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "framewise-report-labels");
        Map<String, List<LabeledEvent>> byCamera = new TreeMap<>();
        long events = 0;
        long unreadable = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = c.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("labeled topic '" + topic + "' does not exist");
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
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue; // committed after the snapshot was taken
                    }
                    LabeledEvent e;
                    try {
                        e = r.value() == null ? null : LabeledEventJson.fromJson(r.value());
                    } catch (IllegalArgumentException bad) {
                        e = null;
                    }
                    if (e == null) {
                        unreadable++;
                        continue;
                    }
                    if (cameras.isEmpty() || cameras.contains(e.camera())) {
                        byCamera.computeIfAbsent(e.camera(), k -> new ArrayList<>()).add(e);
                        events++;
                    }
                }
            }
        }
        // A camera's events share one partition and arrive in order; sorting makes replays and
        // re-partitioned topics read the same.
        Comparator<LabeledEvent> frameOrder = Comparator.comparingLong(LabeledEvent::sequence)
                .thenComparingInt(LabeledEvent::indexInSegment);
        long duplicates = 0;
        for (List<LabeledEvent> l : byCamera.values()) {
            l.sort(frameOrder);
            // Exactly-once output has no duplicates, but a topic fed by an at-least-once run may:
            // one frame, one thumbnail.
            Set<String> ids = new java.util.HashSet<>();
            int before = l.size();
            l.removeIf(e -> !ids.add(e.eventId()));
            duplicates += before - l.size();
        }
        return new Snapshot(byCamera, events - duplicates, unreadable);
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
