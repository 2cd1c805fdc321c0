package io.framewise.pipeline.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.framewise.operators.kafka.DeadLetterSerialization;
import io.framewise.pipeline.consume.EventLine;
import io.framewise.pipeline.consume.OutputReader;
import io.framewise.pipeline.consume.ThrowawayReader;
import io.framewise.pipeline.local.EmbeddedBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the labels and dead-letter topics as a downstream consumer would (read_committed) and keeps
 * the demo's figures: distinct events by event id, duplicates, dead letters by reason, end-to-end
 * latencies, labels per camera (top-1 labels; for segmentation, the frames each class is present in).
 */
public final class LabelsMonitor implements AutoCloseable {

    /** Called for each new event (its JSON tree and raw text) or dead letter (null, description). */
    public interface Listener extends BiConsumer<JsonNode, String> {
    }

    private final Listener listener;
    private final ObjectMapper json = new ObjectMapper();
    private final OutputReader reader;

    private final Set<String> eventIds = new HashSet<>();
    private final Map<String, Map<String, Integer>> labelsByCamera = new TreeMap<>();
    private final Map<String, Integer> deadByReason = new TreeMap<>();
    private long[] latencies = new long[1024];
    private int latencyCount;
    private long duplicates;
    private long deadLetters;
    private long framesInferred;
    private long episodesOpened;
    private long episodesClosed;
    private double firstCreatedMs = Double.MAX_VALUE;
    private double lastCreatedMs = -Double.MAX_VALUE;
    private long firstEventNanos;
    private long lastEventNanos;

    public LabelsMonitor(String bootstrap, String labelsTopic, String dlqTopic, Listener listener) {
        this(bootstrap, labelsTopic, dlqTopic, null, listener);
    }

    /**
     * @param episodesTopic also show the episode records (as JSON with {@code "type": "episode"} added);
     *                      null: not
     */
    public LabelsMonitor(String bootstrap, String labelsTopic, String dlqTopic, String episodesTopic,
                         Listener listener) {
        Properties p = ThrowawayReader.properties(bootstrap, "framewise-demo", "earliest");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(EmbeddedBroker.MAX_MESSAGE_BYTES));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(2 * EmbeddedBroker.MAX_MESSAGE_BYTES));
        this.listener = listener;
        this.reader = new OutputReader(p, labelsTopic, dlqTopic, episodesTopic, "framewise-demo-monitor",
                new OutputReader.Handler() {
            @Override
            public void onEvent(ConsumerRecord<byte[], byte[]> r, long visibleAt) throws IOException {
                LabelsMonitor.this.onEvent(r);
            }

            @Override
            public void onDeadLetter(ConsumerRecord<byte[], byte[]> r) {
                LabelsMonitor.this.onDeadLetter(r);
            }

            @Override
            public void onEpisode(ConsumerRecord<byte[], byte[]> r) throws IOException {
                LabelsMonitor.this.onEpisode(r);
            }
        });
    }

    private void onEvent(ConsumerRecord<byte[], byte[]> r) throws IOException {
        String text = new String(r.value(), StandardCharsets.UTF_8);
        JsonNode e = json.readTree(text);
        String id = e.path("eventId").asText();
        boolean fresh;
        synchronized (this) {
            fresh = eventIds.add(id);
            if (!fresh) {
                duplicates++;
            } else {
                long now = System.nanoTime();
                if (firstEventNanos == 0) {
                    firstEventNanos = now;
                }
                lastEventNanos = now;
                if (latencyCount == latencies.length) {
                    latencies = Arrays.copyOf(latencies, latencyCount * 2);
                }
                double e2e = e.path("latency").path("endToEndMs").asDouble();
                latencies[latencyCount++] = Math.round(e2e);
                // when the job made the event (capture time + end-to-end latency), wall clock
                double created = e.path("captureTsMs").asLong() + e2e;
                firstCreatedMs = Math.min(firstCreatedMs, created);
                lastCreatedMs = Math.max(lastCreatedMs, created);
                if (e.path("inferred").asBoolean(true)) {
                    framesInferred++;
                }
                Map<String, Integer> labels = labelsByCamera.computeIfAbsent(e.path("camera").asText("?"),
                        c -> new TreeMap<>());
                if (e.has("classes")) {
                    // segmentation: every class present (>= 1 %, background left out) counts for the frame
                    e.path("classes").fields().forEachRemaining(c -> {
                        if (c.getValue().path("index").asInt() != 0
                                && c.getValue().path("fraction").asDouble() >= EventLine.MIN_FRACTION) {
                            labels.merge(c.getKey(), 1, Integer::sum);
                        }
                    });
                } else {
                    labels.merge(e.path("top").path(0).path("label").asText("?"), 1, Integer::sum);
                }
            }
        }
        if (fresh) {
            listener.accept(e, text);
        }
    }

    private void onEpisode(ConsumerRecord<byte[], byte[]> r) throws IOException {
        ObjectNode e = json.createObjectNode();
        e.put("type", "episode");
        e.setAll((ObjectNode) json.readTree(r.value()));
        synchronized (this) {
            if ("close".equals(e.path("kind").asText())) {
                episodesClosed++;
            } else {
                episodesOpened++;
            }
        }
        listener.accept(e, json.writeValueAsString(e));
    }

    /** Events of frames the model ran on (not carried by sampling or the gate). */
    public synchronized long framesInferred() {
        return framesInferred;
    }

    /** Episodes opened so far (each has an open record; its close comes when it ends). */
    public synchronized long episodesOpened() {
        return episodesOpened;
    }

    public synchronized long episodesClosed() {
        return episodesClosed;
    }

    private void onDeadLetter(ConsumerRecord<byte[], byte[]> r) {
        String reason = header(r, DeadLetterSerialization.REASON_HEADER);
        synchronized (this) {
            deadLetters++;
            deadByReason.merge(reason, 1, Integer::sum);
        }
        String camera = r.key() == null ? "(no key)" : new String(r.key(), StandardCharsets.UTF_8);
        listener.accept(null, "dead letter: camera " + camera + ", reason " + reason + ": "
                + header(r, DeadLetterSerialization.MESSAGE_HEADER));
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        return Objects.requireNonNullElse(OutputReader.header(r, name), "?");
    }

    public void checkHealthy() {
        reader.checkHealthy();
    }

    public synchronized long events() {
        return eventIds.size();
    }

    public synchronized long duplicates() {
        return duplicates;
    }

    public synchronized long deadLetters() {
        return deadLetters;
    }

    public synchronized Map<String, Integer> deadByReason() {
        return new TreeMap<>(deadByReason);
    }

    /**
     * Events per second as the job made them (from the events' creation times), independent of when
     * checkpoints made them visible; 0 with fewer than two events.
     */
    public synchronized double jobRate() {
        double span = lastCreatedMs - firstCreatedMs;
        return eventIds.size() < 2 || span <= 0 ? 0 : (eventIds.size() - 1) / (span / 1000.0);
    }

    public synchronized long lastEventNanos() {
        return lastEventNanos;
    }

    /** The q-quantile (0..1) of end-to-end latency in ms (nearest rank), -1 without events. */
    public synchronized long latencyQuantile(double q) {
        if (latencyCount == 0) {
            return -1;
        }
        long[] s = Arrays.copyOf(latencies, latencyCount);
        Arrays.sort(s);
        int rank = (int) Math.ceil(q * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }

    /** Top-1 label counts per camera, most frequent first, at most {@code n} per camera. */
    public synchronized Map<String, List<Map.Entry<String, Integer>>> topLabels(int n) {
        Map<String, List<Map.Entry<String, Integer>>> out = new TreeMap<>();
        labelsByCamera.forEach((cam, counts) -> out.put(cam, counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(n)
                .map(en -> Map.entry(en.getKey(), en.getValue()))
                .toList()));
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        reader.close();
    }
}
