package io.framewise.pipeline.failure;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.records.LabeledEvent;
import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.job.FramewiseJob;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A MiniCluster of two TaskManagers with one slot each, so a job of parallelism 2 has one subtask
 * of every operator on each TaskManager and killing either one hits the job. Killed TaskManagers
 * are replaced (the job needs both slots back), as a resource manager would.
 *
 * <p>A JUnit 5 extension: {@code @RegisterExtension static final TwoTaskManagers FLINK = new
 * TwoTaskManagers();} starts one cluster per test class and closes it after the class.
 */
final class TwoTaskManagers implements BeforeAllCallback, AfterAllCallback {

    static final int PARALLELISM = 2;

    private MiniCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        cluster = start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (cluster != null) {
            cluster.closeAsync().get(60, TimeUnit.SECONDS);
            cluster = null;
        }
    }

    private static MiniCluster start() throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_PORT, "0");
        conf.set(RestOptions.ADDRESS, "localhost");
        conf.set(RestOptions.BIND_ADDRESS, "localhost");
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 1);
        conf.set(WebOptions.CHECKPOINTS_HISTORY_SIZE, 1000); // every checkpoint of a test, for its messages
        MiniCluster mc = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(PARALLELISM)
                .setNumSlotsPerTaskManager(1)
                .build());
        mc.start();
        return mc;
    }

    /**
     * Submits the real job.
     *
     * @param flink      Flink settings on top of the job's own (checkpoint storage, a restore path)
     * @param beforeSink the test's fault injection, right before the events sink
     */
    JobID submit(JobConfig cfg, Configuration flink, UnaryOperator<DataStream<LabeledEvent>> beforeSink)
            throws Exception {
        Configuration c = FramewiseJob.flinkConfiguration(cfg);
        c.addAll(flink);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        FramewiseJob.Streams streams = FramewiseJob.dataflow(env, cfg);
        FramewiseJob.sinks(streams.withEvents(beforeSink.apply(streams.events())), cfg);
        return cluster.submitJob(env.getStreamGraph()).get(60, TimeUnit.SECONDS).getJobID();
    }

    /**
     * How long a wait may go without progress (a newly completed checkpoint, the job's or a subtask's
     * status changing, or the condition's own count moving) before the test fails as stuck. Not a bound on the whole
     * wait: a slow, busy machine only makes the waits longer (the class's {@code @Timeout} guards hangs).
     */
    static final Duration STALLED = Duration.ofSeconds(180);

    /** Waits for the job's end and fails the test unless it finished successfully; fails if it stalls. */
    JobResult awaitSuccess(JobID job) throws Exception {
        await(job, "the job's end", () -> status(job).isGloballyTerminalState(), () -> 0L, true);
        JobResult r = cluster.requestJobResult(job).get(60, TimeUnit.SECONDS);
        assertTrue(r.isSuccess(), () -> "job ended " + r.getApplicationStatus() + ": "
                + r.getSerializedThrowable().map(t -> t.getFullStringifiedStackTrace()).orElse(""));
        return r;
    }

    /** Cancels the job and waits until it stopped. */
    void cancel(JobID job) throws Exception {
        if (!status(job).isGloballyTerminalState()) {
            cluster.cancelJob(job).get(30, TimeUnit.SECONDS);
        }
        cluster.requestJobResult(job).get(60, TimeUnit.SECONDS);
    }

    JobStatus status(JobID job) throws Exception {
        return cluster.getJobStatus(job).get(30, TimeUnit.SECONDS);
    }

    /**
     * Terminates the TaskManager at {@code index} (0 and 1 are the first two; replacements get the
     * next indexes) and starts a replacement.
     */
    void killTaskManager(int index) throws Exception {
        cluster.terminateTaskManager(index).get(60, TimeUnit.SECONDS);
        cluster.startTaskManager();
    }

    CheckpointStatsSnapshot checkpoints(JobID job) throws Exception {
        return cluster.getExecutionGraph(job).get(30, TimeUnit.SECONDS).getCheckpointStatsSnapshot();
    }

    /** Id of the latest completed checkpoint, -1 before the first. */
    long latestCompletedCheckpoint(JobID job) throws Exception {
        CompletedCheckpointStats c = checkpoints(job).getHistory().getLatestCompletedCheckpoint();
        return c == null ? -1 : c.getCheckpointId();
    }

    /** Times the job was restored from a checkpoint (each failover that found one counts). */
    long restores(JobID job) throws Exception {
        return checkpoints(job).getCounts().getNumberOfRestoredCheckpoints();
    }

    /** Status and checkpoint counts, for failure messages. */
    String describe(JobID job) throws Exception {
        var counts = checkpoints(job).getCounts();
        return status(job) + ", checkpoints completed " + counts.getNumberOfCompletedCheckpoints() + " failed "
                + counts.getNumberOfFailedCheckpoints() + " in progress " + counts.getNumberOfInProgressCheckpoints()
                + " restored " + counts.getNumberOfRestoredCheckpoints();
    }

    /**
     * Polls {@code condition} every 50 ms; fails when the job ended first, or when {@link #STALLED}
     * passed without progress: no checkpoint completed, the job's status did not change and
     * {@code progress} (a count the caller watches, e.g. committed outcomes) did not move.
     */
    void await(JobID job, String what, Condition condition) throws Exception {
        await(job, what, condition, () -> 0L, false);
    }

    void await(JobID job, String what, Condition condition, Progress progress) throws Exception {
        await(job, what, condition, progress, false);
    }

    private void await(JobID job, String what, Condition condition, Progress progress, boolean untilTerminal)
            throws Exception {
        long lastProgress = System.nanoTime();
        String lastState = "";
        while (!condition.holds()) {
            JobStatus s = status(job);
            if (s.isGloballyTerminalState() && !untilTerminal) {
                throw new AssertionError("job ended " + s + " while waiting for " + what + ": " + describe(job));
            }
            String state = s + "/" + taskStates(job) + "/" + latestCompletedCheckpoint(job) + "/" + progress.count();
            if (!state.equals(lastState)) {
                lastState = state;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALLED.toNanos()) {
                String d = describe(job);
                throw new AssertionError("no progress towards " + what + " for " + STALLED + ": " + d);
            }
            Thread.sleep(50);
        }
    }

    /**
     * How many subtasks are in each execution state: deploying and initializing the tasks (Kafka
     * transactions, decoder natives, the model) is progress too, and took over a minute under load.
     */
    private String taskStates(JobID job) throws Exception {
        java.util.Map<org.apache.flink.runtime.execution.ExecutionState, Integer> n = new java.util.TreeMap<>();
        for (var v : cluster.getExecutionGraph(job).get(30, TimeUnit.SECONDS).getAllExecutionVertices()) {
            n.merge(v.getExecutionState(), 1, Integer::sum);
        }
        return n.toString();
    }

    /** Something the caller counts that grows while the job works towards what it waits for. */
    interface Progress {
        long count() throws Exception;
    }

    /** A condition that may ask the cluster. */
    interface Condition {
        boolean holds() throws Exception;
    }
}
