package io.framewise.pipeline.config;

import io.framewise.operators.decode.DecodeLimits;
import io.framewise.operators.episode.EpisodeSettings;
import io.framewise.operators.gate.GateSettings;
import io.framewise.operators.infer.InferenceSettings;
import io.framewise.operators.isolate.IsolationSettings;
import io.framewise.operators.kafka.CameraConfigJson;
import io.framewise.operators.records.CameraConfig;
import io.framewise.operators.zones.ZoneSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The job's options, parsed and checked: every {@code framewise.*} key known, every value of the
 * right type and in range, else an {@link IllegalArgumentException} naming the option. Built from
 * the Flink configuration's {@code framewise.*} keys overlaid with command-line flags.
 */
public final class JobConfig {

    /** Every option's key and its deprecated keys (still read: Flink's Configuration falls back to them). */
    private static final Set<String> KNOWN = JobOptions.ALL.stream()
            .flatMap(o -> java.util.stream.Stream.concat(java.util.stream.Stream.of(o.key()),
                    java.util.stream.StreamSupport.stream(o.fallbackKeys().spliterator(), false)
                            .map(org.apache.flink.configuration.FallbackKey::getKey)))
            .collect(Collectors.toUnmodifiableSet());

    private final Configuration conf;
    private final Map<String, String> kafka;
    /** kafka plus the properties file, references resolved: what the clients get. */
    private final Map<String, String> resolved;

    private JobConfig(Configuration conf, Map<String, String> kafka, Map<String, String> resolved) {
        this.conf = conf;
        this.kafka = kafka;
        this.resolved = resolved;
    }

    /** Defaults only. */
    public static JobConfig defaults() {
        return parse(Map.of());
    }

    /**
     * @param settings {@code framewise.*} keys (other keys, e.g. Flink's own, are ignored) to string values
     * @throws IllegalArgumentException naming the first unknown or invalid option
     */
    public static JobConfig parse(Map<String, String> settings) {
        Map<String, String> own = new LinkedHashMap<>();
        Map<String, String> kafka = new LinkedHashMap<>();
        settings.forEach((k, v) -> {
            if (!k.startsWith(JobOptions.PREFIX)) {
                return;
            }
            if (k.startsWith(JobOptions.KAFKA_PREFIX)) {
                String prop = k.substring(JobOptions.KAFKA_PREFIX.length());
                if (prop.isBlank()) {
                    throw new IllegalArgumentException("option " + k + " names no Kafka property");
                }
                kafka.put(prop, v);
            } else if (KNOWN.contains(k)) {
                own.put(k, v);
            } else {
                throw new IllegalArgumentException("unknown option " + k + " (--"
                        + k.substring(JobOptions.PREFIX.length()) + "); known: see --help");
            }
        });
        Configuration conf = Configuration.fromMap(own);
        for (ConfigOption<?> o : JobOptions.ALL) {
            try {
                if (conf.get(o) == null) {
                    throw new IllegalArgumentException("no value");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid value '" + own.get(o.key()) + "' for "
                        + JobOptions.describe(o) + ": " + rootMessage(e), e);
            }
        }
        JobConfig c = new JobConfig(conf, Collections.unmodifiableMap(kafka), Collections.unmodifiableMap(
                KafkaClientProperties.effective(kafka, conf.get(JobOptions.KAFKA_PROPERTIES_FILE), System::getenv)));
        c.checkRanges();
        return c;
    }

    private void checkRanges() {
        require(JobOptions.BOOTSTRAP, s -> !s.isBlank(), "must not be blank");
        require(JobOptions.INPUT_TOPIC, s -> !s.isBlank(), "must not be blank");
        require(JobOptions.OUTPUT_TOPIC, s -> !s.isBlank(), "must not be blank");
        require(JobOptions.DLQ_TOPIC, s -> !s.isBlank(), "must not be blank");
        require(JobOptions.EPISODES_TOPIC, s -> !s.isBlank(), "must not be blank");
        require(JobOptions.CAMERA_STATUS_TOPIC, s -> !s.isBlank(), "must not be blank");
        require(JobOptions.CAMERA_CONFIG_TOPIC, s -> !s.isBlank(), "must not be blank");
        try {
            startingPosition();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(JobOptions.describe(JobOptions.STARTING_OFFSETS) + ": " + e.getMessage(), e);
        }
        require(JobOptions.STOP_AT_TIMESTAMP, v -> v >= 0, "must be 0 (off) or an epoch-ms");
        require(JobOptions.GATE_MEAN_THRESHOLD, v -> v >= 0 && v <= 255, "must be 0..255");
        require(JobOptions.GATE_BLOCK_THRESHOLD, v -> v >= 0 && v <= 255, "must be 0..255");
        require(JobOptions.GATE_MAX_SKIP_MS, v -> v >= 1, "must be at least 1");
        require(JobOptions.EPISODE_MIN_SCORE, v -> v >= 0 && v <= 1, "must be 0..1");
        require(JobOptions.EPISODE_MIN_AREA, v -> v >= 0 && v <= 1, "must be 0..1");
        require(JobOptions.SEGMENT_MIN_REGION, v -> v >= 0 && v < 1, "must be in [0, 1)");
        require(JobOptions.EPISODE_MIN_FRAMES, v -> v >= 1, "must be at least 1");
        require(JobOptions.EPISODE_GAP_MS, v -> v >= 1, "must be at least 1");
        require(JobOptions.CAMERA_STATE_TTL_MS, v -> v >= 1000, "must be at least 1000");
        require(JobOptions.EPISODE_MAX_PENDING_FRAMES, v -> v >= 2, "must be at least 2");
        require(JobOptions.EPISODE_ZONE_MIN_OVERLAP, v -> v > 0 && v <= 1, "must be more than 0 and at most 1");
        zoneSettings(); // the zones file is read and checked at start-up
        require(JobOptions.WATERMARK_OUT_OF_ORDERNESS_MS, v -> v >= 0, "must be 0 or more");
        require(JobOptions.WATERMARK_IDLENESS_MS, v -> v >= 1, "must be at least 1");
        require(JobOptions.CAMERA_STALL_AFTER_MS, v -> v >= 1, "must be at least 1");
        require(JobOptions.GROUP, s -> !s.isBlank(), "must not be blank");
        require(JobOptions.MODEL, s -> !s.isBlank(), "must not be blank");
        require(JobOptions.TRANSACTIONAL_ID_PREFIX, s -> !s.isBlank(), "must not be blank");
        require(JobOptions.JOB_NAME, s -> !s.isBlank(), "must not be blank");
        require(JobOptions.TOP_K, v -> v >= 1, "must be at least 1");
        require(JobOptions.BATCH_SIZE, v -> v >= 0 && v <= 1024, "must be 0 (auto) or 1..1024");
        require(JobOptions.BATCH_TIMEOUT_MS, v -> v >= 1, "must be at least 1");
        require(JobOptions.INFERENCE_THREADS, v -> v >= 1 && v <= 256, "must be 1..256");
        require(JobOptions.INFERENCE_INTERVAL, v -> v >= 1, "must be at least 1");
        require(JobOptions.MAX_FPS, v -> v >= 0 && Double.isFinite(v), "must be 0 (off) or positive");
        require(JobOptions.DECODE_TIMEOUT_MS, v -> v >= 1 && v <= 600_000, "must be 1..600000");
        require(JobOptions.DECODE_MAX_STUCK_THREADS, v -> v >= 1 && v <= 64, "must be 1..64");
        require(JobOptions.DECODE_CRASH_STRIKES, v -> v >= 1 && v <= 10, "must be 1..10");
        require(JobOptions.PARALLELISM, v -> v >= 1, "must be at least 1");
        // Flink's own bounds on the number of key groups
        require(JobOptions.MAX_PARALLELISM, v -> v >= 1 && v <= 32768, "must be 1..32768");
        require(JobOptions.PARALLELISM, v -> v <= get(JobOptions.MAX_PARALLELISM),
                "must be at most " + JobOptions.describe(JobOptions.MAX_PARALLELISM) + " ("
                        + get(JobOptions.MAX_PARALLELISM) + ")");
        require(JobOptions.BUFFER_TIMEOUT_MS, v -> v >= 0 && v <= 60_000, "must be 0..60000");
        require(JobOptions.CHECKPOINT_INTERVAL_MS, v -> v >= 10, "must be at least 10");
        require(JobOptions.CHECKPOINT_TIMEOUT_MS, v -> v >= 10, "must be at least 10");
        require(JobOptions.ALIGNED_CHECKPOINT_TIMEOUT_MS, v -> v >= 0 && v < get(JobOptions.CHECKPOINT_TIMEOUT_MS),
                "must be 0 (unaligned from the start) or less than " + JobOptions.describe(JobOptions.CHECKPOINT_TIMEOUT_MS));
        require(JobOptions.TOLERABLE_CHECKPOINT_FAILURES, v -> v >= 0, "must be 0 or more");
        require(JobOptions.TRANSACTION_TIMEOUT_MS,
                v -> v >= 1000 && v <= JobOptions.BROKER_MAX_TRANSACTION_TIMEOUT_MS,
                "must be 1000.." + JobOptions.BROKER_MAX_TRANSACTION_TIMEOUT_MS
                        + " (the broker's default transaction.max.timeout.ms)");
        require(JobOptions.RESTART_ATTEMPTS, v -> v >= 0, "must be 0 or more");
        require(JobOptions.RESTART_DELAY_MS, v -> v >= 0, "must be 0 or more");
        require(JobOptions.MAX_RECORD_BYTES, v -> v >= 1024, "must be at least 1024");
        require(JobOptions.MAX_WIDTH, v -> v >= 1, "must be at least 1");
        require(JobOptions.MAX_HEIGHT, v -> v >= 1, "must be at least 1");
        require(JobOptions.MAX_PIXELS, v -> v >= 1, "must be at least 1");
        require(JobOptions.MAX_FRAMES_PER_SEGMENT, v -> v >= 1, "must be at least 1");
        require(JobOptions.METRICS_MAX_CAMERAS, v -> v >= 0 && v <= 10_000, "must be 0..10000");
        // A transaction opens at one checkpoint and commits when the next one completes: at most the interval
        // plus that checkpoint's duration, and a checkpoint lasts at most its timeout. A broker that aborts the
        // transaction first loses its events, so the bound must hold for the slowest checkpoint under overload.
        if (get(JobOptions.DELIVERY_GUARANTEE) == JobOptions.Guarantee.EXACTLY_ONCE
                && get(JobOptions.CHECKPOINT_INTERVAL_MS) + get(JobOptions.CHECKPOINT_TIMEOUT_MS)
                >= get(JobOptions.TRANSACTION_TIMEOUT_MS)) {
            throw new IllegalArgumentException(JobOptions.describe(JobOptions.CHECKPOINT_INTERVAL_MS) + " ("
                    + get(JobOptions.CHECKPOINT_INTERVAL_MS) + ") plus " + JobOptions.describe(JobOptions.CHECKPOINT_TIMEOUT_MS)
                    + " (" + get(JobOptions.CHECKPOINT_TIMEOUT_MS) + ") must stay below "
                    + JobOptions.describe(JobOptions.TRANSACTION_TIMEOUT_MS) + " (" + get(JobOptions.TRANSACTION_TIMEOUT_MS)
                    + "): the broker would abort a transaction whose slow checkpoint has not committed it yet,"
                    + " and its events would be lost");
        }
        require(JobOptions.CAMERA_STATE_TTL_MS, v -> v > get(JobOptions.CAMERA_STALL_AFTER_MS),
                "must be longer than " + JobOptions.describe(JobOptions.CAMERA_STALL_AFTER_MS) + " ("
                        + get(JobOptions.CAMERA_STALL_AFTER_MS) + "): a stalled camera's state must outlive its STALLED report");
    }

    private <T> void require(ConfigOption<T> o, Predicate<T> ok, String rule) {
        T v = get(o);
        if (!ok.test(v)) {
            throw new IllegalArgumentException(JobOptions.describe(o) + " " + rule + ", got '" + v + "'");
        }
    }

    public <T> T get(ConfigOption<T> option) {
        return conf.get(option);
    }

    /** A copy with one option changed (re-checked). */
    public <T> JobConfig with(ConfigOption<T> option, T value) {
        Map<String, String> m = toMap();
        m.put(option.key(), value.toString());
        return parse(m);
    }

    /** The inference settings; batch size 0 (auto) depends on the task. */
    public InferenceSettings inferenceSettings(boolean segmentation) {
        int batchSize = get(JobOptions.BATCH_SIZE) > 0 ? get(JobOptions.BATCH_SIZE)
                : segmentation ? JobOptions.SEGMENTATION_BATCH_SIZE : JobOptions.CLASSIFICATION_BATCH_SIZE;
        return new InferenceSettings(get(JobOptions.MODEL), get(JobOptions.LABELS).isBlank() ? null : get(JobOptions.LABELS),
                get(JobOptions.TOP_K), batchSize, get(JobOptions.BATCH_TIMEOUT_MS),
                get(JobOptions.INFERENCE_THREADS), get(JobOptions.INFERENCE_OVERLAP), get(JobOptions.SEGMENT_MIN_REGION));
    }

    /**
     * Kafka client properties passed through to the source and both sinks: the properties file's and
     * the explicit ones, {@code ${env:...}} and {@code ${file:...}} resolved.
     */
    public Properties kafkaProperties() {
        Properties p = new Properties();
        p.putAll(resolved);
        return p;
    }

    /** The parsed {@link JobOptions#STARTING_OFFSETS}. */
    public JobOptions.StartingPosition startingPosition() {
        return JobOptions.StartingPosition.parse(get(JobOptions.STARTING_OFFSETS));
    }

    public GateSettings gateSettings() {
        return get(JobOptions.GATE_ENABLED)
                ? new GateSettings(true, get(JobOptions.GATE_MEAN_THRESHOLD), get(JobOptions.GATE_BLOCK_THRESHOLD),
                        get(JobOptions.GATE_MAX_SKIP_MS))
                : GateSettings.OFF;
    }

    public EpisodeSettings episodeSettings() {
        return new EpisodeSettings(get(JobOptions.EPISODE_MIN_FRAMES), get(JobOptions.EPISODE_GAP_MS),
                get(JobOptions.CAMERA_STATE_TTL_MS), get(JobOptions.EPISODE_MAX_PENDING_FRAMES));
    }

    /**
     * The zones file read and checked, with the overlap threshold.
     *
     * @throws IllegalArgumentException naming {@link JobOptions#EPISODE_ZONES_FILE} when the file cannot be
     *                                  read or holds a bad zone
     */
    public ZoneSettings zoneSettings() {
        String file = get(JobOptions.EPISODE_ZONES_FILE);
        Map<String, CameraConfig> zones = Map.of();
        if (!file.isBlank()) {
            try {
                zones = CameraConfigJson.parseFile(Files.readAllBytes(Path.of(file)));
            } catch (IOException e) {
                throw new IllegalArgumentException(JobOptions.describe(JobOptions.EPISODE_ZONES_FILE)
                        + ": cannot read " + file + ": " + e, e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(JobOptions.describe(JobOptions.EPISODE_ZONES_FILE) + ": " + file
                        + ": " + e.getMessage(), e);
            }
        }
        return new ZoneSettings(zones, get(JobOptions.EPISODE_ZONE_MIN_OVERLAP));
    }

    /** Decoder isolation; the quarantine's sub-folder is the consumer group (as a plain folder name). */
    public IsolationSettings isolationSettings() {
        return new IsolationSettings(get(JobOptions.DECODE_TIMEOUT_MS), get(JobOptions.DECODE_MAX_STUCK_THREADS),
                get(JobOptions.DECODE_CRASH_STRIKES), get(JobOptions.DECODE_QUARANTINE_DIR), get(JobOptions.GROUP).replaceAll("[^A-Za-z0-9._-]", "_")
                        .replace("..", "__"));
    }

    public DecodeLimits decodeLimits() {
        return new DecodeLimits(get(JobOptions.MAX_RECORD_BYTES), get(JobOptions.MAX_WIDTH),
                get(JobOptions.MAX_HEIGHT), get(JobOptions.MAX_PIXELS), get(JobOptions.MAX_FRAMES_PER_SEGMENT));
    }

    /** Every option with its effective value, plus the Kafka pass-through keys. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (ConfigOption<?> o : JobOptions.ALL) {
            m.put(o.key(), String.valueOf(conf.get(o)));
        }
        kafka.forEach((k, v) -> m.put(JobOptions.KAFKA_PREFIX + k, v));
        return m;
    }

    @Override
    public String toString() {
        return toMap().entrySet().stream()
                .map(e -> e.getKey() + "=" + (secret(e.getKey()) ? "***" : e.getValue()))
                .collect(Collectors.joining(", ", "JobConfig{", "}"));
    }

    /** Kafka SASL/SSL secrets never reach logs. */
    private static boolean secret(String key) {
        return key.startsWith(JobOptions.KAFKA_PREFIX) && KafkaClientProperties.isSecret(key);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
