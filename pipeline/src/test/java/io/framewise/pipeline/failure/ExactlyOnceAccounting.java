package io.framewise.pipeline.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.operators.kafka.DeadLetterSerialization;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The invariant every failure test ends with, read with read_committed: each input record has
 * exactly one outcome, an event (by its provenance, topic/partition/offset) or a dead letter (by
 * its source header), never both and never twice; nothing is lost; and each camera's events are in
 * frame order.
 */
final class ExactlyOnceAccounting {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExactlyOnceAccounting() {
    }

    /** What the output topics held. */
    record Outcome(int events, int deadLetters) {
    }

    static Outcome assertExactlyOnce(EmbeddedKafka kafka, Backlog.Topics topics, Backlog.Written written)
            throws IOException {
        List<ConsumerRecord<String, byte[]>> in = readAll(kafka, topics.in(), IsolationLevel.READ_COMMITTED);
        assertEquals(written.records(), in.size(), "input records");
        Set<String> inputs = new LinkedHashSet<>();
        for (ConsumerRecord<String, byte[]> r : in) {
            inputs.add(r.topic() + "/" + r.partition() + "/" + r.offset());
        }

        Map<String, String> outcome = new HashMap<>();
        List<String> duplicates = new ArrayList<>();
        Map<String, Long> lastSequence = new HashMap<>();
        Map<String, Long> lastOffset = new HashMap<>();
        List<ConsumerRecord<String, byte[]>> events = readAll(kafka, topics.out(), IsolationLevel.READ_COMMITTED);
        for (ConsumerRecord<String, byte[]> r : events) {
            JsonNode e = JSON.readTree(r.value());
            String source = e.path("topic").asText() + "/" + e.path("partition").asLong() + "/" + e.path("offset").asLong();
            if (outcome.put(source, "event " + e.path("eventId").asText()) != null) {
                duplicates.add("event " + source);
            }
            // a camera's events share one output partition, so read order is write order
            String camera = e.path("camera").asText();
            long seq = e.path("sequence").asLong();
            long offset = e.path("offset").asLong();
            Long prevSeq = lastSequence.put(camera, seq);
            Long prevOffset = lastOffset.put(camera, offset);
            if (prevSeq != null && (seq <= prevSeq || offset <= prevOffset)) {
                fail(camera + ": frame " + seq + " (offset " + offset + ") after frame " + prevSeq
                        + " (offset " + prevOffset + ")");
            }
        }
        List<ConsumerRecord<String, byte[]>> dead = readAll(kafka, topics.dlq(), IsolationLevel.READ_COMMITTED);
        for (ConsumerRecord<String, byte[]> r : dead) {
            String source = header(r, DeadLetterSerialization.SOURCE_HEADER);
            String reason = header(r, DeadLetterSerialization.REASON_HEADER);
            if (outcome.put(source, "dead letter " + reason) != null) {
                duplicates.add("dead letter " + source + " (" + reason + ")");
            }
        }

        assertTrue(duplicates.isEmpty(), () -> duplicates.size() + " records with more than one outcome: "
                + first(duplicates));
        Set<String> lost = new LinkedHashSet<>(inputs);
        lost.removeAll(outcome.keySet());
        assertTrue(lost.isEmpty(), () -> lost.size() + " input records without an outcome: " + first(lost));
        Set<String> unknown = new HashSet<>(outcome.keySet());
        unknown.removeAll(inputs);
        assertTrue(unknown.isEmpty(), () -> unknown.size() + " outcomes of no input record: " + first(unknown));
        assertEquals(written.frames(), events.size(), "events (one per good frame)");
        assertEquals(written.bad(), dead.size(), "dead letters (one per bad record)");
        return new Outcome(events.size(), dead.size());
    }

    /**
     * For a job that does not end by itself: waits until read_committed consumers see as many events
     * and dead letters as {@code written} needs, then until two more checkpoints completed, so that
     * duplicates later checkpoints would commit show up too. Fails as soon as the job ended, or when
     * neither the committed outcomes nor the job's checkpoints moved for {@link TwoTaskManagers#STALLED}.
     */
    static void awaitOutcomes(EmbeddedKafka kafka, Backlog.Topics topics, Backlog.Written written,
                              TwoTaskManagers flink, JobID job) throws Exception {
        int[] seen = new int[2];
        flink.await(job, "every outcome committed", () -> {
            seen[0] = readAll(kafka, topics.out(), IsolationLevel.READ_COMMITTED).size();
            seen[1] = readAll(kafka, topics.dlq(), IsolationLevel.READ_COMMITTED).size();
            return seen[0] >= written.frames() && seen[1] >= written.bad();
        }, () -> seen[0] + seen[1] * 1_000_000L);
        long settled = flink.latestCompletedCheckpoint(job) + 2;
        flink.await(job, "two checkpoints after every outcome was committed",
                () -> flink.latestCompletedCheckpoint(job) >= settled);
    }

    /**
     * Every record of a topic as a consumer of {@code isolation} sees it now: read to the end offsets
     * (under read_committed, the last stable offset, so an open transaction hides what follows it).
     */
    static List<ConsumerRecord<String, byte[]>> readAll(EmbeddedKafka kafka, String topic, IsolationLevel isolation) {
        Properties p = kafka.consumerProperties();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString().toLowerCase(Locale.ROOT));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    fail("could not read " + topic + " to " + end + " within 60 s");
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * The episodes of a finished bounded run, read_committed: each open and each close record exactly
     * once, and every opened episode closed (the end of input closes them all). Returns the count.
     */
    static int assertEpisodesExactlyOnce(EmbeddedKafka kafka, String topic) throws IOException {
        Set<String> opened = new LinkedHashSet<>();
        Set<String> closed = new LinkedHashSet<>();
        for (ConsumerRecord<String, byte[]> r : readAll(kafka, topic, IsolationLevel.READ_COMMITTED)) {
            com.fasterxml.jackson.databind.JsonNode e = JSON.readTree(r.value());
            String id = e.path("episodeId").asText();
            boolean fresh = "open".equals(e.path("kind").asText()) ? opened.add(id) : closed.add(id);
            assertTrue(fresh, "episode " + e.path("kind").asText() + " record twice: " + id);
        }
        assertEquals(opened, closed, "every opened episode closed once");
        return opened.size();
    }

    /** Event ids that appear more than once in {@code records}. */
    static Set<String> repeatedEventIds(List<ConsumerRecord<String, byte[]>> records) throws IOException {
        Set<String> seen = new HashSet<>();
        Set<String> repeated = new LinkedHashSet<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            String id = JSON.readTree(r.value()).path("eventId").asText();
            if (!seen.add(id)) {
                repeated.add(id);
            }
        }
        return repeated;
    }

    private static String header(ConsumerRecord<String, byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String first(java.util.Collection<String> c) {
        return c.stream().limit(5).collect(Collectors.joining(", "));
    }
}
