package io.framewise.pipeline.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewise.pipeline.cluster.ClusterReadiness;
import java.time.Duration;
import java.util.Set;

/**
 * The job as Flink's REST API shows it: state, last completed checkpoint, restarts. Restarts come from
 * the JobManager's {@code numRestarts} metric, which starts again at 0 when a new JobManager takes the
 * job over from ZooKeeper; a background poll therefore adds up the figure of every JobManager that ran
 * the job (a fall in the figure is a new JobManager) and counts the take-overs apart.
 */
public final class JobWatch implements AutoCloseable {

    private final String webUi;
    private final String job;
    private final Thread poller;
    private volatile boolean closed;
    /** Restarts of the JobManagers that ran the job before the current one. */
    private long earlier;
    /** The current JobManager's latest figure. */
    private long current;
    private int takeOvers;

    public JobWatch(String webUi, String job) {
        this.webUi = webUi;
        this.job = job;
        this.poller = new Thread(this::poll, "chaos-job-watch");
        poller.setDaemon(true);
        poller.start();
    }

    public String job() {
        return job;
    }

    private void poll() {
        while (!closed) {
            sample();
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Reads numRestarts once; quietly nothing while the JobManager is away. */
    public synchronized void sample() {
        try {
            JsonNode m = ClusterReadiness.get(webUi + "/jobs/" + job + "/metrics?get=numRestarts");
            for (JsonNode n : m) {
                if ("numRestarts".equals(n.path("id").asText())) {
                    long v = Long.parseLong(n.path("value").asText("0"));
                    if (v < current) {
                        earlier += current;
                        takeOvers++;
                    }
                    current = v;
                }
            }
        } catch (Exception e) {
            // JobManager down or job not yet restored: the next sample catches up
        }
    }

    /**
     * A new JobManager was started (chaos relaunched it): its numRestarts starts at 0, so the figure so
     * far is banked now rather than inferred later from a fall, which a fast new JobManager could hide.
     */
    public synchronized void jobManagerReplaced() {
        sample();
        earlier += current;
        current = 0;
        takeOvers++;
    }

    /** New JobManagers seen taking the job over (a fall in numRestarts). */
    public synchronized int takeOvers() {
        return takeOvers;
    }

    /** Restarts counted over every JobManager that ran the job. */
    public synchronized long restarts() {
        return earlier + current;
    }

    /** Id of the last completed checkpoint (ids go on across JobManagers: HA keeps the counter), -1 if none. */
    public long lastCheckpoint() {
        try {
            JsonNode c = ClusterReadiness.get(webUi + "/jobs/" + job + "/checkpoints");
            JsonNode latest = c.path("latest").path("completed");
            return latest.isMissingNode() || latest.isNull() ? -1 : latest.path("id").asLong(-1);
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * Restarts as the JobManagers logged them: the lines where the job switched from RUNNING to
     * RESTARTING in {@code jobmanager.log}, which every JobManager of the run appends to. A cross-check of
     * {@link #restarts()}, which reads a gauge and can miss what a JobManager counted after the last poll.
     */
    public long restartsLogged(java.nio.file.Path jobManagerLog) {
        String needle = "(" + job + ") switched from state RUNNING to RESTARTING";
        try (var lines = java.nio.file.Files.lines(jobManagerLog, java.nio.charset.StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(needle)).count();
        } catch (Exception e) {
            return -1;
        }
    }

    /** When the last completed checkpoint was triggered (epoch ms), -1 if none or unreachable. */
    public long lastCheckpointTriggeredAt() {
        try {
            JsonNode latest = ClusterReadiness.get(webUi + "/jobs/" + job + "/checkpoints").path("latest").path("completed");
            return latest.isMissingNode() || latest.isNull() ? -1 : latest.path("trigger_timestamp").asLong(-1);
        } catch (Exception e) {
            return -1;
        }
    }

    /** The job's state, or "UNREACHABLE" while the REST API does not answer. */
    public String state() {
        try {
            return ClusterReadiness.get(webUi + "/jobs/" + job).path("state").asText();
        } catch (Exception e) {
            return "UNREACHABLE";
        }
    }

    /**
     * Waits until a checkpoint newer than {@code after} completed: the job runs and commits again.
     * Fails when the job reached a terminal state or after {@code timeout}.
     *
     * @return the new checkpoint's id
     */
    public long awaitCheckpointAfter(long after, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long id = lastCheckpoint();
            if (id > after) {
                return id;
            }
            String s = state();
            if (Set.of("FAILED", "CANCELED", "FINISHED").contains(s)) {
                throw new IllegalStateException("job " + job + " is " + s + " (waiting for a checkpoint after " + after + ")");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no checkpoint after " + after + " within " + timeout + " (job " + s + ")");
            }
            Thread.sleep(250);
        }
    }

    @Override
    public void close() {
        closed = true;
        poller.interrupt();
    }
}
