package io.framewise.pipeline.job;

import io.framewise.inference.exec.SharedModels;
import io.framewise.inference.model.ModelGraph;
import io.framewise.inference.model.InputSpec;
import io.framewise.operators.deadletter.DeadLetters;
import io.framewise.operators.decode.DecodeFunction;
import io.framewise.operators.decode.DecodeSettings;
import io.framewise.operators.infer.BatchInferenceOperator;
import io.framewise.operators.episode.EpisodeFunction;
import io.framewise.operators.episode.ClassAreaObservations;
import io.framewise.operators.episode.ObservationSource;
import io.framewise.operators.episode.TopClassObservations;
import io.framewise.operators.kafka.CameraJsonSerialization;
import io.framewise.operators.kafka.CaptureTimestamps;
import io.framewise.operators.kafka.DeadLetterSerialization;
import io.framewise.operators.kafka.FrameRecordDeserializer;
import io.framewise.operators.kafka.LabeledEventSerialization;
import io.framewise.operators.records.CameraConfig;
import io.framewise.operators.records.CameraConfigSerializer;
import io.framewise.operators.records.CameraStatus;
import io.framewise.operators.records.CameraStatusSerializer;
import io.framewise.operators.records.DeadLetter;
import io.framewise.operators.records.Episode;
import io.framewise.operators.records.EpisodeSerializer;
import io.framewise.operators.records.FrameRecord;
import io.framewise.operators.records.FrameRecordSerializer;
import io.framewise.operators.records.LabeledEvent;
import io.framewise.operators.records.LabeledEventSerializer;
import io.framewise.operators.records.ModelFrame;
import io.framewise.operators.route.RecordRouting;
import io.framewise.operators.status.CameraStatusFunction;
import io.framewise.operators.zones.CameraConfigParsing;
import io.framewise.operators.zones.WithoutEventTime;
import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobFlags;
import io.framewise.pipeline.config.JobOptions;
import io.framewise.pipeline.config.KafkaOverrides;
import io.framewise.pipeline.config.MaskedJobParameters;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The Framewise job: frame records from Kafka, decoded per camera (on a watchdog's thread), classified or
 * segmented in batches (the model file decides), as
 * labeled events to Kafka, exactly once; every failure as a dead letter, exactly once.
 *
 * <pre>
 * KafkaSource&lt;FrameRecord&gt; -&gt; RecordRouting -&gt; keyBy(camera) -&gt; DecodeFunction (+ gate, isolation) -&gt; BatchInferenceOperator (classify | segment) -&gt; KafkaSink&lt;LabeledEvent&gt;
 *                          \ no key ------------------\ undecodable ----------\ model rejected -------&gt; KafkaSink&lt;DeadLetter&gt;
 *                            \ camera -&gt; keyBy -&gt; CameraStatusFunction -&gt; KafkaSink&lt;CameraStatus&gt;
 *                                           events -&gt; keyBy(camera) -&gt; EpisodeFunction -&gt; KafkaSink&lt;Episode&gt;
 *                  KafkaSource [camera-config] -&gt; CameraConfigParsing -&gt; broadcast --^  (bad: dead letter)
 * </pre>
 *
 * <p>Event time is the capture time ({@link CaptureTimestamps}); watermarks are made per Kafka partition
 * with bounded out-of-orderness and idleness, so a partition without records stops holding the
 * watermark back.
 *
 * <p>Every operator has a fixed uid, so savepoints keep matching the graph across versions. The
 * same class is the {@code flink run} entry point: {@link #main} takes the flags of
 * {@code framewise job} and the cluster's {@code framewise.*} configuration.
 */
public final class FramewiseJob {

    public static final String UID_SOURCE = "framewise-kafka-source";
    public static final String UID_ROUTING = "framewise-record-routing";
    public static final String UID_DECODE = "framewise-decode";
    public static final String UID_INFER = "framewise-batch-inference";
    public static final String UID_EVENTS_SINK = "framewise-labels-sink";
    public static final String UID_DLQ_SINK = "framewise-dlq-sink";
    public static final String UID_EPISODES = "framewise-episodes";
    public static final String UID_EPISODES_SINK = "framewise-episodes-sink";
    public static final String UID_CAMERA_STATUS = "framewise-camera-status";
    public static final String UID_CAMERA_STATUS_SINK = "framewise-camera-status-sink";
    public static final String UID_CAMERA_CONFIG_SOURCE = "framewise-camera-config-source";
    public static final String UID_CAMERA_CONFIG = "framewise-camera-config";

    private FramewiseJob() {
    }

    /** Flink settings the job needs: exactly-once checkpoints and a bounded restart strategy. */
    public static Configuration flinkConfiguration(JobConfig cfg) {
        Configuration c = new Configuration();
        c.set(PipelineOptions.NAME, cfg.get(JobOptions.JOB_NAME));
        c.set(CoreOptions.DEFAULT_PARALLELISM, cfg.get(JobOptions.PARALLELISM));
        // Fixed, not derived from the first run's parallelism: keyed state (per-camera sampling) is split
        // into this many key groups, and a savepoint restores only into the same number.
        c.set(PipelineOptions.MAX_PARALLELISM, cfg.get(JobOptions.MAX_PARALLELISM));
        String savepoint = cfg.get(JobOptions.FROM_SAVEPOINT);
        if (!savepoint.isBlank()) {
            // Unset, Flink's own keys stay as given (flink run -s / -n set them).
            c.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            c.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, cfg.get(JobOptions.ALLOW_NON_RESTORED_STATE));
        }
        // Frames are tens to hundreds of KB: a buffer flushed early costs little, a buffer waiting for the
        // next frame of a quiet camera costs latency.
        c.set(ExecutionOptions.BUFFER_TIMEOUT_ENABLED, true);
        c.set(ExecutionOptions.BUFFER_TIMEOUT, Duration.ofMillis(cfg.get(JobOptions.BUFFER_TIMEOUT_MS)));
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(cfg.get(JobOptions.CHECKPOINT_INTERVAL_MS)));
        c.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        c.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, Duration.ofMillis(cfg.get(JobOptions.CHECKPOINT_TIMEOUT_MS)));
        // Unaligned barriers overtake the frames queued in network buffers under backpressure (docs/checkpoints.md).
        boolean unaligned = cfg.get(JobOptions.CHECKPOINT_MODE) == JobOptions.CheckpointMode.UNALIGNED;
        c.set(CheckpointingOptions.ENABLE_UNALIGNED, unaligned);
        if (unaligned) {
            c.set(CheckpointingOptions.ALIGNED_CHECKPOINT_TIMEOUT,
                    Duration.ofMillis(cfg.get(JobOptions.ALIGNED_CHECKPOINT_TIMEOUT_MS)));
        }
        // Read by the TaskManagers, not the job: effective where the job's configuration is the cluster's
        // (the local MiniCluster takes it from LocalFlink); set on a remote cluster's TaskManagers.
        c.set(TaskManagerOptions.BUFFER_DEBLOAT_ENABLED, cfg.get(JobOptions.BUFFER_DEBLOAT));
        c.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, cfg.get(JobOptions.TOLERABLE_CHECKPOINT_FAILURES));
        // With checkpointing on, Flink's default restart strategy retries forever: a broken job would never stop.
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, cfg.get(JobOptions.RESTART_ATTEMPTS));
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                Duration.ofMillis(cfg.get(JobOptions.RESTART_DELAY_MS)));
        return c;
    }

    /** Adds the job's graph to {@code env}: {@link #dataflow} into {@link #sinks}. */
    public static void build(StreamExecutionEnvironment env, JobConfig cfg) {
        sinks(dataflow(env, cfg), cfg);
    }

    /**
     * What the job computes, before it is written: the events of inference and the dead letters of
     * every stage. Split from {@link #sinks} so a caller can put an operator in between (the failure
     * suite injects its faults there).
     */
    public record Streams(DataStream<LabeledEvent> events, DataStream<DeadLetter> deadLetters,
                          DataStream<Episode> episodes, DataStream<CameraStatus> cameraStatus) {

        public Streams withEvents(DataStream<LabeledEvent> replaced) {
            return new Streams(replaced, deadLetters, episodes, cameraStatus);
        }
    }

    /** Configures {@code env} and adds source, routing, decoding and inference. */
    public static Streams dataflow(StreamExecutionEnvironment env, JobConfig cfg) {
        env.configure(flinkConfiguration(cfg));
        env.enableCheckpointing(cfg.get(JobOptions.CHECKPOINT_INTERVAL_MS), CheckpointingMode.EXACTLY_ONCE);
        env.setParallelism(cfg.get(JobOptions.PARALLELISM));
        env.setMaxParallelism(cfg.get(JobOptions.MAX_PARALLELISM));
        // the web UI shows the options with secrets masked; overridden Kafka settings are warned about
        env.getConfig().setGlobalJobParameters(new MaskedJobParameters(cfg));
        KafkaOverrides.warn(cfg);

        // The model is read here once to size the decoder output, to pick the task (a graph ending in ARG_MAX
        // segments) and to fail before submission when it is missing.
        ModelGraph graph = SharedModels.graph(cfg.get(JobOptions.MODEL));
        InputSpec in = graph.input();
        boolean segmentation = graph.isSegmentation();

        DataStream<FrameRecord> records = env
                .fromSource(source(cfg), watermarks(cfg), "frames: " + cfg.get(JobOptions.INPUT_TOPIC))
                .uid(UID_SOURCE);
        SingleOutputStreamOperator<FrameRecord> routed = records
                .process(new RecordRouting(cfg.get(JobOptions.MAX_RECORD_BYTES)))
                .name("route (no key: dead letter)")
                .uid(UID_ROUTING);
        SingleOutputStreamOperator<ModelFrame> frames = routed
                .keyBy(FrameRecord::camera)
                .process(new DecodeFunction(DecodeSettings.of(in.width(), in.height(), cfg.decodeLimits(),
                        cfg.get(JobOptions.INFERENCE_INTERVAL), cfg.get(JobOptions.MAX_FPS)),
                        cfg.get(JobOptions.METRICS_MAX_CAMERAS), cfg.gateSettings(), cfg.isolationSettings(),
                        cfg.get(JobOptions.CAMERA_STATE_TTL_MS)))
                .name(cfg.gateSettings().enabled() ? "decode + change gate" : "decode")
                .uid(UID_DECODE);
        SingleOutputStreamOperator<LabeledEvent> events = frames
                .transform("batch inference", LabeledEventSerializer.TYPE_INFO,
                        new BatchInferenceOperator(cfg.inferenceSettings(segmentation),
                                cfg.get(JobOptions.CAMERA_STATE_TTL_MS)))
                .uid(UID_INFER);

        SingleOutputStreamOperator<CameraConfig> configs = cameraConfigs(env, cfg);
        DataStream<DeadLetter> dead = routed.getSideOutput(DeadLetters.TAG)
                .union(frames.getSideOutput(DeadLetters.TAG), events.getSideOutput(DeadLetters.TAG),
                        configs.getSideOutput(DeadLetters.TAG));

        DataStream<Episode> episodes = events
                .keyBy(LabeledEvent::camera)
                .connect(configs
                        .transform("camera config: no event time", CameraConfigSerializer.TYPE_INFO,
                                new WithoutEventTime<>())
                        .setParallelism(1)
                        .uid(UID_CAMERA_CONFIG + "-no-event-time")
                        .broadcast(EpisodeFunction.ZONES))
                .process(new EpisodeFunction(cfg.episodeSettings(), observations(cfg, segmentation),
                        cfg.zoneSettings()), EpisodeSerializer.TYPE_INFO)
                .name("episodes (event time, zones)")
                .uid(UID_EPISODES);
        DataStream<CameraStatus> status = routed
                .map(FrameRecord::camera, Types.STRING)
                .name("camera of each record")
                .uid(UID_CAMERA_STATUS + "-camera")
                .keyBy(c -> c)
                .process(new CameraStatusFunction(cfg.get(JobOptions.CAMERA_STALL_AFTER_MS),
                                cfg.get(JobOptions.CAMERA_STATE_TTL_MS)),
                        CameraStatusSerializer.TYPE_INFO)
                .name("camera status (processing time)")
                .uid(UID_CAMERA_STATUS);
        return new Streams(events, dead, episodes, status);
    }

    /** What an episode counts as present: a segmentation class's area, or a classification's top-1 score. */
    static ObservationSource observations(JobConfig cfg, boolean segmentation) {
        return segmentation ? new ClassAreaObservations(cfg.get(JobOptions.EPISODE_MIN_AREA))
                : new TopClassObservations(cfg.get(JobOptions.EPISODE_MIN_SCORE));
    }

    /**
     * The {@code camera-config} topic as camera configurations (bad records: dead letters), at parallelism
     * 1, for the episode operator's broadcast input. Read from the start (the compacted topic is the whole
     * configuration; a restore continues from the checkpoint); subscribed by name as a pattern, so a topic
     * that does not exist yet is no failure and is found once created. Bounded like the frames source; a
     * bounded run whose topic does not exist at the start reads nothing (checked with an admin client here:
     * the connector's bounded pattern source never finishes when no topic matches).
     * The caller takes it out of event time ({@link WithoutEventTime}) before broadcasting it:
     * configurations must neither hold back the episodes' watermark nor move it.
     */
    static SingleOutputStreamOperator<CameraConfig> cameraConfigs(StreamExecutionEnvironment env, JobConfig cfg) {
        String topic = cfg.get(JobOptions.CAMERA_CONFIG_TOPIC);
        KafkaSourceBuilder<FrameRecord> b = KafkaSource.<FrameRecord>builder()
                .setBootstrapServers(cfg.get(JobOptions.BOOTSTRAP))
                .setTopicPattern(Pattern.compile(Pattern.quote(topic)))
                .setGroupId(cfg.get(JobOptions.GROUP) + "-camera-config")
                .setClientIdPrefix(cfg.get(JobOptions.GROUP) + "-camera-config")
                .setDeserializer(new FrameRecordDeserializer())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .setProperty("commit.offsets.on.checkpoint", "false")
                .setProperties(cfg.kafkaProperties());
        DataStream<FrameRecord> records;
        boolean bounded = cfg.get(JobOptions.STOP_AT_TIMESTAMP) > 0 || cfg.get(JobOptions.STOP_AT_LATEST);
        if (bounded && !topicExists(cfg, topic)) {
            // a bounded pattern source that matches no topic never finishes (connector 5.0.0-2.2): nothing to read
            // (Flink 2.2's fromData fails on an empty collection: one placeholder, filtered out)
            records = env.fromData(FrameRecordSerializer.TYPE_INFO,
                            new FrameRecord(null, null, null, Map.of(), topic, 0, -1, 0))
                    .name("camera config: no topic " + topic).uid(UID_CAMERA_CONFIG_SOURCE)
                    .filter(r -> false).name("nothing").uid(UID_CAMERA_CONFIG_SOURCE + "-none");
        } else {
            if (bounded) {
                // the records there at the start
                b.setBounded(OffsetsInitializer.latest());
            } else {
                // a topic created after the start is found within 10 s
                b.setProperty("partition.discovery.interval.ms", "10000");
            }
            records = env.fromSource(b.build(), WatermarkStrategy.noWatermarks(), "camera config: " + topic)
                    .setParallelism(1).uid(UID_CAMERA_CONFIG_SOURCE);
        }
        return records
                .process(new CameraConfigParsing(), CameraConfigSerializer.TYPE_INFO)
                .setParallelism(1)
                .name("camera config (bad: dead letter)")
                .uid(UID_CAMERA_CONFIG);
    }

    private static Properties adminProperties(JobConfig cfg) {
        Properties p = cfg.kafkaProperties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.get(JobOptions.BOOTSTRAP));
        return p;
    }

    private static boolean topicExists(JobConfig cfg, String topic) {
        try (Admin admin = Admin.create(adminProperties(cfg))) {
            return admin.listTopics().names().get(60, TimeUnit.SECONDS).contains(topic);
        } catch (Exception e) {
            throw new IllegalStateException("cannot list the topics of " + cfg.get(JobOptions.BOOTSTRAP) + ": " + e, e);
        }
    }

    /** Capture time, per partition, bounded out-of-orderness, idle partitions left out. */
    static WatermarkStrategy<FrameRecord> watermarks(JobConfig cfg) {
        return WatermarkStrategy
                .<FrameRecord>forBoundedOutOfOrderness(Duration.ofMillis(cfg.get(JobOptions.WATERMARK_OUT_OF_ORDERNESS_MS)))
                .withTimestampAssigner(new CaptureTimestamps())
                .withIdleness(Duration.ofMillis(cfg.get(JobOptions.WATERMARK_IDLENESS_MS)));
    }

    /** Writes events and dead letters to their topics, exactly once by default. */
    public static void sinks(Streams streams, JobConfig cfg) {
        streams.events().sinkTo(eventSink(cfg)).name("labels: " + cfg.get(JobOptions.OUTPUT_TOPIC))
                .uid(UID_EVENTS_SINK);
        streams.deadLetters().sinkTo(deadLetterSink(cfg)).name("dead letters: " + cfg.get(JobOptions.DLQ_TOPIC))
                .uid(UID_DLQ_SINK);
        streams.episodes().sinkTo(smallRecordSink(cfg, CameraJsonSerialization.episodes(cfg.get(JobOptions.EPISODES_TOPIC)),
                        "-episodes"))
                .name("episodes: " + cfg.get(JobOptions.EPISODES_TOPIC)).uid(UID_EPISODES_SINK);
        streams.cameraStatus().sinkTo(smallRecordSink(cfg,
                        CameraJsonSerialization.cameraStatus(cfg.get(JobOptions.CAMERA_STATUS_TOPIC)), "-camera-status"))
                .name("camera status: " + cfg.get(JobOptions.CAMERA_STATUS_TOPIC)).uid(UID_CAMERA_STATUS_SINK);
    }

    static KafkaSource<FrameRecord> source(JobConfig cfg) {
        int maxRecord = cfg.get(JobOptions.MAX_RECORD_BYTES);
        KafkaSourceBuilder<FrameRecord> b = KafkaSource.<FrameRecord>builder()
                .setBootstrapServers(cfg.get(JobOptions.BOOTSTRAP))
                .setTopics(cfg.get(JobOptions.INPUT_TOPIC))
                .setGroupId(cfg.get(JobOptions.GROUP))
                .setDeserializer(new FrameRecordDeserializer())
                .setStartingOffsets(startingOffsets(cfg.startingPosition()))
                // Only frames of committed producer transactions (an exactly-once upstream) are read.
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                // A fetch must hold at least one of the largest records, or a big segment stalls its partition.
                .setProperty(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(maxRecord + FrameRecord.RECORD_HEADROOM_BYTES))
                .setProperty(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(Math.max(maxRecord + FrameRecord.RECORD_HEADROOM_BYTES, 52_428_800)))
                .setProperty("commit.offsets.on.checkpoint", "true")
                .setProperties(cfg.kafkaProperties());
        if (cfg.get(JobOptions.STOP_AT_TIMESTAMP) > 0) {
            // each partition ends before its first record at or after the timestamp (its end if none)
            b.setBounded(OffsetsInitializer.timestamp(cfg.get(JobOptions.STOP_AT_TIMESTAMP)));
        } else if (cfg.get(JobOptions.STOP_AT_LATEST)) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    static OffsetsInitializer startingOffsets(JobOptions.StartingPosition p) {
        return switch (p.kind()) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            case TIMESTAMP -> OffsetsInitializer.timestamp(p.timestampMs());
        };
    }

    static KafkaSink<LabeledEvent> eventSink(JobConfig cfg) {
        return KafkaSink.<LabeledEvent>builder()
                .setBootstrapServers(cfg.get(JobOptions.BOOTSTRAP))
                .setRecordSerializer(new LabeledEventSerialization(cfg.get(JobOptions.OUTPUT_TOPIC)))
                .setDeliveryGuarantee(guarantee(cfg))
                .setTransactionalIdPrefix(cfg.get(JobOptions.TRANSACTIONAL_ID_PREFIX) + "-labels")
                .setKafkaProducerConfig(producerProperties(cfg, 1024 * 1024))
                .build();
    }

    static KafkaSink<DeadLetter> deadLetterSink(JobConfig cfg) {
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(cfg.get(JobOptions.BOOTSTRAP))
                // asks the brokers for the topic's max.message.bytes at each writer start (no restart loop)
                .setRecordSerializer(new DeadLetterSerialization(cfg.get(JobOptions.DLQ_TOPIC), adminProperties(cfg)))
                .setDeliveryGuarantee(guarantee(cfg))
                .setTransactionalIdPrefix(cfg.get(JobOptions.TRANSACTIONAL_ID_PREFIX) + "-dlq")
                // a dead letter carries the original record: as large as the largest accepted one, and more
                .setKafkaProducerConfig(producerProperties(cfg, cfg.get(JobOptions.MAX_RECORD_BYTES) + FrameRecord.RECORD_HEADROOM_BYTES))
                .build();
    }

    /** An exactly-once (by default) sink of small JSON records: episodes, camera status. */
    static <T> KafkaSink<T> smallRecordSink(JobConfig cfg, KafkaRecordSerializationSchema<T> schema, String idSuffix) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(cfg.get(JobOptions.BOOTSTRAP))
                .setRecordSerializer(schema)
                .setDeliveryGuarantee(guarantee(cfg))
                .setTransactionalIdPrefix(cfg.get(JobOptions.TRANSACTIONAL_ID_PREFIX) + idSuffix)
                .setKafkaProducerConfig(producerProperties(cfg, 1024 * 1024))
                .build();
    }

    private static Properties producerProperties(JobConfig cfg, int maxRequest) {
        Properties p = new Properties();
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(cfg.get(JobOptions.TRANSACTION_TIMEOUT_MS)));
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Math.max(maxRequest, 1024 * 1024)));
        p.putAll(cfg.kafkaProperties());
        return p;
    }

    private static DeliveryGuarantee guarantee(JobConfig cfg) {
        return cfg.get(JobOptions.DELIVERY_GUARANTEE) == JobOptions.Guarantee.EXACTLY_ONCE
                ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE;
    }

    /** The arguments {@code flink run} passes: the job's flags, generated from {@code JobOptions}. */
    @Command(name = "flink run <framewise job jar>", mixinStandardHelpOptions = true, modelTransformer = JobFlags.class)
    static final class FlinkRunArgs {
    }

    /**
     * The {@code flink run} entry point: the cluster's {@code framewise.*} configuration overlaid with
     * the flags of {@code framewise job}; runs on whatever environment Flink provides. Bad options
     * propagate as exceptions (parseArgs, not execute), so Flink's client reports them.
     */
    public static void main(String[] args) throws Exception {
        MaskedJobParameters.warnSecretsInArgs(args);
        if (CommandLine.printHelpIfRequested(new CommandLine(new FlinkRunArgs()).parseArgs(args))) {
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobConfig cfg = flinkRunConfig(env.getConfiguration().toMap(), args);
        build(env, cfg);
        env.execute(cfg.get(JobOptions.JOB_NAME));
    }

    /** What {@link #main} makes of {@code args} on a cluster configured with {@code clusterConf}. */
    public static JobConfig flinkRunConfig(Map<String, String> clusterConf, String... args) {
        CommandLine cli = new CommandLine(new FlinkRunArgs());
        cli.parseArgs(args);
        // as framewise job reports it: an invalid option is a usage error naming the option
        return JobFlags.resolveOrReject(clusterConf, cli);
    }
}
