package io.framewise.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.operators.records.LabeledEvent;
import io.framewise.operators.records.types.LabeledEventSerializer;
import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobOptions;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures in the middle of the stream, after a checkpoint completed and with events of the next
 * checkpoint already written (in an open transaction): an operator that throws once, and the
 * TaskManager killed and replaced. After the restart, every frame still has exactly one event under
 * read_committed.
 */
@Timeout(180)
class FailureRecoveryITCase {

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    /** Static: the MiniCluster runs in this JVM, and the flag must survive the operator's restart. */
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicInteger CHECKPOINTS_BEFORE_FAILURE = new AtomicInteger();

    static final int PASSES = 20;

    @TempDir
    static Path dir;
    static LabeledVideo video;
    static LocalFlink flink;

    @BeforeAll
    static void setUp() throws Exception {
        video = LabeledVideo.build(dir, 2, 12.5, 10);
        flink = LocalFlink.start(2, "0");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (flink != null) {
            flink.close();
        }
    }

    /** Passes events through; throws once, at the 10th event after the first completed checkpoint. */
    static final class FailOnceAfterCheckpoint implements MapFunction<LabeledEvent, LabeledEvent>, CheckpointListener {
        private int sinceCheckpoint = -1;

        @Override
        public LabeledEvent map(LabeledEvent e) {
            if (sinceCheckpoint >= 0 && ++sinceCheckpoint >= 10 && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure after checkpoint " + CHECKPOINTS_BEFORE_FAILURE.get());
            }
            return e;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            if (sinceCheckpoint < 0) {
                sinceCheckpoint = 0;
                CHECKPOINTS_BEFORE_FAILURE.set((int) checkpointId);
            }
        }
    }

    @Test
    void aFailureAfterACheckpointStillGivesExactlyOneEventPerFrame() throws Exception {
        JobRuns.Topics topics = JobRuns.topics(KAFKA, 2);
        String in = topics.in();
        String out = topics.out();
        String dlq = topics.dlq();
        // 20 passes of the 10-frame video per camera (400 frames): several checkpoints complete mid-stream
        long sent = JobRuns.produce(KAFKA, in, video.file.toString(), "jpeg", List.of("cam-1", "cam-2"),
                "--loop", "--limit", Integer.toString(PASSES * video.frames()));
        assertEquals(2L * PASSES * video.frames(), sent);

        Map<String, String> m = JobRuns.bounded(KAFKA, in, out, dlq);
        m.put(JobOptions.RESTART_ATTEMPTS.key(), "2");
        m.put(JobOptions.CHECKPOINT_INTERVAL_MS.key(), "200");
        FAILED.set(false);
        JobRuns.run(flink, JobConfig.parse(m),
                s -> s.map(new FailOnceAfterCheckpoint()).returns(LabeledEventSerializer.TYPE_INFO).name("fail once").uid("fail-once"),
                Duration.ofSeconds(150));
        assertTrue(FAILED.get(), "the failure was injected (a checkpoint completed mid-stream)");

        List<ConsumerRecord<String, byte[]>> events = KAFKA.consume(out, (int) sent, Duration.ofSeconds(3),
                Duration.ofSeconds(30));
        ObjectMapper json = new ObjectMapper();
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : events) {
            String id = json.readTree(r.value()).path("eventId").asText();
            assertTrue(ids.add(id), "duplicate event " + id);
        }
        assertEquals(sent, ids.size(), "one event per frame");
        assertEquals(sent, events.size());
    }

    @Test
    void aTaskManagerKilledMidStreamStillGivesExactlyOneEventPerFrame() throws Exception {
        JobRuns.Topics topics = JobRuns.topics(KAFKA, 2);
        String in = topics.in();
        String out = topics.out();
        String dlq = topics.dlq();
        long sent = JobRuns.produce(KAFKA, in, video.file.toString(), "jpeg", List.of("cam-1", "cam-2"),
                "--loop", "--limit", Integer.toString(2 * PASSES * video.frames()));
        Map<String, String> m = JobRuns.bounded(KAFKA, in, out, dlq);
        m.put(JobOptions.RESTART_ATTEMPTS.key(), "3");
        m.put(JobOptions.CHECKPOINT_INTERVAL_MS.key(), "200");
        JobConfig cfg = JobConfig.parse(m);
        try (LocalFlink own = LocalFlink.start(2, "0")) {
            org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env = org.apache.flink.streaming.api
                    .environment.StreamExecutionEnvironment.getExecutionEnvironment(FramewiseJob.flinkConfiguration(cfg));
            FramewiseJob.build(env, cfg);
            org.apache.flink.api.common.JobID id = own.submit(env.getStreamGraph());
            // committed events are visible only after a checkpoint completed: then kill mid-stream
            int before = KAFKA.consume(out, 1, Duration.ZERO, Duration.ofSeconds(60)).size();
            assertTrue(before > 0 && before < sent, "killed mid-stream: " + before + " of " + sent + " committed");
            own.replaceTaskManager();
            var r = own.result(id).get(150, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(r.isSuccess(), () -> "job ended " + r.getApplicationStatus());
        }
        List<ConsumerRecord<String, byte[]>> events = KAFKA.consume(out, (int) sent, Duration.ofSeconds(3),
                Duration.ofSeconds(30));
        ObjectMapper json = new ObjectMapper();
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : events) {
            String id = json.readTree(r.value()).path("eventId").asText();
            assertTrue(ids.add(id), "duplicate event " + id);
        }
        assertEquals(sent, ids.size(), "one event per frame");
        assertEquals(sent, events.size());
    }
}
