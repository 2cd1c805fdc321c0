package io.framewise.pipeline.config;

import io.framewise.inference.exec.SharedModels;
import io.framewise.operators.decode.DecodeLimits;
import io.framewise.operators.isolate.IsolationSettings;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Every option of the Framewise job, defined once: key, type, default and description.
 *
 * <p>Each option is a Flink {@link ConfigOption} under {@code framewise.*} (settable in the cluster's
 * Flink configuration) and, with the prefix dropped, a command-line flag ({@code framewise.batch-size}
 * is {@code --batch-size}). Kafka client properties pass through as {@code framewise.kafka.<property>}
 * or {@code --kafka <property>=<value>} to the source and both sinks (SASL/SSL settings, for example).
 * {@link JobConfig#parse} reads and validates them.
 */
public final class JobOptions {

    /** Prefix of every option key in the Flink configuration. */
    public static final String PREFIX = "framewise.";
    /** Prefix of Kafka client properties passed through to the source and sinks. */
    public static final String KAFKA_PREFIX = PREFIX + "kafka.";

    /** Where the source starts when the job starts without a checkpoint or savepoint. */
    public enum StartingOffsets {
        EARLIEST, LATEST, COMMITTED, TIMESTAMP;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A parsed {@link #STARTING_OFFSETS} value: {@code earliest}, {@code latest}, {@code committed} or
     * {@code timestamp:<epoch-ms>} (each partition's first record with a Kafka timestamp at or after it).
     */
    public record StartingPosition(StartingOffsets kind, long timestampMs) {

        public static StartingPosition parse(String s) {
            String v = s.trim().toLowerCase(Locale.ROOT);
            if (v.startsWith("timestamp:")) {
                long ts;
                try {
                    ts = Long.parseLong(v.substring("timestamp:".length()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("timestamp:<epoch-ms> needs a number, got '" + s + "'");
                }
                if (ts < 0) {
                    throw new IllegalArgumentException("timestamp must be >= 0, got " + ts);
                }
                return new StartingPosition(StartingOffsets.TIMESTAMP, ts);
            }
            for (StartingOffsets k : StartingOffsets.values()) {
                if (k != StartingOffsets.TIMESTAMP && k.toString().equals(v)) {
                    return new StartingPosition(k, -1);
                }
            }
            throw new IllegalArgumentException("expected earliest | latest | committed | timestamp:<epoch-ms>, got '"
                    + s + "'");
        }
    }

    /** Delivery guarantee of both sinks. */
    public enum Guarantee {
        EXACTLY_ONCE, AT_LEAST_ONCE;

        // Flink parses enum options by comparing toString(), so "exactly-once" is the accepted spelling.
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** How checkpoint barriers pass in-flight data ({@link #CHECKPOINT_MODE}). */
    public enum CheckpointMode {
        ALIGNED, UNALIGNED;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The broker's default transaction.max.timeout.ms; Flink's own default (1 h) is over it. */
    public static final long BROKER_MAX_TRANSACTION_TIMEOUT_MS = 15 * 60_000L;

    public static final ConfigOption<String> BOOTSTRAP = ConfigOptions.key(PREFIX + "bootstrap")
            .stringType().defaultValue("localhost:9092")
            .withDescription("Kafka bootstrap servers (host:port[,host:port...]).");

    public static final ConfigOption<String> INPUT_TOPIC = ConfigOptions.key(PREFIX + "input-topic")
            .stringType().defaultValue("frames")
            .withDescription("Topic of frame records (key = camera id).");

    public static final ConfigOption<String> OUTPUT_TOPIC = ConfigOptions.key(PREFIX + "output-topic")
            .stringType().defaultValue("labels")
            .withDescription("Topic of labeled events (JSON, key = camera id).");

    public static final ConfigOption<String> DLQ_TOPIC = ConfigOptions.key(PREFIX + "dlq-topic")
            .stringType().defaultValue("frames-dlq")
            .withDescription("Dead-letter topic: original bytes and headers plus reason, message and source.");

    public static final ConfigOption<String> GROUP = ConfigOptions.key(PREFIX + "group")
            .stringType().defaultValue("framewise")
            .withDescription("Consumer group id of the source (offsets are committed on checkpoints).");

    public static final ConfigOption<String> STARTING_OFFSETS = ConfigOptions.key(PREFIX + "starting-offsets")
            .stringType().defaultValue("committed")
            .withDescription("earliest | latest | committed (the group's offsets; earliest where it has none)"
                    + " | timestamp:<epoch-ms> (each partition from its first record whose Kafka timestamp is at"
                    + " or after it; backfill). Only for a fresh start: a restore continues from the checkpoint.");

    public static final ConfigOption<Long> STOP_AT_TIMESTAMP = ConfigOptions.key(PREFIX + "stop-at-timestamp")
            .longType().defaultValue(0L)
            .withDescription("Stop each partition at its first record whose Kafka timestamp is at or after this"
                    + " epoch-ms (excluded), then finish like stop-at-latest; 0 = unbounded. With"
                    + " starting-offsets timestamp:<ms> it re-labels a time range (backfill).");

    public static final ConfigOption<String> EPISODES_TOPIC = ConfigOptions.key(PREFIX + "episodes-topic")
            .stringType().defaultValue("episodes")
            .withDescription("Topic of presence episode records (open/close, JSON, key = camera id;"
                    + " docs/episode.schema.json).");

    public static final ConfigOption<String> CAMERA_STATUS_TOPIC = ConfigOptions.key(PREFIX + "camera-status-topic")
            .stringType().defaultValue("camera-status")
            .withDescription("Topic of camera status records (STALLED/RESUMED, JSON, key = camera id;"
                    + " docs/camera-status.schema.json).");

    public static final ConfigOption<String> CAMERA_CONFIG_TOPIC = ConfigOptions.key(PREFIX + "camera-config-topic")
            .stringType().defaultValue("camera-config")
            .withDescription("Compacted topic of camera configurations (key = camera id, JSON {\"zones\": [...]},"
                    + " docs/camera-config.schema.json), read from its start as broadcast state: a record replaces"
                    + " the camera's zones while the job runs; a tombstone removes them. May not exist yet.");

    public static final ConfigOption<Boolean> STOP_AT_LATEST = ConfigOptions.key(PREFIX + "stop-at-latest")
            .booleanType().defaultValue(false)
            .withDescription("Stop once the input offsets that were latest at the start are processed"
                    + " (reprocess a backlog, then finish; the last events commit with the final checkpoint).");

    public static final ConfigOption<String> MODEL = ConfigOptions.key(PREFIX + "model")
            .stringType().defaultValue(SharedModels.DEFAULT_MODEL)
            .withDescription("Model file, or a name under $FRAMEWISE_DATA/models or ../shared/models;"
                    + " every TaskManager must see it.");

    public static final ConfigOption<String> LABELS = ConfigOptions.key(PREFIX + "labels")
            .stringType().defaultValue("")
            .withDescription("Labels file or name (empty: the one that goes with the model).");

    public static final ConfigOption<Integer> TOP_K = ConfigOptions.key(PREFIX + "top-k")
            .intType().defaultValue(5)
            .withDescription("Classes per event.");

    /** {@link #BATCH_SIZE} of classification models when it is 0 (auto). */
    public static final int CLASSIFICATION_BATCH_SIZE = 8;

    /**
     * {@link #BATCH_SIZE} of segmentation models when it is 0 (auto). Batching buys a 513x513 model
     * nothing: one image's activations already overflow L2, and one run of
     * {@code bench --model deeplabv3_mnv2_pascal_quant.tflite --batch 1,2,4 --threads 1} measured 14.3,
     * 14.1 and 12.9 images/s. Batch 1 gives the lowest latency at the same throughput.
     */
    public static final int SEGMENTATION_BATCH_SIZE = 1;

    public static final ConfigOption<Integer> BATCH_SIZE = ConfigOptions.key(PREFIX + "batch-size")
            .intType().defaultValue(0)
            .withDescription("Frames per forward pass: a batch runs when this many frames wait. 0 (auto): "
                    + CLASSIFICATION_BATCH_SIZE + " for classification models, " + SEGMENTATION_BATCH_SIZE
                    + " for segmentation models (513x513 frames gain nothing from batching).");

    public static final ConfigOption<Long> BATCH_TIMEOUT_MS = ConfigOptions.key(PREFIX + "batch-timeout-ms")
            .longType().defaultValue(40L)
            .withDescription("A partial batch runs this many ms after its first frame arrived.");

    public static final ConfigOption<Integer> INFERENCE_THREADS = ConfigOptions.key(PREFIX + "inference-threads")
            .intType().defaultValue(1)
            .withDescription("Threads per forward pass in each inference subtask: a batch of at least this many "
                    + "frames is split by frames, a smaller one (a partial batch, batch size 1) layer by layer.");

    public static final ConfigOption<Double> SEGMENT_MIN_REGION = ConfigOptions.key(PREFIX + "segment.min-region")
            .doubleType().defaultValue(0.005)
            .withDescription("Segmentation: an event lists a class's 8-connected regions covering at least this "
                    + "fraction of the class map (as ./framewise segment --min-area).");

    public static final ConfigOption<Boolean> INFERENCE_OVERLAP = ConfigOptions.key(PREFIX + "inference-overlap")
            .booleanType().defaultValue(true)
            .withDescription("Run each batch on an inference thread while the task thread decodes the next frames"
                    + " (one batch in flight; still flushed before every checkpoint barrier). false runs batches"
                    + " on the task thread, serial with decoding.");

    public static final ConfigOption<Long> BUFFER_TIMEOUT_MS = ConfigOptions.key(PREFIX + "buffer-timeout-ms")
            .longType().defaultValue(5L)
            .withDescription("How long a partly filled network buffer between tasks waits before it is sent"
                    + " (Flink's execution.buffer-timeout.interval, 100 ms by default there). A frame record"
                    + " spans several 32 KB buffers and its last one would otherwise wait for the next frame"
                    + " or the timeout; 0 sends after every record.");

    public static final ConfigOption<Integer> PARALLELISM = ConfigOptions.key(PREFIX + "parallelism")
            .intType().defaultValue(1)
            .withDescription("Parallelism of every operator.");

    public static final ConfigOption<Integer> MAX_PARALLELISM = ConfigOptions.key(PREFIX + "max-parallelism")
            .intType().defaultValue(128)
            .withDescription("Highest parallelism a restore may scale to (Flink's number of key groups)."
                    + " Fixed into the per-camera state of every savepoint: keep it across restores;"
                    + " raise it only on a fresh start.");

    public static final ConfigOption<String> FROM_SAVEPOINT = ConfigOptions.key(PREFIX + "from-savepoint")
            .stringType().defaultValue("")
            .withDescription("Savepoint (or retained checkpoint) directory to restore from (Flink's"
                    + " execution.state-recovery.path); empty: a fresh start, or whatever flink run -s gives.");

    public static final ConfigOption<Boolean> ALLOW_NON_RESTORED_STATE = ConfigOptions.key(PREFIX + "allow-non-restored-state")
            .booleanType().defaultValue(false)
            .withDescription("With " + PREFIX + "from-savepoint: start even if some of the savepoint's state"
                    + " maps to no operator (Flink's execution.state-recovery.ignore-unclaimed-state)."
                    + " Off, so a changed operator uid fails the restore instead of dropping state.");

    public static final ConfigOption<Long> CHECKPOINT_INTERVAL_MS = ConfigOptions.key(PREFIX + "checkpoint-interval-ms")
            .longType().defaultValue(2000L)
            .withDescription("Checkpoint interval; with exactly-once, events become visible to read_committed"
                    + " consumers when a checkpoint completes.");

    public static final ConfigOption<Long> CHECKPOINT_TIMEOUT_MS = ConfigOptions.key(PREFIX + "checkpoint-timeout-ms")
            .longType().defaultValue(5 * 60_000L)
            .withDescription("A checkpoint not complete after this long fails (see tolerable-checkpoint-failures)."
                    + " With exactly-once, checkpoint-interval-ms plus this must stay below transaction-timeout-ms:"
                    + " the broker aborts a transaction open for longer before its checkpoint can commit it.");

    public static final ConfigOption<CheckpointMode> CHECKPOINT_MODE = ConfigOptions.key(PREFIX + "checkpoint-mode")
            .enumType(CheckpointMode.class).defaultValue(CheckpointMode.UNALIGNED)
            .withDescription("aligned | unaligned (Flink's execution.checkpointing.unaligned.enabled). Unaligned"
                    + " barriers overtake the frames waiting in network buffers, which are stored with the checkpoint"
                    + " (its persisted data), so a checkpoint under backpressure need not wait for the backlog ahead of"
                    + " it; the broadcast camera-config input stays aligned (Flink never stores broadcast in-flight"
                    + " data). docs/checkpoints.md has the measurements behind the default.");

    public static final ConfigOption<Long> ALIGNED_CHECKPOINT_TIMEOUT_MS =
            ConfigOptions.key(PREFIX + "aligned-checkpoint-timeout-ms")
            .longType().defaultValue(0L)
            .withDescription("With checkpoint-mode unaligned: a checkpoint starts aligned and turns unaligned when"
                    + " its barriers have not aligned after this long (Flink's"
                    + " execution.checkpointing.aligned-checkpoint-timeout); 0 = unaligned from the start.");

    public static final ConfigOption<Boolean> BUFFER_DEBLOAT = ConfigOptions.key(PREFIX + "buffer-debloat")
            .booleanType().defaultValue(false)
            .withDescription("Buffer debloating: each input keeps only about a second of in-flight data instead of"
                    + " all its network buffers (Flink's taskmanager.network.memory.buffer-debloat.enabled). A"
                    + " TaskManager setting: it applies to the local cluster of job/demo/loadtest; on a remote"
                    + " cluster set taskmanager.network.memory.buffer-debloat.enabled in its configuration.");

    public static final ConfigOption<Integer> TOLERABLE_CHECKPOINT_FAILURES =
            ConfigOptions.key(PREFIX + "tolerable-checkpoint-failures")
            .intType().defaultValue(0)
            .withDescription("Checkpoints that may fail in a row (timed out, a snapshot error) before the job restarts"
                    + " from the last completed one; 0 restarts on the first. The events of a failed checkpoint"
                    + " are committed with the next completed one.");

    public static final ConfigOption<Guarantee> DELIVERY_GUARANTEE = ConfigOptions.key(PREFIX + "delivery-guarantee")
            .enumType(Guarantee.class).defaultValue(Guarantee.EXACTLY_ONCE)
            .withDescription("exactly-once (Kafka transactions) | at-least-once.");

    public static final ConfigOption<Long> TRANSACTION_TIMEOUT_MS = ConfigOptions.key(PREFIX + "transaction-timeout-ms")
            .longType().defaultValue(10 * 60_000L)
            .withDescription("Kafka transaction timeout of the exactly-once sinks; at most the broker's"
                    + " transaction.max.timeout.ms (15 min by default).");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = ConfigOptions.key(PREFIX + "transactional-id-prefix")
            .stringType().defaultValue("framewise")
            .withDescription("Prefix of the sinks' transactional ids; unique per job on a cluster.");

    public static final ConfigOption<Integer> MAX_RECORD_BYTES = ConfigOptions.key(PREFIX + "max-record-bytes")
            .intType().defaultValue(DecodeLimits.DEFAULTS.maxEncodedBytes())
            .withDescription("Largest frame record value accepted; larger ones are dead-lettered"
                    + " (also sets the consumer's fetch sizes).");

    public static final ConfigOption<Integer> MAX_WIDTH = ConfigOptions.key(PREFIX + "max-width")
            .intType().defaultValue(DecodeLimits.DEFAULTS.maxWidth())
            .withDescription("Widest picture accepted.");

    public static final ConfigOption<Integer> MAX_HEIGHT = ConfigOptions.key(PREFIX + "max-height")
            .intType().defaultValue(DecodeLimits.DEFAULTS.maxHeight())
            .withDescription("Tallest picture accepted.");

    public static final ConfigOption<Long> MAX_PIXELS = ConfigOptions.key(PREFIX + "max-pixels")
            .longType().defaultValue(DecodeLimits.DEFAULTS.maxPixels())
            .withDescription("Largest width*height accepted.");

    public static final ConfigOption<Integer> MAX_FRAMES_PER_SEGMENT = ConfigOptions.key(PREFIX + "max-frames-per-segment")
            .intType().defaultValue(DecodeLimits.DEFAULTS.maxFramesPerSegment())
            .withDescription("Most frames one segment record may hold.");

    public static final ConfigOption<Long> DECODE_TIMEOUT_MS = ConfigOptions.key(PREFIX + "decode-timeout-ms")
            .longType().defaultValue(IsolationSettings.DEFAULT_TIMEOUT_MS)
            .withDescription("Longest one record may take to decode; after it the record is a DECODE_TIMEOUT dead"
                    + " letter and its decode thread is abandoned (docs/decoder-isolation.md).");

    public static final ConfigOption<Integer> DECODE_MAX_STUCK_THREADS = ConfigOptions.key(PREFIX + "decode-max-stuck-threads")
            .intType().defaultValue(IsolationSettings.DEFAULT_MAX_STUCK_THREADS)
            .withDescription("Abandoned decode threads still running in one TaskManager JVM at which the next"
                    + " timeout fails the task instead (each burns a core until its native code returns).");

    public static final ConfigOption<Integer> DECODE_CRASH_STRIKES = ConfigOptions.key(PREFIX + "decode-crash-strikes")
            .intType().defaultValue(IsolationSettings.DEFAULT_CRASH_STRIKES)
            .withDescription("TaskManagers that must die while decoding one record, leaving no fatal error report"
                    + " (hs_err file), before it is a DECODER_CRASH dead letter instead of being decoded again; a"
                    + " death with a report (a native crash) convicts the record at once. 1 dead-letters whatever"
                    + " was being decoded when a TaskManager was killed.");

    public static final ConfigOption<String> DECODE_QUARANTINE_DIR = ConfigOptions.key(PREFIX + "decode-quarantine-dir")
            .stringType().defaultValue("")
            .withDescription("Folder of the markers of records being decoded, which outlive a TaskManager that"
                    + " crashes in native decoding so the replayed record becomes a DECODER_CRASH dead letter;"
                    + " empty: <java.io.tmpdir>/framewise-decode-quarantine on each TaskManager. A sub-folder per"
                    + " consumer group keeps jobs apart. Shared storage lets a restart on another host see them.");

    public static final ConfigOption<Integer> INFERENCE_INTERVAL = ConfigOptions.key(PREFIX + "inference-interval")
            .intType().defaultValue(1)
            .withDescription("Run the model on every Nth frame of a camera; the others get an event with the"
                    + " last result and inferred=false.");

    public static final ConfigOption<Double> MAX_FPS = ConfigOptions.key(PREFIX + "max-fps")
            .doubleType().defaultValue(0.0)
            .withDescription("Run the model at most this often per camera (by capture time); 0 = no cap.");

    public static final ConfigOption<Boolean> GATE_ENABLED = ConfigOptions.key(PREFIX + "gate.enabled")
            .booleanType().defaultValue(false)
            .withDescription("Change gate: a frame that barely differs from its camera's last inferred frame is not"
                    + " inferred; its event carries the last result, inferred=false and gate.difference.");

    public static final ConfigOption<Double> GATE_MEAN_THRESHOLD = ConfigOptions.key(PREFIX + "gate.mean-threshold")
            .doubleType().defaultValue(0.5)
            .withDescription("Gate: mean absolute difference (0..255) of the 32x32 grayscale thumbnails below which"
                    + " a frame may skip inference.");

    public static final ConfigOption<Double> GATE_BLOCK_THRESHOLD = ConfigOptions.key(PREFIX + "gate.block-threshold")
            .doubleType().defaultValue(2.0)
            .withDescription("Gate: the largest mean absolute difference of one of the 8x8 blocks (each 1/64 of the"
                    + " picture) must also be below this, so a small object entering is not averaged away.");

    public static final ConfigOption<Long> GATE_MAX_SKIP_MS = ConfigOptions.key(PREFIX + "gate.max-skip-ms")
            .longType().defaultValue(5000L)
            .withDescription("Gate: infer at least once per this much event time (capture time) per camera.");

    public static final ConfigOption<Double> EPISODE_MIN_SCORE = ConfigOptions.key(PREFIX + "episode.min-score")
            .doubleType().defaultValue(0.5)
            .withDescription("Episodes: a classification top-1 with at least this score is an observation.");

    public static final ConfigOption<Double> EPISODE_MIN_AREA = ConfigOptions.key(PREFIX + "episode.min-area")
            .doubleType().defaultValue(0.005)
            .withDescription("Episodes: a segmentation class covering at least this fraction of the picture is an"
                    + " observation (for segmentation models).");

    public static final ConfigOption<Integer> EPISODE_MIN_FRAMES = ConfigOptions.key(PREFIX + "episode.min-frames")
            .intType().defaultValue(3)
            .withDescription("Episodes: consecutive frames with a class before its episode opens.");

    public static final ConfigOption<Long> EPISODE_GAP_MS = ConfigOptions.key(PREFIX + "episode.gap-ms")
            .longType().defaultValue(1000L)
            .withDescription("Episodes: event time without the class after which its episode closes.");

    public static final ConfigOption<Long> CAMERA_STATE_TTL_MS = ConfigOptions.key(PREFIX + "camera-state-ttl-ms")
            .longType().defaultValue(24 * 3_600_000L)
            .withDeprecatedKeys(PREFIX + "episode.camera-ttl-ms")
            .withDescription("Per-camera state (decode sequence and sampling, change gate, the carried result,"
                    + " camera status, episodes)"
                    + " not written for this long (processing time) is dropped: cameras gone for good do not hold"
                    + " state forever. A camera back after longer starts afresh (no RESUMED record). Must be longer"
                    + " than camera.stall-after-ms. Replaces episode.camera-ttl-ms (still accepted).");

    public static final ConfigOption<Integer> EPISODE_MAX_PENDING_FRAMES =
            ConfigOptions.key(PREFIX + "episode.max-pending-frames")
            .intType().defaultValue(io.framewise.operators.episode.EpisodeSettings.DEFAULT_MAX_PENDING)
            .withDescription("Episodes: frames of one camera held for the watermark at most (the bound on its state"
                    + " while partitions drift apart); past it the oldest half is applied without waiting and"
                    + " counted in episodeFramesReleasedEarly.");

    public static final ConfigOption<String> EPISODE_ZONES_FILE = ConfigOptions.key(PREFIX + "episode.zones-file")
            .stringType().defaultValue("")
            .withDescription("Episodes: JSON file of named polygons per camera, {\"<camera>\": {\"zones\": [{\"name\":"
                    + " \"door\", \"polygon\": [[x, y], ...]}]}} in normalized coordinates (docs/zones.md); read"
                    + " and checked at start-up; camera-config records replace a camera's entry. Empty: no zones.");

    public static final ConfigOption<Double> EPISODE_ZONE_MIN_OVERLAP = ConfigOptions.key(PREFIX + "episode.zone-min-overlap")
            .doubleType().defaultValue(0.5)
            .withDescription("Episodes: an observation is in a zone when at least this share of its box's area is"
                    + " inside the zone's polygon; an observation without a box (classification) is the whole"
                    + " picture (docs/zones.md).");

    public static final ConfigOption<Long> WATERMARK_OUT_OF_ORDERNESS_MS =
            ConfigOptions.key(PREFIX + "watermark.out-of-orderness-ms")
            .longType().defaultValue(500L)
            .withDescription("Event time: the source's watermark trails each partition's largest fw-ts by this much;"
                    + " a frame older than the watermark is late (counted, never reopens an episode).");

    public static final ConfigOption<Long> WATERMARK_IDLENESS_MS = ConfigOptions.key(PREFIX + "watermark.idleness-ms")
            .longType().defaultValue(5000L)
            .withDescription("Event time: a partition with no record for this long (processing time) stops holding"
                    + " the watermark back, so other cameras' time closes a quiet camera's episodes.");

    public static final ConfigOption<Long> CAMERA_STALL_AFTER_MS = ConfigOptions.key(PREFIX + "camera.stall-after-ms")
            .longType().defaultValue(10_000L)
            .withDescription("Camera status: a camera that was sending and sent nothing for this long (processing"
                    + " time) is reported STALLED; its next record RESUMED.");

    public static final ConfigOption<Integer> RESTART_ATTEMPTS = ConfigOptions.key(PREFIX + "restart-attempts")
            .intType().defaultValue(3)
            .withDescription("Restarts after a failure before the job fails (bounded, so a broken job stops).");

    public static final ConfigOption<Long> RESTART_DELAY_MS = ConfigOptions.key(PREFIX + "restart-delay-ms")
            .longType().defaultValue(2000L)
            .withDescription("Wait before each restart.");

    public static final ConfigOption<Integer> METRICS_MAX_CAMERAS = ConfigOptions.key(PREFIX + "metrics-max-cameras")
            .intType().defaultValue(16)
            .withDescription("Cameras with their own metric series (frames/s, last-seen age) per decode subtask;"
                    + " further cameras share one series labeled camera=\"other\" (bounds the metric count).");

    public static final ConfigOption<String> KAFKA_PROPERTIES_FILE = ConfigOptions.key(PREFIX + "kafka-properties-file")
            .stringType().defaultValue("")
            .withDescription("Java properties file of Kafka client properties for the source and both sinks"
                    + " (security.protocol, ssl.*, sasl.*), so secrets stay off the command line; --kafka and "
                    + KAFKA_PREFIX + "* win over its entries. In any Kafka property value ${env:NAME} is replaced"
                    + " by an environment variable and ${file:PATH} by a file's content. See docs/security.md.");

    public static final ConfigOption<String> JOB_NAME = ConfigOptions.key(PREFIX + "job-name")
            .stringType().defaultValue("framewise")
            .withDescription("Name of the Flink job.");

    /** All options, in the order help lists them. */
    public static final List<ConfigOption<?>> ALL = List.of(
            BOOTSTRAP, INPUT_TOPIC, OUTPUT_TOPIC, DLQ_TOPIC, EPISODES_TOPIC, CAMERA_STATUS_TOPIC, CAMERA_CONFIG_TOPIC, GROUP,
            STARTING_OFFSETS, STOP_AT_LATEST, STOP_AT_TIMESTAMP,
            MODEL, LABELS, TOP_K, BATCH_SIZE, BATCH_TIMEOUT_MS, INFERENCE_THREADS, SEGMENT_MIN_REGION, INFERENCE_OVERLAP,
            INFERENCE_INTERVAL, MAX_FPS, BUFFER_TIMEOUT_MS,
            DECODE_TIMEOUT_MS, DECODE_MAX_STUCK_THREADS, DECODE_CRASH_STRIKES, DECODE_QUARANTINE_DIR,
            GATE_ENABLED, GATE_MEAN_THRESHOLD, GATE_BLOCK_THRESHOLD, GATE_MAX_SKIP_MS,
            EPISODE_MIN_SCORE, EPISODE_MIN_AREA, EPISODE_MIN_FRAMES, EPISODE_GAP_MS,
            EPISODE_MAX_PENDING_FRAMES,
            EPISODE_ZONES_FILE, EPISODE_ZONE_MIN_OVERLAP,
            WATERMARK_OUT_OF_ORDERNESS_MS, WATERMARK_IDLENESS_MS, CAMERA_STALL_AFTER_MS, CAMERA_STATE_TTL_MS,
            PARALLELISM, MAX_PARALLELISM, FROM_SAVEPOINT, ALLOW_NON_RESTORED_STATE,
            CHECKPOINT_INTERVAL_MS, CHECKPOINT_TIMEOUT_MS, CHECKPOINT_MODE, ALIGNED_CHECKPOINT_TIMEOUT_MS, BUFFER_DEBLOAT,
            TOLERABLE_CHECKPOINT_FAILURES,
            DELIVERY_GUARANTEE, TRANSACTION_TIMEOUT_MS,
            TRANSACTIONAL_ID_PREFIX, RESTART_ATTEMPTS, RESTART_DELAY_MS, JOB_NAME, METRICS_MAX_CAMERAS, KAFKA_PROPERTIES_FILE,
            MAX_RECORD_BYTES, MAX_WIDTH, MAX_HEIGHT, MAX_PIXELS, MAX_FRAMES_PER_SEGMENT);

    private JobOptions() {
    }

    /** The command-line flag of an option: its key without {@code framewise.}, e.g. {@code --batch-size}. */
    public static String flag(ConfigOption<?> option) {
        return "--" + option.key().substring(PREFIX.length());
    }

    /** "--batch-size (framewise.batch-size)": how error messages name an option. */
    public static String describe(ConfigOption<?> option) {
        return flag(option) + " (" + option.key() + ")";
    }
}
