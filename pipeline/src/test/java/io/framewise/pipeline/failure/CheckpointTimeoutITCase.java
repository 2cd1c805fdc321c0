package io.framewise.pipeline.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobOptions;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A checkpoint that times out: one subtask's snapshot stalls for longer than
 * {@code framewise.checkpoint-timeout-ms}, so the checkpoint expires while the other subtask's sink
 * has already pre-committed for it. With no tolerated checkpoint failures the job restarts from the
 * last completed checkpoint; with some tolerated it carries on, and the expired checkpoint's events
 * are committed with the next one. Either way every record has exactly one outcome.
 */
@Timeout(120)
class CheckpointTimeoutITCase {

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    /**
     * Short, yet above the first checkpoint's duration (it waits for the model's warm-up batches);
     * the stall is over twice as long, so the stalled checkpoint surely expires.
     */
    static final long TIMEOUT_MS = 2500;
    static final long STALL_MS = 6000;

    @RegisterExtension
    static final TwoTaskManagers flink = new TwoTaskManagers();

    @Test
    void anExpiredCheckpointRestartsTheJobFromTheLastCompletedOne() throws Exception {
        JobID job = runWithAStalledCheckpoint(0);
        assertTrue(flink.restores(job) >= 1, "restored after the expired checkpoint: " + flink.restores(job));
    }

    @Test
    void aToleratedExpiredCheckpointIsCommittedWithTheNextOne() throws Exception {
        JobID job = runWithAStalledCheckpoint(5);
        assertEquals(0, flink.restores(job), "no restart: the failure was tolerated");
    }

    private static JobID runWithAStalledCheckpoint(int tolerated) throws Exception {
        Backlog backlog = Backlog.create(KAFKA);
        Backlog.Written written = backlog.write(80, 30);
        Map<String, String> m = backlog.jobOptions();
        m.put(JobOptions.CHECKPOINT_TIMEOUT_MS.key(), Long.toString(TIMEOUT_MS));
        m.put(JobOptions.TOLERABLE_CHECKPOINT_FAILURES.key(), Integer.toString(tolerated));
        // Unbounded: a job-wide restart recreates the Kafka enumerator from the checkpoint, and a bounded
        // source then never finishes (FLINK-31006); the test ends the job once every outcome is committed.
        m.put(JobOptions.STOP_AT_LATEST.key(), "false");
        String name = "stall-" + tolerated + "-" + backlog.topics.in();
        JobID job = flink.submit(JobConfig.parse(m), new Configuration(),
                Faults.hook(name, Faults.Kind.STALL_SNAPSHOT, 30, STALL_MS));
        ExactlyOnceAccounting.awaitOutcomes(KAFKA, backlog.topics, written, Duration.ofMillis(1500),
                Duration.ofSeconds(90));
        long failed = flink.checkpoints(job).getCounts().getNumberOfFailedCheckpoints();
        flink.cancel(job);

        assertTrue(Faults.firedAt(name) > 0, "a snapshot stalled");
        assertTrue(failed >= 1, "the stalled checkpoint failed: " + failed);
        ExactlyOnceAccounting.assertExactlyOnce(KAFKA, backlog.topics, written);
        return job;
    }
}
