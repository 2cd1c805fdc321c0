package io.framewise.pipeline.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobOptions;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job cancelled mid-stream and started again from its last retained checkpoint
 * (RETAIN_ON_CANCELLATION, restored through {@code framewise.from-savepoint}): the second run picks
 * up where the checkpoint left off, aborts the first run's open transactions, and every record has
 * exactly one outcome across both runs.
 */
@Timeout(600) // a hang guard only: every wait fails on its own once the job stops making progress
class CancelResumeITCase {

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @TempDir
    static Path checkpoints;
    @RegisterExtension
    static final TwoTaskManagers flink = new TwoTaskManagers();

    @Test
    void aCancelledJobResumedFromItsRetainedCheckpointLosesAndDuplicatesNothing() throws Exception {
        Backlog backlog = Backlog.create(KAFKA);
        Backlog.Written written = backlog.write(150, 40);
        Map<String, String> m = backlog.jobOptions();
        // Unbounded: a bounded Kafka source restored from a checkpoint never finishes (FLINK-31006);
        // the test ends the resumed job once every outcome is committed.
        m.put(JobOptions.STOP_AT_LATEST.key(), "false");
        Configuration retained = new Configuration();
        retained.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        retained.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        retained.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);

        String name = "cancel-" + backlog.topics.in();
        JobID first = flink.submit(JobConfig.parse(m), retained, Faults.paced(name, 20));
        // cancelled with events sent after the latest checkpoint: open transactions the resumed run must abort
        flink.await(first, "two checkpoints, then events",
                () -> flink.latestCompletedCheckpoint(first) >= 2 && Faults.eventsSinceCompletedCheckpoint(name) >= 10);
        flink.cancel(first);
        int committedBefore = ExactlyOnceAccounting.readAll(KAFKA, backlog.topics.out(),
                IsolationLevel.READ_COMMITTED).size();
        assertTrue(committedBefore > 0 && committedBefore < written.frames(),
                "cancelled mid-stream: " + committedBefore + " of " + written.frames() + " events committed");

        Path latest = latestCheckpoint(checkpoints.resolve(first.toHexString()));
        m.put(JobOptions.FROM_SAVEPOINT.key(), latest.toUri().toString());
        JobID second = flink.submit(JobConfig.parse(m), retained, Faults.paced(name + "-resumed", 0));
        ExactlyOnceAccounting.awaitOutcomes(KAFKA, backlog.topics, written, flink, second);
        RestoredCheckpointStats restored = flink.checkpoints(second).getLatestRestoredCheckpoint();
        flink.cancel(second);

        assertNotNull(restored, "the second run restored a checkpoint");
        assertEquals(latest.getFileName().toString(), "chk-" + restored.getCheckpointId());
        ExactlyOnceAccounting.assertExactlyOnce(KAFKA, backlog.topics, written);
    }

    /** The retained {@code chk-N} directory with the highest N that has its metadata written. */
    private static Path latestCheckpoint(Path jobDir) throws Exception {
        try (Stream<Path> dirs = Files.list(jobDir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("chk-"))
                    .filter(d -> Files.exists(d.resolve("_metadata")))
                    .max(Comparator.comparingLong(d -> Long.parseLong(d.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new AssertionError("no retained checkpoint in " + jobDir));
        }
    }
}
