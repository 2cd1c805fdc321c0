package io.framewise.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.deadletter.DeadLetterMetrics;
import io.framewise.operators.decode.CameraMetrics;
import io.framewise.operators.decode.DecodeLimits;
import io.framewise.operators.decode.DecodeMetrics;
import io.framewise.operators.decode.FrameDecoder;
import io.framewise.operators.frames.FrameHeaders;
import io.framewise.operators.infer.InferenceMetrics;
import io.framewise.operators.records.DeadLetterReason;
import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobOptions;
import io.framewise.pipeline.deploy.MonitoringNames;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import io.framewise.pipeline.local.LocalFlink;
import io.framewise.pipeline.metrics.JobMetrics;
import io.framewise.pipeline.metrics.PrometheusText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's metrics read back from a running MiniCluster through the Prometheus reporter's HTTP
 * endpoint, against what the test sent: N good frames from 3 cameras and M bad records of known
 * reasons. The job runs unbounded (a finished job's metrics are gone) and is canceled at the end.
 */
@Timeout(120)
class MetricsITCase {

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    static final int BATCH = 4;
    static final List<String> CAMERAS = List.of("cam-1", "cam-2", "cam-3");

    @TempDir
    static Path dir;
    static LabeledVideo video;
    static LocalFlink flink;

    @BeforeAll
    static void setUp() throws Exception {
        video = LabeledVideo.build(dir, 1, 12.5, 5);
        flink = LocalFlink.start(2, "0", 0);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (flink != null) {
            flink.close();
        }
    }

    @Test
    void metricsMatchWhatWasSent() throws Exception {
        JobRuns.Topics t = JobRuns.topics(KAFKA, 2);
        int good = (int) JobRuns.produce(KAFKA, t.in(), video.file.toString(), "jpeg", CAMERAS);
        assertEquals(CAMERAS.size() * video.frames(), good);
        Map<String, Integer> bad = sendBadRecords(t.in());
        int badTotal = bad.values().stream().mapToInt(Integer::intValue).sum();

        Map<String, String> m = JobRuns.bounded(KAFKA, t.in(), t.out(), t.dlq());
        m.put(JobOptions.STOP_AT_LATEST.key(), "false"); // metrics live only while the job does
        m.put(JobOptions.BATCH_SIZE.key(), Integer.toString(BATCH));
        m.put(JobOptions.METRICS_MAX_CAMERAS.key(), "1");
        JobConfig cfg = JobConfig.parse(m);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(FramewiseJob.flinkConfiguration(cfg));
        FramewiseJob.build(env, cfg);
        JobID job = flink.submit(env.getStreamGraph());
        try {
            // the counters move while the job runs: wait until every record is accounted for
            PrometheusText scrape = null;
            JobMetrics jm = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    scrape = PrometheusText.scrape(flink.metricsUrl());
                    jm = JobMetrics.read(scrape, job.toHexString(), BATCH);
                    if (jm.eventsOut() >= good && jm.deadLetters() >= badTotal) {
                        break;
                    }
                } catch (java.io.IOException e) {
                    // the reporter starts with the cluster; a scrape may come before it listens
                }
                Thread.sleep(250);
            }
            assertNotNull(jm, "no scrape of " + flink.metricsUrl());
            // every record is through; one scrape may still have read some series before the last batch
            JobMetrics.Reading settled = JobMetrics.settled(flink.metricsUrl(), job.toHexString(), BATCH,
                    Duration.ofSeconds(10));
            scrape = settled.text();
            jm = settled.metrics();
            String context = jm.toString();

            assertEquals(good + badTotal, jm.framesIn(), "frames in = good + bad records: " + context);
            assertEquals(good, jm.framesDecoded(), context);
            assertEquals(good, jm.eventsOut(), context);
            assertEquals(badTotal, jm.deadLetters(), context);
            Map<String, Long> badByReason = new TreeMap<>();
            bad.forEach((r, n) -> badByReason.put(r, (long) n));
            assertEquals(badByReason, jm.deadLettersByReason());
            int decodeBad = badTotal - bad.getOrDefault("MISSING_KEY", 0);
            assertEquals(decodeBad, jm.decodeFailures(), context);

            Predicate<PrometheusText.Sample> ofJob = s -> job.toHexString().equals(s.label("job_id"));
            // one decodeFailures series per reason code and decode subtask, sent or not (bounded label set)
            List<PrometheusText.Sample> failures =
                    scrape.series(JobMetrics.name(DeadLetterMetrics.REASON_GROUP, DecodeMetrics.DECODE_FAILURES), ofJob);
            assertEquals(2 * DeadLetterReason.of(DeadLetterReason.Stage.DECODE).size(), failures.size());
            for (PrometheusText.Sample s : failures) {
                String reason = s.label(DeadLetterMetrics.REASON_GROUP);
                double all = scrape.sum(s.name(), ofJob.and(x -> reason.equals(x.label(DeadLetterMetrics.REASON_GROUP))));
                assertEquals(bad.getOrDefault(reason, 0), (int) all, reason);
            }

            // batches: every frame inferred once (interval 1), in batches of at most BATCH
            assertTrue(jm.batches() >= (good + BATCH - 1) / BATCH, context);
            assertEquals(good, jm.framesInferred(), "sum of batch sizes: " + context);
            assertEquals(jm.batches(), Math.round(scrape.sum(JobMetrics.name(InferenceMetrics.BATCH_SIZE) + "_count", ofJob)));
            assertTrue(scrape.max(JobMetrics.name(InferenceMetrics.BATCH_SIZE), ofJob) <= BATCH);
            assertTrue(scrape.max(JobMetrics.name(InferenceMetrics.BATCH_FILL_PERCENT), ofJob) <= 100);
            assertEquals(good, Math.round(scrape.sum(JobMetrics.name(InferenceMetrics.QUEUE_WAIT_MS) + "_count", ofJob)));
            assertEquals(good, Math.round(scrape.sum(JobMetrics.name(InferenceMetrics.END_TO_END_MS) + "_count", ofJob)));
            assertTrue(jm.e2eP50Ms() > 0 && jm.e2eP50Ms() <= jm.e2eP99Ms(), context);
            assertTrue(jm.inferenceMsPerFrame() > 0, context);

            // per camera: 1 series of its own per decode subtask at most, the rest under "other"
            assertEquals(good, jm.framesByCamera().values().stream().mapToLong(Long::longValue).sum(), context);
            Set<String> labels = new HashSet<>(jm.framesByCamera().keySet());
            assertTrue(labels.contains(CameraMetrics.OTHER), "3 cameras over 2 subtasks x 1: " + labels);
            labels.remove(CameraMetrics.OTHER);
            assertTrue(labels.size() <= 2 && CAMERAS.containsAll(labels), labels.toString());
            assertEquals(jm.framesByCamera().size(),
                    scrape.series(JobMetrics.name(CameraMetrics.CAMERA_GROUP, CameraMetrics.LAST_SEEN_AGE_MS), ofJob).size());
            assertEquals(jm.framesByCamera().size(),
                    scrape.series(JobMetrics.name(CameraMetrics.CAMERA_GROUP, CameraMetrics.FRAMES_PER_SECOND), ofJob).size());

            // every metric the dashboard and the alerts use is in the scrape of a running job
            for (String name : MonitoringNames.listed(true)) {
                assertTrue(!scrape.series(name, ofJob).isEmpty(), name + " is not in the scrape of job " + job);
            }

            // and the topics agree with the metrics
            List<ConsumerRecord<String, byte[]>> dead = KAFKA.consume(t.dlq(), badTotal, Duration.ofSeconds(1),
                    Duration.ofSeconds(30));
            assertEquals(badTotal, dead.size());
        } finally {
            flink.cancel(job, Duration.ofSeconds(30));
        }
    }

    /** One or two bad records per kind, keyed to the test's cameras; returns the expected count per reason. */
    private static Map<String, Integer> sendBadRecords(String topic) throws Exception {
        List<ConsumerRecord<String, byte[]>> sample = KAFKA.consume(topic, 1, Duration.ZERO, Duration.ofSeconds(20));
        Headers goodHeaders = sample.get(0).headers();
        byte[] jpeg = sample.get(0).value();
        byte[] garbage = new byte[3000];
        new Random(7).nextBytes(garbage);
        RecordHeaders v99 = copy(goodHeaders);
        v99.remove(FrameHeaders.VERSION);
        v99.add(FrameHeaders.VERSION, "99".getBytes(StandardCharsets.UTF_8));
        record Bad(String camera, byte[] value, Headers headers) {
        }
        List<Bad> bad = List.of(
                new Bad(null, jpeg, copy(goodHeaders)),
                new Bad("cam-1", new byte[0], copy(goodHeaders)),
                new Bad("cam-2", new byte[0], copy(goodHeaders)),
                new Bad("cam-3", jpeg, v99),
                new Bad("cam-1", garbage, copy(goodHeaders)));
        Map<String, Integer> expected = new LinkedHashMap<>();
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"), new ByteArraySerializer(), new ByteArraySerializer());
             FrameDecoder decoder = new FrameDecoder(224, 224, DecodeLimits.DEFAULTS)) {
            for (Bad b : bad) {
                byte[] key = b.camera == null ? null : b.camera.getBytes(StandardCharsets.UTF_8);
                p.send(new ProducerRecord<>(topic, b.camera == null ? 0 : null, key, b.value, b.headers));
                // the reason as the decoder itself gives it, so the test follows the decoder's mapping
                String reason = b.camera == null ? "MISSING_KEY" : decoder.decode(b.headers, b.value).failure().reason().name();
                expected.merge(reason, 1, Integer::sum);
            }
            p.flush();
        }
        return expected;
    }

    private static RecordHeaders copy(Headers h) {
        RecordHeaders c = new RecordHeaders();
        h.forEach(x -> c.add(x.key(), x.value()));
        return c;
    }
}
