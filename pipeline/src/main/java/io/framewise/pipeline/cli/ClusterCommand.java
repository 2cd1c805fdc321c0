package io.framewise.pipeline.cli;

import io.framewise.pipeline.cluster.ClusterClassPath;
import io.framewise.pipeline.cluster.ClusterState;
import io.framewise.pipeline.cluster.LocalCluster;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code framewise cluster up|status|submit|down}: a real deployment on this machine without Docker,
 * every part its own process ({@link LocalCluster}).
 */
@Command(name = "cluster",
        description = {"A real cluster on this machine, every part its own process on 127.0.0.1: 3 Kafka brokers (KRaft,",
                "replication factor 3, min.insync.replicas 2), ZooKeeper for Flink HA, a Flink JobManager with HA and",
                "2 TaskManagers; checkpoints on local disk. `up` starts it, `submit` runs the job jar on it with Flink's",
                "own CLI (what `flink run` runs), `status` checks it, `down` stops it."},
        mixinStandardHelpOptions = true,
        subcommands = {ClusterCommand.Up.class, ClusterCommand.Status.class, ClusterCommand.Submit.class,
                ClusterCommand.Down.class})
public final class ClusterCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The cluster's folder option, shared by the subcommands. */
    static final class Dir {
        @Option(names = "--dir", paramLabel = "DIR",
                description = "The cluster's folder: configuration, data, logs, and the state file the other "
                        + "subcommands read (default: ~/.cache/framewise/cluster).")
        Path dir;

        Path get() {
            return dir != null ? dir : LocalCluster.defaultDir();
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start the cluster; print the bootstrap servers, the web UI and the PIDs.")
    static final class Up implements Callable<Integer> {
        @CommandLine.Mixin
        Dir dir = new Dir();

        @Option(names = "--brokers", defaultValue = "3", description = "Kafka brokers (default: ${DEFAULT-VALUE}).")
        int brokers;

        @Option(names = "--taskmanagers", defaultValue = "2",
                description = "Flink TaskManagers, one slot each (default: ${DEFAULT-VALUE}).")
        int taskManagers;

        @Option(names = "--broker-heap", defaultValue = "256m", description = "Heap per broker (default: ${DEFAULT-VALUE}).")
        String brokerHeap;

        @Option(names = "--taskmanager-memory", defaultValue = "1280m",
                description = "taskmanager.memory.process.size (default: ${DEFAULT-VALUE}).")
        String taskManagerMemory;

        @Option(names = "--native-memory-tracking",
                description = "Every process with -XX:NativeMemoryTracking=summary, so loadtest --cluster reports each"
                        + " one's native memory (jcmd VM.native_memory) beside RSS; costs a little memory and CPU.")
        boolean nativeMemoryTracking;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            long t0 = System.nanoTime();
            LocalCluster.Settings d = LocalCluster.Settings.defaults(dir.get());
            ClusterState st = LocalCluster.up(new LocalCluster.Settings(d.dir(), brokers, taskManagers, brokerHeap,
                    taskManagerMemory, d.jobManagerMemory(), d.startTimeout()).withNativeMemoryTracking(nativeMemoryTracking), out);
            out.printf("cluster: up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            out.println("bootstrap servers  " + st.bootstrap());
            out.println("web UI             " + st.webUi());
            out.println("zookeeper          " + st.zookeeper());
            for (Map.Entry<String, Long> e : st.processes().entrySet()) {
                out.printf("%-18s pid %d%n", e.getKey(), e.getValue());
            }
            out.println("folder             " + st.dir() + " (logs in logs/)");
            out.println("next: framewise cluster submit [job flags]; framewise cluster down");
            out.flush();
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Each process running or not, the brokers in the cluster, Flink's overview; exit 1 unless all is up.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Mixin
        Dir dir = new Dir();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return LocalCluster.status(dir.get(), spec.commandLine().getOut()) ? 0 : 1;
        }
    }

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = {"Run the job jar on the cluster with Flink's CliFrontend (`flink run -d JAR ...`), detached.",
                    "Other arguments are the job's flags (`framewise job --help`); --bootstrap defaults to the",
                    "cluster's brokers, --parallelism to its TaskManagers. Prints the job id."})
    static final class Submit implements Callable<Integer> {
        @CommandLine.Mixin
        Dir dir = new Dir();

        @Option(names = "--jar", paramLabel = "JAR",
                description = "The job jar (default: pipeline/target/framewise-job.jar, built by `mvn package`).")
        Path jar;

        @CommandLine.Unmatched
        List<String> jobArgs = new ArrayList<>();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            String id = LocalCluster.submit(dir.get(), jar != null ? jar : ClusterClassPath.jobJar(), jobArgs, out);
            out.println("cluster: job " + id + " submitted; " + ClusterState.read(dir.get().toAbsolutePath()).webUi()
                    + "/#/job/running/" + id);
            out.flush();
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop every process of the cluster and delete its folder (data, checkpoints, logs) unless --keep.")
    static final class Down implements Callable<Integer> {
        @CommandLine.Mixin
        Dir dir = new Dir();

        @Option(names = "--keep", description = "Keep the folder (logs, Kafka data, checkpoints).")
        boolean keep;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            LocalCluster.down(dir.get(), keep, spec.commandLine().getOut());
            return 0;
        }
    }
}
