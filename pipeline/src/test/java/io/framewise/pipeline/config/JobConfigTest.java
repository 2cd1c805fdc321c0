package io.framewise.pipeline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class JobConfigTest {

    /** A valid value different from the default, for every option. */
    private static final Map<ConfigOption<?>, String> SAMPLES = new LinkedHashMap<>();
    /** The documented example zones file (tests run in the module's folder). */
    static final String ZONES_EXAMPLE = Path.of("..", "docs", "zones.example.json").toString();

    static {
        SAMPLES.put(JobOptions.BOOTSTRAP, "broker-1:9093,broker-2:9093");
        SAMPLES.put(JobOptions.INPUT_TOPIC, "cams");
        SAMPLES.put(JobOptions.OUTPUT_TOPIC, "cam-labels");
        SAMPLES.put(JobOptions.DLQ_TOPIC, "cams-dead");
        SAMPLES.put(JobOptions.GROUP, "g1");
        SAMPLES.put(JobOptions.STARTING_OFFSETS, "latest");
        SAMPLES.put(JobOptions.STOP_AT_LATEST, "true");
        SAMPLES.put(JobOptions.MODEL, "mobilenet_v1_0.25_128_quant.tflite");
        SAMPLES.put(JobOptions.LABELS, "imagenet_labels.txt");
        SAMPLES.put(JobOptions.TOP_K, "3");
        SAMPLES.put(JobOptions.BATCH_SIZE, "16");
        SAMPLES.put(JobOptions.BATCH_TIMEOUT_MS, "25");
        SAMPLES.put(JobOptions.INFERENCE_THREADS, "2");
        SAMPLES.put(JobOptions.INFERENCE_OVERLAP, "false");
        SAMPLES.put(JobOptions.INFERENCE_INTERVAL, "3");
        SAMPLES.put(JobOptions.MAX_FPS, "7.5");
        SAMPLES.put(JobOptions.DECODE_TIMEOUT_MS, "2500");
        SAMPLES.put(JobOptions.DECODE_MAX_STUCK_THREADS, "2");
        SAMPLES.put(JobOptions.DECODE_CRASH_STRIKES, "3");
        SAMPLES.put(JobOptions.DECODE_QUARANTINE_DIR, "/var/lib/framewise/quarantine");
        SAMPLES.put(JobOptions.BUFFER_TIMEOUT_MS, "0");
        SAMPLES.put(JobOptions.PARALLELISM, "2");
        SAMPLES.put(JobOptions.MAX_PARALLELISM, "256");
        SAMPLES.put(JobOptions.FROM_SAVEPOINT, "file:///tmp/savepoints/savepoint-1a2b3c-0123456789ab");
        SAMPLES.put(JobOptions.ALLOW_NON_RESTORED_STATE, "true");
        SAMPLES.put(JobOptions.CHECKPOINT_INTERVAL_MS, "500");
        SAMPLES.put(JobOptions.CHECKPOINT_TIMEOUT_MS, "30000");
        SAMPLES.put(JobOptions.TOLERABLE_CHECKPOINT_FAILURES, "2");
        SAMPLES.put(JobOptions.DELIVERY_GUARANTEE, "at-least-once");
        SAMPLES.put(JobOptions.TRANSACTION_TIMEOUT_MS, "900000");
        SAMPLES.put(JobOptions.TRANSACTIONAL_ID_PREFIX, "fw-test");
        SAMPLES.put(JobOptions.RESTART_ATTEMPTS, "0");
        SAMPLES.put(JobOptions.RESTART_DELAY_MS, "10");
        SAMPLES.put(JobOptions.JOB_NAME, "labels-job");
        SAMPLES.put(JobOptions.METRICS_MAX_CAMERAS, "4");
        SAMPLES.put(JobOptions.MAX_RECORD_BYTES, "2097152");
        SAMPLES.put(JobOptions.MAX_WIDTH, "1920");
        SAMPLES.put(JobOptions.MAX_HEIGHT, "1080");
        SAMPLES.put(JobOptions.MAX_PIXELS, "2073600");
        SAMPLES.put(JobOptions.MAX_FRAMES_PER_SEGMENT, "120");
        SAMPLES.put(JobOptions.EPISODES_TOPIC, "eps");
        SAMPLES.put(JobOptions.CAMERA_STATUS_TOPIC, "status");
        SAMPLES.put(JobOptions.STOP_AT_TIMESTAMP, "1795800722000");
        SAMPLES.put(JobOptions.GATE_ENABLED, "true");
        SAMPLES.put(JobOptions.GATE_MEAN_THRESHOLD, "1.0");
        SAMPLES.put(JobOptions.GATE_BLOCK_THRESHOLD, "4.0");
        SAMPLES.put(JobOptions.GATE_MAX_SKIP_MS, "2000");
        SAMPLES.put(JobOptions.EPISODE_MIN_SCORE, "0.4");
        SAMPLES.put(JobOptions.EPISODE_MIN_AREA, "0.01");
        SAMPLES.put(JobOptions.SEGMENT_MIN_REGION, "0.02");
        SAMPLES.put(JobOptions.EPISODE_MIN_FRAMES, "5");
        SAMPLES.put(JobOptions.EPISODE_GAP_MS, "3000");
        SAMPLES.put(JobOptions.CAMERA_STATE_TTL_MS, "60000");
        SAMPLES.put(JobOptions.CHECKPOINT_MODE,
                JobOptions.CHECKPOINT_MODE.defaultValue() == JobOptions.CheckpointMode.ALIGNED ? "unaligned" : "aligned");
        SAMPLES.put(JobOptions.ALIGNED_CHECKPOINT_TIMEOUT_MS, "5000");
        SAMPLES.put(JobOptions.BUFFER_DEBLOAT, String.valueOf(!JobOptions.BUFFER_DEBLOAT.defaultValue()));
        SAMPLES.put(JobOptions.EPISODE_MAX_PENDING_FRAMES, "500");
        SAMPLES.put(JobOptions.WATERMARK_OUT_OF_ORDERNESS_MS, "200");
        SAMPLES.put(JobOptions.WATERMARK_IDLENESS_MS, "1000");
        SAMPLES.put(JobOptions.CAMERA_STALL_AFTER_MS, "4000");
        SAMPLES.put(JobOptions.KAFKA_PROPERTIES_FILE, "/dev/null"); // read at parse: must exist (empty here)
        SAMPLES.put(JobOptions.CAMERA_CONFIG_TOPIC, "cams-config");
        SAMPLES.put(JobOptions.EPISODE_ZONES_FILE, ZONES_EXAMPLE); // read and checked at parse
        SAMPLES.put(JobOptions.EPISODE_ZONE_MIN_OVERLAP, "0.25");
    }

    @Command(name = "t", modelTransformer = JobFlags.class)
    static final class Cmd implements Runnable {
        @Override
        public void run() {
        }
    }

    private static CommandLine.ParseResult parseFlags(String... args) {
        return new CommandLine(new Cmd()).parseArgs(args);
    }

    @Test
    void theZonesFileIsReadAtStartAndABadOneFailsNamingTheOption(@TempDir Path dir) throws Exception {
        JobConfig ok = JobConfig.parse(Map.of(JobOptions.EPISODE_ZONES_FILE.key(), ZONES_EXAMPLE));
        assertEquals(java.util.List.of("door", "walkway"), ok.zoneSettings().fromFile().get("cam-1").zones().stream()
                .map(z -> z.name()).toList());
        assertEquals(0.5, ok.zoneSettings().minOverlap());
        assertTrue(JobConfig.defaults().zoneSettings().fromFile().isEmpty());
        Path bad = dir.resolve("zones.json");
        Files.writeString(bad, "{\"cam-1\": {\"zones\": [{\"name\": \"x\", \"polygon\": [[0, 0], [2, 0], [1, 1]]}]}}");
        Map<String, String> missing = Map.of(JobOptions.EPISODE_ZONES_FILE.key(), dir.resolve("none.json").toString());
        for (Map<String, String> m : java.util.List.of(Map.of(JobOptions.EPISODE_ZONES_FILE.key(), bad.toString()), missing)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobConfig.parse(m));
            assertTrue(e.getMessage().startsWith("--episode.zones-file (framewise.episode.zones-file)"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.parse(Map.of(JobOptions.EPISODE_ZONE_MIN_OVERLAP.key(), "0")));
        assertTrue(e.getMessage().contains("--episode.zone-min-overlap"), e.getMessage());
    }

    @Test
    void everyOptionHasASampleAndAUniqueFlag() {
        assertEquals(new HashSet<>(JobOptions.ALL), SAMPLES.keySet());
        Set<String> flags = new HashSet<>();
        for (ConfigOption<?> o : JobOptions.ALL) {
            assertTrue(flags.add(JobOptions.flag(o)), o.key());
            assertTrue(o.hasDefaultValue(), o.key());
        }
    }

    @Test
    void everyOptionParsesAsFlinkConfiguration() {
        Map<String, String> m = new LinkedHashMap<>();
        SAMPLES.forEach((o, v) -> m.put(o.key(), v));
        JobConfig c = JobConfig.parse(m);
        for (ConfigOption<?> o : JobOptions.ALL) {
            assertEquals(SAMPLES.get(o), String.valueOf(c.get(o)), o.key());
            assertTrue(!String.valueOf(o.defaultValue()).equals(SAMPLES.get(o)), "sample equals default: " + o.key());
        }
        assertEquals(JobOptions.Guarantee.AT_LEAST_ONCE, c.get(JobOptions.DELIVERY_GUARANTEE));
        assertEquals(JobOptions.StartingOffsets.LATEST, c.startingPosition().kind());
        assertEquals(7.5, c.get(JobOptions.MAX_FPS));
        assertEquals(1920, c.decodeLimits().maxWidth());
        assertEquals(2097152, c.decodeLimits().maxEncodedBytes());
    }

    @Test
    void everyOptionParsesAsAFlag() {
        String[] args = SAMPLES.entrySet().stream()
                .flatMap(e -> java.util.stream.Stream.of(JobOptions.flag(e.getKey()), e.getValue()))
                .toArray(String[]::new);
        JobConfig c = JobFlags.resolve(Map.of(), parseFlags(args));
        for (ConfigOption<?> o : JobOptions.ALL) {
            assertEquals(SAMPLES.get(o), String.valueOf(c.get(o)), o.key());
        }
    }

    @Test
    void aBareBooleanFlagMeansTrue() {
        assertEquals(true, JobFlags.resolve(Map.of(), parseFlags("--stop-at-latest", "--top-k", "2"))
                .get(JobOptions.STOP_AT_LATEST));
        assertEquals(false, JobFlags.resolve(Map.of("framewise.stop-at-latest", "true"),
                parseFlags("--stop-at-latest", "false")).get(JobOptions.STOP_AT_LATEST));
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        JobConfig c = JobConfig.defaults();
        assertEquals("frames", c.get(JobOptions.INPUT_TOPIC));
        assertEquals("labels", c.get(JobOptions.OUTPUT_TOPIC));
        assertEquals("frames-dlq", c.get(JobOptions.DLQ_TOPIC));
        assertEquals(5, c.get(JobOptions.TOP_K));
        assertEquals(0, c.get(JobOptions.BATCH_SIZE), "auto");
        assertEquals(JobOptions.CLASSIFICATION_BATCH_SIZE, c.inferenceSettings(false).batchSize());
        assertEquals(40L, c.get(JobOptions.BATCH_TIMEOUT_MS));
        assertEquals(1, c.get(JobOptions.INFERENCE_THREADS));
        assertEquals(1, c.get(JobOptions.INFERENCE_INTERVAL));
        assertEquals(0.0, c.get(JobOptions.MAX_FPS));
        assertEquals(JobOptions.Guarantee.EXACTLY_ONCE, c.get(JobOptions.DELIVERY_GUARANTEE));
        assertTrue(c.get(JobOptions.TRANSACTION_TIMEOUT_MS) <= JobOptions.BROKER_MAX_TRANSACTION_TIMEOUT_MS);
        assertEquals("episodes", c.get(JobOptions.EPISODES_TOPIC));
        assertEquals("camera-status", c.get(JobOptions.CAMERA_STATUS_TOPIC));
        assertFalse(c.gateSettings().enabled(), "the gate is off unless asked for");
        assertEquals(0.005, c.get(JobOptions.EPISODE_MIN_AREA));
    }

    @Test
    void segmentationModelsBatchOneFrameUnlessTheBatchSizeIsSet() {
        assertEquals(8, JobConfig.defaults().inferenceSettings(false).batchSize());
        // auto survives a copy (with() re-parses every effective value)
        assertEquals(JobOptions.SEGMENTATION_BATCH_SIZE, JobConfig.defaults().with(JobOptions.BOOTSTRAP, "h:1")
                .inferenceSettings(true).batchSize());
        assertEquals(JobOptions.SEGMENTATION_BATCH_SIZE, JobConfig.defaults().inferenceSettings(true).batchSize());
        assertEquals(4, JobConfig.parse(Map.of("framewise.batch-size", "4")).inferenceSettings(true).batchSize());
        assertEquals(0.02, JobConfig.parse(Map.of("framewise.segment.min-region", "0.02")).inferenceSettings(true)
                .minRegionFraction());
        var bad = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.parse(Map.of("framewise.segment.min-region", "1.5")));
        assertTrue(bad.getMessage().contains("segment.min-region"), bad.getMessage());
    }

    @Test
    void startingOffsetsTakeATimestampForBackfill() {
        assertEquals(new JobOptions.StartingPosition(JobOptions.StartingOffsets.TIMESTAMP, 1_795_800_722_000L),
                JobConfig.parse(Map.of("framewise.starting-offsets", "timestamp:1795800722000")).startingPosition());
        assertEquals(JobOptions.StartingOffsets.COMMITTED, JobConfig.defaults().startingPosition().kind());
        for (String bad : new String[] {"timestamp:", "timestamp:-5", "timestamp:abc"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> JobConfig.parse(Map.of("framewise.starting-offsets", bad)));
            assertTrue(e.getMessage().contains("--starting-offsets"), e.getMessage());
        }
    }

    @Test
    void flagsWinOverTheFlinkConfiguration() {
        JobConfig c = JobFlags.resolve(Map.of("framewise.batch-size", "4", "framewise.top-k", "2", "other.key", "x"),
                parseFlags("--batch-size", "12"));
        assertEquals(12, c.get(JobOptions.BATCH_SIZE));
        assertEquals(2, c.get(JobOptions.TOP_K));
    }

    @Test
    void kafkaPropertiesPassThroughFromBothSides() {
        JobConfig c = JobFlags.resolve(Map.of("framewise.kafka.sasl.mechanism", "PLAIN"),
                parseFlags("-X", "security.protocol=SASL_SSL", "--kafka", "ssl.truststore.location=/t.jks"));
        assertEquals("SASL_SSL", c.kafkaProperties().getProperty("security.protocol"));
        assertEquals("/t.jks", c.kafkaProperties().getProperty("ssl.truststore.location"));
        assertEquals("PLAIN", c.kafkaProperties().getProperty("sasl.mechanism"));
        assertEquals(3, c.kafkaProperties().size());
    }

    @Test
    void unknownOptionsFailNamingTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.parse(Map.of("framewise.batch-sise", "8")));
        assertTrue(e.getMessage().contains("framewise.batch-sise"), e.getMessage());
        CommandLine cl = new CommandLine(new Cmd());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("--batch-sise", "8"));
        assertTrue(err.toString().contains("--batch-sise"), err.toString());
    }

    @Test
    void invalidValuesFailNamingTheOption() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("framewise.batch-size", "-1");
        bad.put("framewise.delivery-guarantee", "twice");
        bad.put("framewise.starting-offsets", "yesterday");
        bad.put("framewise.transaction-timeout-ms", "3600000");
        bad.put("framewise.max-fps", "-1");
        bad.put("framewise.top-k", "0");
        bad.put("framewise.bootstrap", " ");
        bad.put("framewise.max-record-bytes", "12");
        bad.put("framewise.inference-interval", "0");
        bad.put("framewise.stop-at-latest", "maybe");
        bad.put("framewise.checkpoint-interval-ms", "1.5");
        bad.put("framewise.buffer-timeout-ms", "-1");
        bad.put("framewise.gate.mean-threshold", "300");
        bad.put("framewise.episode.min-frames", "0");
        bad.put("framewise.episode.min-score", "1.5");
        bad.put("framewise.camera.stall-after-ms", "0");
        bad.put("framewise.decode-timeout-ms", "0");
        bad.put("framewise.decode-max-stuck-threads", "0");
        bad.put("framewise.decode-crash-strikes", "0");
        for (Map.Entry<String, String> b : bad.entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> JobConfig.parse(Map.of(b.getKey(), b.getValue())), b.toString());
            assertTrue(e.getMessage().contains(b.getKey()), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.parse(Map.of("framewise.batch-size", "eight")));
        assertTrue(e.getMessage().contains("--batch-size"), e.getMessage());
    }

    @Test
    void decoderIsolationSettingsComeFromTheOptions() {
        var iso = JobConfig.parse(Map.of("framewise.decode-timeout-ms", "2500", "framewise.group", "relabel/w48",
                "framewise.decode-quarantine-dir", "/var/q")).isolationSettings();
        assertEquals(2500, iso.timeoutMs());
        assertEquals(java.nio.file.Path.of("/var/q", "relabel_w48"), iso.markerDir(), "one folder per group");
        assertEquals(10_000, JobConfig.defaults().isolationSettings().timeoutMs());
        assertEquals(4, JobConfig.defaults().isolationSettings().maxStuckThreads());
    }

    @Test
    void transactionsMustOutliveTheCheckpointInterval() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.parse(Map.of("framewise.transaction-timeout-ms", "5000",
                        "framewise.checkpoint-interval-ms", "6000")));
        assertTrue(e.getMessage().contains("framewise.transaction-timeout-ms"), e.getMessage());
        JobConfig.parse(Map.of("framewise.transaction-timeout-ms", "5000", "framewise.checkpoint-interval-ms", "6000",
                "framewise.delivery-guarantee", "at-least-once"));
    }

    @Test
    void aCheckpointMayNotTakeLongerThanItsTransactionsLive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.parse(Map.of("framewise.transaction-timeout-ms", "60000")));
        assertTrue(e.getMessage().contains("framewise.checkpoint-timeout-ms"), e.getMessage());
        JobConfig.parse(Map.of("framewise.transaction-timeout-ms", "60000", "framewise.checkpoint-timeout-ms", "30000"));
    }

    @Test
    void intervalPlusCheckpointTimeoutMustStayBelowTheTransactionTimeout() {
        JobConfig d = JobConfig.defaults();
        assertTrue(d.get(JobOptions.CHECKPOINT_INTERVAL_MS) + d.get(JobOptions.CHECKPOINT_TIMEOUT_MS)
                < d.get(JobOptions.TRANSACTION_TIMEOUT_MS), "the defaults keep the bound");
        // exactly equal is refused too: the transaction could time out the moment its checkpoint completes
        long tx = d.get(JobOptions.TRANSACTION_TIMEOUT_MS);
        long interval = d.get(JobOptions.CHECKPOINT_INTERVAL_MS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobConfig.parse(Map.of(
                "framewise.checkpoint-timeout-ms", Long.toString(tx - interval))));
        for (String named : new String[] {"--checkpoint-interval-ms", "--checkpoint-timeout-ms", "--transaction-timeout-ms"}) {
            assertTrue(e.getMessage().contains(named), e.getMessage());
        }
        // under every checkpoint mode, on the command line as in the Flink configuration
        for (String mode : new String[] {"aligned", "unaligned"}) {
            CommandLine cli = new CommandLine(new Cmd());
            cli.parseArgs("--checkpoint-mode", mode, "--checkpoint-interval-ms", "60000", "--checkpoint-timeout-ms", "540000");
            CommandLine.ParameterException pe = assertThrows(CommandLine.ParameterException.class,
                    () -> JobFlags.resolveOrReject(Map.of(), cli));
            assertTrue(pe.getMessage().contains("--transaction-timeout-ms"), pe.getMessage());
        }
        JobConfig.parse(Map.of("framewise.checkpoint-timeout-ms", Long.toString(tx - interval - 1)));
        JobConfig.parse(Map.of("framewise.checkpoint-timeout-ms", Long.toString(tx),
                "framewise.delivery-guarantee", "at-least-once"));
    }

    @Test
    void checkpointModeOptions() {
        JobConfig u = JobConfig.parse(Map.of("framewise.checkpoint-mode", "unaligned",
                "framewise.aligned-checkpoint-timeout-ms", "2000", "framewise.buffer-debloat", "true"));
        assertEquals(JobOptions.CheckpointMode.UNALIGNED, u.get(JobOptions.CHECKPOINT_MODE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobConfig.parse(Map.of(
                "framewise.aligned-checkpoint-timeout-ms", "300000")));
        assertTrue(e.getMessage().contains("--aligned-checkpoint-timeout-ms"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> JobConfig.parse(Map.of(
                "framewise.checkpoint-mode", "sideways")));
        assertTrue(e.getMessage().contains("--checkpoint-mode"), e.getMessage());
    }

    @Test
    void cameraStateTtlReplacesTheEpisodeTtlAndOutlivesTheStall() {
        assertEquals(24 * 3_600_000L, JobConfig.defaults().get(JobOptions.CAMERA_STATE_TTL_MS));
        // the old key and flag still work
        assertEquals(90_000L, JobConfig.parse(Map.of("framewise.episode.camera-ttl-ms", "90000"))
                .get(JobOptions.CAMERA_STATE_TTL_MS));
        JobConfig flagged = JobFlags.resolve(Map.of(), parseFlags("--episode.camera-ttl-ms", "90000"));
        assertEquals(90_000L, flagged.get(JobOptions.CAMERA_STATE_TTL_MS));
        assertEquals(90_000L, flagged.episodeSettings().cameraTtlMs());
        assertTrue(!new CommandLine(new Cmd()).getUsageMessage().contains("--episode.camera-ttl-ms"), "hidden");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobConfig.parse(Map.of(
                "framewise.camera-state-ttl-ms", "10000", "framewise.camera.stall-after-ms", "10000")));
        assertTrue(e.getMessage().contains("--camera-state-ttl-ms") && e.getMessage().contains("--camera.stall-after-ms"),
                e.getMessage());
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        String usage = new CommandLine(new Cmd()).getUsageMessage();
        for (ConfigOption<?> o : JobOptions.ALL) {
            assertTrue(usage.contains(JobOptions.flag(o)), o.key());
        }
        assertTrue(usage.contains("(default: 5)"), usage); // --top-k
        assertTrue(usage.contains("--kafka"), usage);
    }

    @Test
    void secretsAreMaskedInToString() {
        JobConfig c = JobConfig.parse(Map.of("framewise.kafka.ssl.keystore.password", "hunter2"));
        assertTrue(!c.toString().contains("hunter2"), c.toString());
    }
}
