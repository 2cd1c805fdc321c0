package io.framewise.pipeline.chaos;

import io.framewise.operators.isolate.TestFaults;
import io.framewise.pipeline.cluster.ClusterProcesses;
import io.framewise.pipeline.cluster.ClusterReadiness;
import io.framewise.pipeline.cluster.ClusterState;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Injects one fault into the running cluster and brings the cluster back: a killed process is started
 * again with the command {@code up} saved for it, and each fault ends only when the job completed a
 * checkpoint after it (so the next fault hits a job that recovered). Every wait is for a condition
 * (a checkpoint, an offset, a process gone, a count in the REST API), bounded by {@link #RECOVERY}.
 */
public final class FaultInjector {

    /** Longest a fault's wait may take before the run stops as failed. */
    static final Duration RECOVERY = Duration.ofMinutes(5);

    /** What one injected fault did. */
    public record Injected(FaultKind kind, String target, double atSeconds, double recoverySeconds) {
    }

    private final ClusterState cluster;
    private final JobWatch job;
    private final Books books;
    private final String framesTopic;
    private final String labelsTopic;
    private final Random random;
    private final PrintWriter log;
    private int poisonCount;

    public FaultInjector(ClusterState cluster, JobWatch job, Books books, String framesTopic, String labelsTopic,
                         long seed, PrintWriter log) {
        this.cluster = cluster;
        this.job = job;
        this.books = books;
        this.framesTopic = framesTopic;
        this.labelsTopic = labelsTopic;
        this.random = new Random(seed ^ 0x5DEECE66DL);
        this.log = log;
    }

    /**
     * Injects {@code kind}, then waits until the job recovered: every process runs again and a checkpoint
     * triggered after that completed (one triggered earlier may complete before the job noticed the fault).
     */
    public Injected inject(FaultKind kind, double atSeconds) throws Exception {
        long t0 = System.nanoTime();
        String target = switch (kind) {
            case TASKMANAGER_KILL -> killTaskManager();
            case JOBMANAGER_KILL -> {
                job.sample(); // the dying JobManager's last figure
                yield kill("jobmanager");
            }
            case BROKER_KILL -> killBroker();
            case TASKMANAGER_STOP -> stopTaskManager();
            case POISON_RECORD -> poison();
        };
        long cp = awaitRecovered();
        double took = (System.nanoTime() - t0) / 1e9;
        say("%s %s: recovered, checkpoint %d after %.1f s", kind.id(), target, cp, took);
        return new Injected(kind, target, atSeconds, took);
    }

    /**
     * Relaunches what is gone until a checkpoint triggered after the last relaunch completed. A restore
     * from a checkpoint taken before a poison record replays it, and the record decodes again (the
     * quarantine acts once per crash, docs/decoder-isolation.md): the TaskManager dies again and is
     * started again here; the record still comes out as one committed dead letter.
     *
     * @return the checkpoint's id
     */
    public long awaitRecovered() throws Exception {
        long since = System.currentTimeMillis();
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        while (true) {
            if (heal()) {
                since = System.currentTimeMillis();
            }
            if (job.lastCheckpointTriggeredAt() > since && taskManagers() == cluster.named("taskmanager").size()) {
                return job.lastCheckpoint();
            }
            if (Set.of("FAILED", "CANCELED", "FINISHED").contains(job.state())) {
                throw new IllegalStateException("job " + job.job() + " is " + job.state());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the job did not recover within " + RECOVERY + " (" + job.state() + ")");
            }
            Thread.sleep(250);
        }
    }

    /**
     * Starts again every process that is gone, with its saved command, and waits for the brokers to be
     * back in the cluster.
     *
     * @return whether anything was started
     */
    public boolean heal() throws Exception {
        boolean any = false;
        for (Map.Entry<String, Long> e : new ArrayList<>(cluster.processes().entrySet())) {
            if (!ClusterProcesses.alive(e.getValue(), cluster.dir())) {
                if (e.getKey().equals("jobmanager")) {
                    job.jobManagerReplaced();
                }
                long pid = ClusterProcesses.relaunch(cluster, e.getKey());
                say("relaunched %s (pid %d)", e.getKey(), pid);
                any = true;
            }
        }
        if (any) {
            int n = cluster.named("kafka").size();
            awaitCondition(n + " brokers", () -> brokers() == n);
        }
        return any;
    }

    private String killTaskManager() throws Exception {
        String tm = pick("taskmanager");
        // right after a checkpoint, and only once the sinks wrote past it: output that is not committed yet
        // (exactly-once) or already visible (at-least-once) is what a restart must not lose or repeat
        long cp = job.awaitCheckpointAfter(job.lastCheckpoint(), RECOVERY);
        long end = labelsEnd();
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        while (labelsEnd() <= end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the labels topic did not grow after checkpoint " + cp);
            }
            Thread.sleep(50);
        }
        say("taskmanager-kill: checkpoint %d completed, labels grew past %d", cp, end);
        return kill(tm);
    }

    private String killBroker() throws Exception {
        String broker = pick("kafka");
        int n = cluster.named("kafka").size();
        kill(broker);
        // the controller fences the broker (session timeout): its partitions' leaders move to the others
        awaitCondition("the brokers to see " + broker + " gone", () -> brokers() == n - 1);
        return broker;
    }

    private String stopTaskManager() throws Exception {
        String tm = pick("taskmanager");
        long pid = cluster.processes().get(tm);
        int n = cluster.named("taskmanager").size();
        ClusterProcesses.signal(pid, cluster.dir(), "STOP");
        say("taskmanager-stop: SIGSTOP %s (pid %d)", tm, pid);
        try {
            // stopped until the JobManager's heartbeat timed out and it dropped the TaskManager
            awaitCondition("the JobManager to drop " + tm, () -> taskManagers() < n);
        } finally {
            ClusterProcesses.signal(pid, cluster.dir(), "CONT");
            say("taskmanager-stop: SIGCONT %s", tm);
        }
        return tm;
    }

    private String poison() throws Exception {
        String camera = "poison-" + (++poisonCount);
        books.sentPoison(camera, 0);
        long offset = PoisonRecord.send(cluster.bootstrap(), framesTopic, camera, 0, TestFaults.CRASH);
        say("poison-record: %s at %s offset %d (test fault crash)", camera, framesTopic, offset);
        // the TaskManager that decodes it dies of SIGSEGV
        awaitCondition("a TaskManager to crash on the poison record", () -> cluster.named("taskmanager").stream()
                .anyMatch(tm -> !ClusterProcesses.alive(cluster.processes().get(tm), cluster.dir())));
        return camera;
    }

    /** SIGKILL, then waits for the exit. */
    private String kill(String name) throws Exception {
        long pid = cluster.processes().get(name);
        Optional<ProcessHandle> h = ClusterProcesses.handle(pid, cluster.dir());
        ClusterProcesses.signal(pid, cluster.dir(), "KILL");
        if (h.isPresent()) {
            h.get().onExit().get(RECOVERY.toSeconds(), TimeUnit.SECONDS);
        }
        say("SIGKILL %s (pid %d)", name, pid);
        return name;
    }

    private String pick(String kind) {
        List<String> names = cluster.named(kind);
        return names.get(random.nextInt(names.size()));
    }

    private int brokers() {
        try {
            return ClusterReadiness.brokers(cluster.bootstrap(), Duration.ofSeconds(5));
        } catch (Exception e) {
            return -1;
        }
    }

    private int taskManagers() {
        try {
            return ClusterReadiness.get(cluster.webUi() + "/overview").path("taskmanagers").asInt(-1);
        } catch (Exception e) {
            return -1;
        }
    }

    /** The labels topic's end offsets, summed, uncommitted records included (they show the sinks wrote). */
    private long labelsEnd() throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        try (Admin a = Admin.create(p)) {
            int partitions = a.describeTopics(List.of(labelsTopic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(labelsTopic).partitions().size();
            Map<TopicPartition, OffsetSpec> q = new java.util.HashMap<>();
            for (int i = 0; i < partitions; i++) {
                q.put(new TopicPartition(labelsTopic, i), OffsetSpec.latest());
            }
            return a.listOffsets(q, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
                    .get(30, TimeUnit.SECONDS).values().stream().mapToLong(i -> i.offset()).sum();
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitCondition(String what, Condition c) throws Exception {
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        while (!c.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + what + " within " + RECOVERY);
            }
            Thread.sleep(200);
        }
    }

    private void say(String fmt, Object... args) {
        log.printf("chaos: " + fmt + "%n", args);
        log.flush();
    }
}
