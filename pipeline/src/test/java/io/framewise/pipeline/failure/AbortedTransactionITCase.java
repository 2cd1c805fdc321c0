package io.framewise.pipeline.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sink transactions of a failed attempt must be aborted: a failure while events sit in the open
 * transaction, and a checkpoint that fails after one subtask's sink already pre-committed (flushed
 * and prepared) its transaction for it. A read_uncommitted consumer sees those records (and their
 * replays); read_committed consumers never do, and see every record's outcome exactly once.
 */
@Timeout(600) // a hang guard only: every wait fails on its own once the job stops making progress
class AbortedTransactionITCase {

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @RegisterExtension
    static final TwoTaskManagers flink = new TwoTaskManagers();

    @Test
    void aFailureWithEventsInTheOpenTransactionAbortsIt() throws Exception {
        Run run = runWith(Faults.Kind.THROW_IN_TRANSACTION);
        assertTrue(Faults.firedAt(run.name) > 0, "the failure was injected after a completed checkpoint");
    }

    @Test
    void aCheckpointFailingAfterPreCommitAbortsThePreparedTransaction() throws Exception {
        Run run = runWith(Faults.Kind.FAIL_AFTER_PRE_COMMIT);
        assertTrue(Faults.counter(run.name + ".failedAfterPrepare").get() > 0, "failed after subtask 0 prepared");
        assertTrue(flink.checkpoints(run.job).getCounts().getNumberOfFailedCheckpoints() >= 1,
                "the checkpoint never completed");
    }

    /** Runs the job with the fault; checks the aborted records existed and the committed view is exact. */
    private record Run(String name, JobID job) {
    }

    private static Run runWith(Faults.Kind kind) throws Exception {
        Backlog backlog = Backlog.create(KAFKA);
        Backlog.Written written = backlog.write(150, 40);
        String name = kind + "-" + backlog.topics.in();
        JobID job = flink.submit(JobConfig.parse(backlog.jobOptions()), new Configuration(),
                Faults.hook(name, kind, 20, 0));
        flink.awaitSuccess(job);
        assertEquals(1, flink.restores(job), "restored once from the last checkpoint");

        List<ConsumerRecord<String, byte[]>> all =
                ExactlyOnceAccounting.readAll(KAFKA, backlog.topics.out(), IsolationLevel.READ_UNCOMMITTED);
        Set<String> replayed = ExactlyOnceAccounting.repeatedEventIds(all);
        assertFalse(replayed.isEmpty(), "read_uncommitted sees the aborted events next to their replays");
        ExactlyOnceAccounting.Outcome committed = ExactlyOnceAccounting.assertExactlyOnce(KAFKA, backlog.topics, written);
        assertTrue(all.size() > committed.events(), "aborted events: " + (all.size() - committed.events()));
        return new Run(name, job);
    }
}
