package io.framewise.pipeline.failure;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TaskManagers killed while frames flow, twice, after different checkpoints: first one, then (once
 * the job is back and has completed another checkpoint) the other, each replaced by a fresh one.
 * Every input record still has exactly one outcome under read_committed.
 */
@Timeout(600) // a hang guard only: every wait fails on its own once the job stops making progress
class TaskManagerLossITCase {

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @RegisterExtension
    static final TwoTaskManagers flink = new TwoTaskManagers();

    @Test
    void twoTaskManagersKilledAfterDifferentCheckpointsLoseAndDuplicateNothing() throws Exception {
        Backlog backlog = Backlog.create(KAFKA);
        Backlog.Written written = backlog.write(150, 40);
        String name = "tm-loss-" + backlog.topics.in();
        JobID job = flink.submit(JobConfig.parse(backlog.jobOptions()), new Configuration(), Faults.paced(name, 20));

        long[] killedAfter = new long[2];
        for (int kill = 0; kill < 2; kill++) {
            long since = kill == 0 ? 0 : killedAfter[0];
            // a checkpoint newer than the last kill's, and events after it that sit in open transactions
            // (already sent to the broker): the kill lands mid-stream, and those must be aborted
            flink.await(job, "checkpoint after " + since,
                    () -> flink.latestCompletedCheckpoint(job) > since && Faults.eventsSinceCompletedCheckpoint(name) >= 10);
            killedAfter[kill] = flink.latestCompletedCheckpoint(job);
            flink.killTaskManager(kill);
        }
        flink.awaitSuccess(job);

        assertTrue(killedAfter[1] > killedAfter[0], "second kill after a later checkpoint: " + killedAfter[1]
                + " vs " + killedAfter[0]);
        assertTrue(flink.restores(job) >= 2, "restored from a checkpoint after each kill: " + flink.restores(job));
        ExactlyOnceAccounting.assertExactlyOnce(KAFKA, backlog.topics, written);
        int episodes = ExactlyOnceAccounting.assertEpisodesExactlyOnce(KAFKA, backlog.episodesTopic());
        assertTrue(episodes > 0, "the run gave episodes for the failures to hit");
    }
}
