package io.framewise.pipeline.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.operators.frames.FrameHeaders;
import io.framewise.operators.kafka.DeadLetterSerialization;
import io.framewise.pipeline.consume.OutputReader;
import io.framewise.pipeline.consume.ThrowawayReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the labels and dead-letter topics as a downstream consumer does (read_committed) and keeps
 * the load test's books in bounded memory: per phase (capacity probe or load, told apart by the
 * camera id) the events and dead letters, duplicates by frame identity (camera, sequence, frame in
 * segment) in one bit set per camera, the latency from capture to visible in a histogram, and the
 * events per second of job time (capture time + the event's end-to-end latency).
 */
public final class OutputTally implements AutoCloseable {

    public static final String PROBE_PREFIX = "probe-";
    /** Highest latency the histograms record exactly; longer ones are clamped (and reported as such). */
    private static final long MAX_TRACKED_MS = Duration.ofHours(2).toMillis();

    /** The figures of one phase. */
    public static final class Phase {
        public long events;
        public long deadLetters;
        public long duplicates;
        public final Map<String, Integer> deadByReason = new TreeMap<>();
        public final Histogram visibleMs = new Histogram(MAX_TRACKED_MS, 3);
        /** Events by the whole second (epoch) the job made them. */
        final TreeMap<Long, Integer> createdPerSecond = new TreeMap<>();

        /** Events the job made between the two wall-clock instants, per second. */
        public double createdRate(long fromMs, long toMs) {
            if (toMs <= fromMs) {
                return 0;
            }
            long n = createdPerSecond.subMap(fromMs / 1000, true, (toMs - 1) / 1000, true).values().stream()
                    .mapToLong(Integer::longValue).sum();
            return n / ((toMs - fromMs) / 1000.0);
        }

        /** Creation times, kept for the probe only (its backlog is small). */
        long[] created = new long[0];
        int createdCount;

        /**
         * Events per second the job made over a backlog, from its last two thirds: the first third
         * still carries the JIT compiling the decoder, which is start-up, not capacity.
         */
        public double steadyRate() {
            if (createdCount < 6) {
                return 0;
            }
            long[] t = Arrays.copyOf(created, createdCount);
            Arrays.sort(t);
            int from = t.length / 3;
            long span = t[t.length - 1] - t[from];
            return span <= 0 ? 0 : (t.length - 1 - from) / (span / 1000.0);
        }
    }

    private final int segmentStride;
    private final ObjectMapper json = new ObjectMapper();
    private final OutputReader reader;

    private Phase probe = new Phase();
    private final Phase load = new Phase();
    private final Map<String, BitSet> eventsSeen = new HashMap<>();
    private final Map<String, BitSet> deadSeen = new HashMap<>();
    /** Events plus dead letters per camera, for the lag of each camera. */
    private final Map<String, Long> outByCamera = new TreeMap<>();
    /** Visible latencies since the last {@link #takeInterval()}. */
    private Histogram interval = new Histogram(MAX_TRACKED_MS, 3);

    /**
     * @param segmentStride frames a record can hold at most (1 for JPEG records): a frame's identity
     *                      is sequence * stride + index in segment
     */
    public OutputTally(String bootstrap, String labelsTopic, String dlqTopic, Properties kafka, int maxFetchBytes,
                int segmentStride) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.putAll(ThrowawayReader.properties(bootstrap, "framewise-loadtest", "earliest"));
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(maxFetchBytes));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(2 * maxFetchBytes));
        this.segmentStride = segmentStride;
        this.reader = new OutputReader(p, labelsTopic, dlqTopic, "framewise-loadtest-tally", new OutputReader.Handler() {
            @Override
            public void onEvent(ConsumerRecord<byte[], byte[]> r, long visibleAt) throws IOException {
                OutputTally.this.onEvent(json.readTree(r.value()), visibleAt);
            }

            @Override
            public void onDeadLetter(ConsumerRecord<byte[], byte[]> r) {
                OutputTally.this.onDeadLetter(r);
            }
        });
    }

    private synchronized void onEvent(JsonNode e, long visibleAt) {
        String camera = e.path("camera").asText("?");
        Phase ph = phase(camera);
        long id = e.path("sequence").asLong() * segmentStride + e.path("indexInSegment").asInt();
        if (!mark(eventsSeen, camera, id)) {
            ph.duplicates++;
            return;
        }
        ph.events++;
        outByCamera.merge(camera, 1L, Long::sum);
        long capture = e.path("captureTsMs").asLong();
        long created = capture + Math.round(e.path("latency").path("endToEndMs").asDouble());
        ph.createdPerSecond.merge(Math.floorDiv(created, 1000), 1, Integer::sum);
        if (ph == probe) {
            if (probe.createdCount == probe.created.length) {
                probe.created = Arrays.copyOf(probe.created, Math.max(1024, 2 * probe.createdCount));
            }
            probe.created[probe.createdCount++] = created;
        } else {
            long ms = Math.max(0, Math.min(MAX_TRACKED_MS, visibleAt - capture));
            load.visibleMs.recordValue(ms);
            interval.recordValue(ms);
        }
    }

    private void onDeadLetter(ConsumerRecord<byte[], byte[]> r) {
        String camera = r.key() == null ? "?" : new String(r.key(), StandardCharsets.UTF_8);
        String seq = OutputReader.header(r, FrameHeaders.SEQUENCE);
        String reason = OutputReader.header(r, DeadLetterSerialization.REASON_HEADER);
        synchronized (this) {
            Phase ph = phase(camera);
            if (seq != null && seq.matches("\\d{1,18}") && !mark(deadSeen, camera, Long.parseLong(seq))) {
                ph.duplicates++;
                return;
            }
            ph.deadLetters++;
            outByCamera.merge(camera, 1L, Long::sum);
            ph.deadByReason.merge(reason == null ? "?" : reason, 1, Integer::sum);
        }
    }

    private Phase phase(String camera) {
        return camera.startsWith(PROBE_PREFIX) ? probe : load;
    }

    /** Marks a frame seen; false when it already was. */
    private static boolean mark(Map<String, BitSet> seen, String camera, long id) {
        if (id < 0 || id > Integer.MAX_VALUE) {
            throw new IllegalStateException("frame id out of range for camera " + camera + ": " + id);
        }
        BitSet b = seen.computeIfAbsent(camera, c -> new BitSet());
        if (b.get((int) id)) {
            return false;
        }
        b.set((int) id);
        return true;
    }

    public void checkHealthy() {
        reader.checkHealthy();
    }

    /**
     * Starts the probe's figures over: what came out before was a warm-up. Its cameras must not be used
     * again (their frames stay marked as seen).
     */
    public synchronized void restartProbe() {
        probe = new Phase();
    }

    /** Frames of the phase accounted for: events plus dead letters. */
    public synchronized long out(boolean probePhase) {
        Phase ph = probePhase ? probe : load;
        return ph.events + ph.deadLetters;
    }

    /** Frames accounted for of one camera. */
    public synchronized long out(String camera) {
        return outByCamera.getOrDefault(camera, 0L);
    }

    /** Runs {@code reader} on a phase under the tally's lock (the phase keeps changing while read). */
    public synchronized <T> T read(boolean probePhase, java.util.function.Function<Phase, T> reader) {
        return reader.apply(probePhase ? probe : load);
    }

    /** The load phase's visible latencies since the previous call. */
    public synchronized Histogram takeInterval() {
        Histogram h = interval;
        interval = new Histogram(MAX_TRACKED_MS, 3);
        return h;
    }

    @Override
    public void close() throws InterruptedException {
        reader.close();
    }
}
