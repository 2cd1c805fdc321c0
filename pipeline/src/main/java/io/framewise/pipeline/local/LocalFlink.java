package io.framewise.pipeline.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.metrics.prometheus.PrometheusReporterFactory;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * A Flink MiniCluster in this JVM with its web UI on localhost: where {@code framewise job} (without
 * {@code --remote}), the demo and the integration tests run the job. User classes are on the JVM's
 * class path, so no job jar is shipped.
 */
public final class LocalFlink implements AutoCloseable {

    private final MiniCluster cluster;
    private final URI metricsUrl;
    private final Path checkpoints;

    private LocalFlink(MiniCluster cluster, URI metricsUrl, Path checkpoints) {
        this.cluster = cluster;
        this.metricsUrl = metricsUrl;
        this.checkpoints = checkpoints;
    }

    /**
     * @param slots    task slots (the job's parallelism at most)
     * @param webPorts REST/web UI port or range, e.g. "8081-8099"; "0" picks a free one
     */
    public static LocalFlink start(int slots, String webPorts) throws Exception {
        return start(slots, webPorts, -1);
    }

    /**
     * @param metricsPort port of the Prometheus reporter's {@code /metrics} endpoint on this host; 0 picks
     *                    a free one, negative starts no reporter
     */
    public static LocalFlink start(int slots, String webPorts, int metricsPort) throws Exception {
        return start(slots, webPorts, metricsPort, false);
    }

    /**
     * @param bufferDebloat Flink's buffer debloating: a TaskManager setting (the TaskManager reads it, not
     *                      the job), so the local cluster takes it from the job's --buffer-debloat here
     */
    public static LocalFlink start(int slots, String webPorts, int metricsPort, boolean bufferDebloat) throws Exception {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.BUFFER_DEBLOAT_ENABLED, bufferDebloat);
        // Every checkpoint's statistics stay readable over REST until the end of a run (the load test's
        // checkpoint table); the default keeps the last 10.
        conf.set(WebOptions.CHECKPOINTS_HISTORY_SIZE, 10_000);
        URI metrics = null;
        if (metricsPort >= 0) {
            int port = metricsPort == 0 ? freePort() : metricsPort;
            conf.set(ConfigOptions.key("metrics.reporter.prom.factory.class").stringType().noDefaultValue(),
                    PrometheusReporterFactory.class.getName());
            conf.set(ConfigOptions.key("metrics.reporter.prom.port").stringType().noDefaultValue(),
                    Integer.toString(port));
            // Camera ids as they are (label values may hold any text); filtered, "cam-1" would read "cam_1".
            conf.set(ConfigOptions.key("metrics.reporter.prom.filterLabelValueCharacters").booleanType().noDefaultValue(),
                    false);
            metrics = URI.create("http://localhost:" + port + "/metrics");
        }
        conf.set(RestOptions.BIND_PORT, webPorts);
        conf.set(RestOptions.ADDRESS, "localhost");
        conf.set(RestOptions.BIND_ADDRESS, "localhost");
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        // Checkpoints on disk, as on a real cluster: the default keeps them in the JobManager's memory,
        // at most 5 MB each, and under a 2x overload the episode operator's pending events (waiting for
        // the slowest partition's watermark) passed that and failed every checkpoint (loadtest in CI).
        Path checkpoints = Files.createTempDirectory("framewise-checkpoints");
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        MiniCluster mc = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
        mc.start();
        return new LocalFlink(mc, metrics, checkpoints);
    }

    private static int freePort() throws IOException {
        // The reporter binds the port itself a moment later: a small window in which another process could take it.
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The Prometheus reporter's endpoint, e.g. http://localhost:9249/metrics; null when started without it. */
    public URI metricsUrl() {
        return metricsUrl;
    }

    /** The web UI (and REST API), e.g. http://localhost:8081. */
    public URI webUrl() throws Exception {
        return cluster.getRestAddress().get(30, TimeUnit.SECONDS);
    }

    public JobID submit(StreamGraph graph) throws Exception {
        return cluster.submitJob(graph).get(60, TimeUnit.SECONDS).getJobID();
    }

    public JobStatus status(JobID job) throws Exception {
        return cluster.getJobStatus(job).get(30, TimeUnit.SECONDS);
    }

    /**
     * Waits until every task of the job is RUNNING: past INITIALIZING, so operators are open (the model
     * loaded, the decoders built) and records sent now meet a ready job.
     */
    public void awaitRunning(JobID job, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JobStatus st = status(job);
            if (st.isGloballyTerminalState()) {
                throw new IllegalStateException("job " + job + " ended " + st + " while starting");
            }
            if (st == JobStatus.RUNNING && allTasksRunning(job)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + job + " not running after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }

    private boolean allTasksRunning(JobID job) throws Exception {
        for (AccessExecutionVertex v : cluster.getExecutionGraph(job).get(30, TimeUnit.SECONDS).getAllExecutionVertices()) {
            if (v.getExecutionState() != ExecutionState.RUNNING) {
                return false;
            }
        }
        return true;
    }

    /** Completes when the job reached a terminal state (finished, failed, canceled). */
    public CompletableFuture<JobResult> result(JobID job) {
        return cluster.requestJobResult(job);
    }

    /** Cancels the job and waits until it stopped. */
    public void cancel(JobID job, Duration timeout) throws Exception {
        if (!status(job).isGloballyTerminalState()) {
            cluster.cancelJob(job).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        result(job).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops the job with a savepoint in {@code dir} (canonical format, portable across state backends;
     * no drain: the sources stop at the barrier and the rest of the input waits in Kafka for the
     * restored job) and waits until the job ended.
     *
     * @return the savepoint's path, for {@code framewise.from-savepoint}
     */
    public String stopWithSavepoint(JobID job, String dir, Duration timeout) throws Exception {
        String path = cluster.stopWithSavepoint(job, dir, false, SavepointFormatType.CANONICAL)
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        result(job).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return path;
    }

    @Override
    public void close() throws Exception {
        try {
            cluster.closeAsync().get(60, TimeUnit.SECONDS);
        } finally {
            try (Stream<Path> files = Files.walk(checkpoints)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
