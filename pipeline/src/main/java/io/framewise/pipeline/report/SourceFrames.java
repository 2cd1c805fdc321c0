package io.framewise.pipeline.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Fetches frame records by their coordinates (assign + seek, no consumer group), one at a time so
 * only one record's bytes (up to a multi-megabyte segment) are held at once. A record that is gone
 * (retention, compaction, a recreated topic) is reported as missing with the reason, never thrown.
 */
public final class SourceFrames implements AutoCloseable {

    /** Coordinates of a frame record. */
    public record Ref(String topic, int partition, long offset) implements Comparable<Ref> {
        @Override
        public int compareTo(Ref o) {
            int c = topic.compareTo(o.topic);
            if (c == 0) {
                c = Integer.compare(partition, o.partition);
            }
            return c != 0 ? c : Long.compare(offset, o.offset);
        }
    }

    /** Receives each wanted record, or why it could not be read. */
    public interface Sink {
        void found(Ref ref, ConsumerRecord<byte[], byte[]> record);

        void missing(Ref ref, String reason);
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Duration timeout;

    public SourceFrames(Properties base, Duration timeout) {
        Properties p = new Properties();
        p.putAll(base);
        // The frames the job read, committed or not: the job's own source reads them the same way.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "framewise-report-frames");
        // Sampled frames are far apart: a fetch should not drag in many neighbours.
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "8");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(1 << 20));
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.timeout = timeout;
    }

    /** Visits the wanted records in topic/partition/offset order. */
    public void fetch(Collection<Ref> wanted, Sink sink) {
        Map<TopicPartition, TreeSet<Long>> byPartition = new TreeMap<>(
                (a, b) -> a.topic().equals(b.topic()) ? Integer.compare(a.partition(), b.partition())
                        : a.topic().compareTo(b.topic()));
        for (Ref r : wanted) {
            byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new TreeSet<>()).add(r.offset());
        }
        for (Map.Entry<TopicPartition, TreeSet<Long>> e : byPartition.entrySet()) {
            TopicPartition tp = e.getKey();
            String gone = partitionProblem(tp);
            if (gone != null) {
                e.getValue().forEach(o -> sink.missing(new Ref(tp.topic(), tp.partition(), o), gone));
                continue;
            }
            fetchPartition(tp, e.getValue(), sink);
        }
    }

    private String partitionProblem(TopicPartition tp) {
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(tp.topic(), timeout);
            if (infos == null || infos.isEmpty()) {
                return "frames topic '" + tp.topic() + "' does not exist";
            }
            if (infos.stream().noneMatch(i -> i.partition() == tp.partition())) {
                return "frames topic '" + tp.topic() + "' has no partition " + tp.partition();
            }
            return null;
        } catch (KafkaException ex) {
            return "frames topic '" + tp.topic() + "' not readable: " + ex.getMessage();
        }
    }

    private void fetchPartition(TopicPartition tp, TreeSet<Long> offsets, Sink sink) {
        List<TopicPartition> one = List.of(tp);
        long begin;
        long end;
        try {
            begin = consumer.beginningOffsets(one, timeout).get(tp);
            end = consumer.endOffsets(one, timeout).get(tp);
        } catch (KafkaException ex) {
            offsets.forEach(o -> sink.missing(new Ref(tp.topic(), tp.partition(), o), "offsets not readable: "
                    + ex.getMessage()));
            return;
        }
        consumer.assign(one);
        List<Long> pending = new ArrayList<>(offsets);
        for (int i = 0; i < pending.size(); i++) {
            long o = pending.get(i);
            Ref ref = new Ref(tp.topic(), tp.partition(), o);
            if (o < begin) {
                sink.missing(ref, "deleted: the partition now starts at offset " + begin + " (retention?)");
                continue;
            }
            if (o >= end) {
                sink.missing(ref, "beyond the partition's end offset " + end + " (topic recreated?)");
                continue;
            }
            ConsumerRecord<byte[], byte[]> got = read(tp, o);
            if (got == null) {
                sink.missing(ref, "no record at this offset (compacted away or not readable in time)");
            } else {
                sink.found(ref, got);
            }
        }
        consumer.unsubscribe();
    }

    /** The record at {@code offset}, or null when the first record at or after it has another offset. */
    private ConsumerRecord<byte[], byte[]> read(TopicPartition tp, long offset) {
        consumer.seek(tp, offset);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<ConsumerRecord<byte[], byte[]>> batch;
            try {
                batch = consumer.poll(Duration.ofMillis(200)).records(tp);
            } catch (KafkaException ex) {
                // e.g. OffsetOutOfRange after retention raced the offsets lookup
                return null;
            }
            for (ConsumerRecord<byte[], byte[]> r : batch) {
                if (r.offset() >= offset) {
                    return r.offset() == offset ? r : null;
                }
            }
            if (consumer.position(tp) > offset) {
                return null; // only control records (transaction markers) in between
            }
        }
        return null;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
