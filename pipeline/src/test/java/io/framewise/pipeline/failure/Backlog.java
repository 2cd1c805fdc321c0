package io.framewise.pipeline.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.framewise.inference.exec.SharedModels;
import io.framewise.pipeline.cli.SourceProducer;
import io.framewise.pipeline.config.JobOptions;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The input of a failure test, written before the job starts (the job reads it to its end and
 * finishes): JPEG frames of two cameras, real video frames as {@code framewise produce} sends them,
 * with bad records between them that must become dead letters (an empty frame of a camera every
 * {@code badEvery} frames, and one record without a key).
 */
final class Backlog {

    /** Fresh topics of one test: input and events with two partitions, dead letters with one. */
    record Topics(String in, String out, String dlq) {
    }

    /** What was written: {@code frames} good ones, {@code bad} ones that must be dead-lettered. */
    record Written(long frames, long bad) {
        long records() {
            return frames + bad;
        }
    }

    /**
     * Two camera ids that keyBy puts on different subtasks at parallelism 2, so each TaskManager
     * decodes and classifies one camera: a failure on either one hits a busy pipeline.
     */
    static final List<String> CAMERAS = camerasOnBothSubtasks();

    private final EmbeddedKafka kafka;
    final Topics topics;

    private Backlog(EmbeddedKafka kafka, Topics topics) {
        this.kafka = kafka;
        this.topics = topics;
    }

    static Backlog create(EmbeddedKafka kafka) throws Exception {
        Topics t = new Topics(EmbeddedKafka.uniqueTopic("frames"), EmbeddedKafka.uniqueTopic("labels"),
                EmbeddedKafka.uniqueTopic("dlq"));
        kafka.createTopic(t.in(), 2);
        kafka.createTopic(t.out(), 2);
        kafka.createTopic(t.dlq(), 1);
        return new Backlog(kafka, t);
    }

    /** Writes {@code framesPerCamera} frames of each camera with the bad records between them. */
    Written write(int framesPerCamera, int badEvery) throws Exception {
        // the frames go to a staging topic first, so bad records can be put between them in order
        String staging = EmbeddedKafka.uniqueTopic("staging");
        kafka.createTopic(staging, 1);
        String video = SharedModels.dataDir().orElseThrow(() -> new IllegalStateException("no shared data"))
                .resolve("videos/car-detection.mp4").toString();
        for (String camera : CAMERAS) {
            new SourceProducer(SourceProducer.args(video, kafka.bootstrapServers(), staging, camera, "jpeg",
                    4 << 20, Map.of(), "--limit", Integer.toString(framesPerCamera), "--quality", "60")).run();
        }
        List<ConsumerRecord<String, byte[]>> good =
                ExactlyOnceAccounting.readAll(kafka, staging, IsolationLevel.READ_COMMITTED);
        assertEquals((long) framesPerCamera * CAMERAS.size(), good.size(), "staged frames");

        long bad = 0;
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 << 20),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < good.size(); i++) {
                ConsumerRecord<String, byte[]> g = good.get(i);
                byte[] key = g.key().getBytes(StandardCharsets.UTF_8);
                p.send(new ProducerRecord<>(topics.in(), null, key, g.value(), g.headers()));
                if (i % badEvery == badEvery - 1) {
                    p.send(new ProducerRecord<>(topics.in(), null, key, new byte[0], g.headers()));
                    bad++;
                }
                if (i == good.size() / 2) {
                    p.send(new ProducerRecord<>(topics.in(), 0, (byte[]) null, g.value(), g.headers()));
                    bad++;
                }
            }
            p.flush();
        }
        return new Written(good.size(), bad);
    }

    /**
     * Options of a bounded run over this backlog at parallelism 2: reads the input from the start to
     * the offsets that were latest when it started, then finishes. Checkpoints every 300 ms so a few
     * complete before and after each injected failure.
     */
    Map<String, String> jobOptions() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(JobOptions.BOOTSTRAP.key(), kafka.bootstrapServers());
        m.put(JobOptions.INPUT_TOPIC.key(), topics.in());
        m.put(JobOptions.OUTPUT_TOPIC.key(), topics.out());
        m.put(JobOptions.DLQ_TOPIC.key(), topics.dlq());
        m.put(JobOptions.EPISODES_TOPIC.key(), episodesTopic());
        m.put(JobOptions.CAMERA_STATUS_TOPIC.key(), "status-" + topics.in());
        // low bars, so the traffic video gives episodes whose open and close records a failure can hit
        m.put(JobOptions.EPISODE_MIN_SCORE.key(), "0.2");
        m.put(JobOptions.EPISODE_MIN_FRAMES.key(), "2");
        m.put(JobOptions.GROUP.key(), "g-" + topics.in());
        m.put(JobOptions.TRANSACTIONAL_ID_PREFIX.key(), "tx-" + topics.in());
        m.put(JobOptions.STARTING_OFFSETS.key(), "earliest");
        m.put(JobOptions.STOP_AT_LATEST.key(), "true");
        m.put(JobOptions.CHECKPOINT_INTERVAL_MS.key(), "300");
        m.put(JobOptions.RESTART_ATTEMPTS.key(), "3");
        m.put(JobOptions.RESTART_DELAY_MS.key(), "200");
        m.put(JobOptions.PARALLELISM.key(), Integer.toString(TwoTaskManagers.PARALLELISM));
        return m;
    }

    /** The run's episodes topic (created by the broker on first write). */
    String episodesTopic() {
        return "episodes-" + topics.in();
    }

    private static List<String> camerasOnBothSubtasks() {
        int maxParallelism = KeyGroupRangeAssignment.computeDefaultMaxParallelism(TwoTaskManagers.PARALLELISM);
        String[] bySubtask = new String[TwoTaskManagers.PARALLELISM];
        for (int i = 1; i < 100; i++) {
            String camera = "cam-" + i;
            int subtask = KeyGroupRangeAssignment.assignKeyToParallelOperator(camera, maxParallelism,
                    TwoTaskManagers.PARALLELISM);
            if (bySubtask[subtask] == null) {
                bySubtask[subtask] = camera;
            }
        }
        return List.copyOf(new ArrayList<>(List.of(bySubtask)));
    }
}
