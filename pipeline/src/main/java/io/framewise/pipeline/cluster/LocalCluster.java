package io.framewise.pipeline.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobOptions;
import io.framewise.pipeline.local.Topics;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;
import org.apache.kafka.common.Uuid;

/**
 * A real cluster on this machine, every part its own OS process, all on 127.0.0.1: a ZooKeeper (Flink's
 * {@code FlinkZooKeeperQuorumPeer}, as {@code start-zookeeper-quorum.sh} runs it) for Flink's high
 * availability, Kafka brokers in KRaft mode (each broker also a controller; storage formatted with
 * Kafka's {@code StorageTool} first; replication factor 3, {@code min.insync.replicas} 2), a Flink
 * JobManager ({@code StandaloneSessionClusterEntrypoint}) with ZooKeeper HA, and TaskManagers
 * ({@code TaskManagerRunner}), with checkpoints, savepoints and HA metadata on local disk. The
 * processes are started from the jars the build resolved, with the parent POM's JVM flags, and run on
 * after the starting JVM exits; {@link ClusterState} records them.
 */
public final class LocalCluster {

    /**
     * What to start, and how big.
     *
     * @param taskManagerJvm extra JVM flags of the TaskManagers ({@code chaos} enables its test faults there)
     * @param flinkConfig    extra entries of Flink's {@code config.yaml}, over the defaults
     */
    public record Settings(Path dir, int brokers, int taskManagers, String brokerHeap, String taskManagerMemory,
                           String jobManagerMemory, Duration startTimeout, List<String> taskManagerJvm,
                           Map<String, String> flinkConfig, boolean nativeMemoryTracking) {
        public Settings(Path dir, int brokers, int taskManagers, String brokerHeap, String taskManagerMemory,
                        String jobManagerMemory, Duration startTimeout) {
            this(dir, brokers, taskManagers, brokerHeap, taskManagerMemory, jobManagerMemory, startTimeout, List.of(),
                    Map.of());
        }

        public Settings(Path dir, int brokers, int taskManagers, String brokerHeap, String taskManagerMemory,
                        String jobManagerMemory, Duration startTimeout, List<String> taskManagerJvm,
                        Map<String, String> flinkConfig) {
            this(dir, brokers, taskManagers, brokerHeap, taskManagerMemory, jobManagerMemory, startTimeout,
                    taskManagerJvm, flinkConfig, false);
        }

        /** The same with Native Memory Tracking (summary) in every long-running process: loadtest reads it with jcmd. */
        public Settings withNativeMemoryTracking(boolean on) {
            return new Settings(dir, brokers, taskManagers, brokerHeap, taskManagerMemory, jobManagerMemory,
                    startTimeout, taskManagerJvm, flinkConfig, on);
        }

        /** {@code jvm} plus the flags every long-running process of this cluster gets. */
        List<String> jvm(List<String> jvm) {
            if (!nativeMemoryTracking) {
                return jvm;
            }
            List<String> all = new ArrayList<>(jvm);
            all.add("-XX:NativeMemoryTracking=summary");
            return all;
        }

        public static Settings defaults(Path dir) {
            return new Settings(dir, 3, 2, "256m", "1280m", "768m", Duration.ofMinutes(3));
        }
    }

    private LocalCluster() {
    }

    /** The default folder: {@code ~/.cache/framewise/cluster}. */
    public static Path defaultDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "framewise", "cluster");
    }

    /**
     * Starts every process, waits until the brokers form a cluster and both TaskManagers registered,
     * creates the job's default topics and writes the state file. On any failure, stops what it started.
     */
    public static ClusterState up(Settings s, PrintWriter out) throws Exception {
        Path dir = s.dir().toAbsolutePath();
        if (Files.exists(ClusterState.file(dir))) {
            ClusterState old = ClusterState.read(dir);
            if (old.processes().values().stream().anyMatch(pid -> ClusterProcesses.alive(pid, dir))) {
                throw new IllegalStateException("a cluster is already running from " + dir
                        + " (`framewise cluster status`, `framewise cluster down`)");
            }
        }
        deleteTree(dir);
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("conf"));
        writeLog4j(dir);
        Map<String, Long> pids = new LinkedHashMap<>();
        List<Process> started = new ArrayList<>();
        boolean ok = false;
        try {
            // every port chosen before any process starts, all at once: one at a time, a port closed
            // again could come back for the next call (a CI run gave broker 1 and the REST endpoint
            // both 57337), and a started process's outgoing connections draw from the same range
            int[] ports = freePorts(2 + 2 * s.brokers());
            int zkPort = ports[0];
            int restPort = ports[1];
            String zk = "127.0.0.1:" + zkPort;
            startZooKeeper(dir, s, zkPort, pids, started);

            int[] brokerPorts = new int[s.brokers()];
            int[] controllerPorts = new int[s.brokers()];
            StringBuilder voters = new StringBuilder();
            for (int i = 0; i < s.brokers(); i++) {
                brokerPorts[i] = ports[2 + 2 * i];
                controllerPorts[i] = ports[3 + 2 * i];
                voters.append(i == 0 ? "" : ",").append(i + 1).append("@127.0.0.1:").append(controllerPorts[i]);
            }
            StringBuilder bootstrap = new StringBuilder();
            for (int i = 0; i < s.brokers(); i++) {
                bootstrap.append(i == 0 ? "" : ",").append("127.0.0.1:").append(brokerPorts[i]);
            }
            startKafka(dir, s, brokerPorts, controllerPorts, voters.toString(), pids, started);

            Path conf = writeFlinkConfig(dir, zk, restPort, s);
            String webUi = "http://127.0.0.1:" + restPort;
            startFlink(dir, conf, s, pids, started);

            ClusterReadiness.awaitTcp(zk, started, s.startTimeout(), "ZooKeeper");
            ClusterReadiness.awaitBrokers(bootstrap.toString(), s.brokers(), started, s.startTimeout());
            JobConfig topics = JobConfig.parse(Map.of(JobOptions.BOOTSTRAP.key(), bootstrap.toString()));
            Topics.create(bootstrap.toString(), topics, s.taskManagers(), null);
            ClusterReadiness.awaitTaskManagers(webUi, s.taskManagers(), started, s.startTimeout());

            ClusterState state = new ClusterState(dir, bootstrap.toString(), webUi, zk, pids);
            state.write();
            ok = true;
            return state;
        } finally {
            if (!ok) {
                out.println("cluster: start failed; stopping what was started (logs in " + dir.resolve("logs") + ")");
                out.flush();
                List<Process> reversed = new ArrayList<>(started);
                java.util.Collections.reverse(reversed);
                for (Process p : reversed) {
                    ClusterProcesses.stop(p.toHandle(), out, "pid " + p.pid(), 30);
                }
            }
        }
    }

    /** Stops every process (TaskManagers first, ZooKeeper last), then deletes the folder unless {@code keep}. */
    public static void down(Path dir, boolean keep, PrintWriter out) throws Exception {
        down(dir, keep, false, out);
    }

    /**
     * Stops every process, then deletes the folder unless {@code keep}. The Flink processes get SIGTERM
     * together (nothing of theirs outlives the cluster's folder), then the brokers one by one (brokers
     * that shut down together can lose the controller quorum their controlled shutdown waits for), then
     * ZooKeeper. With {@code kill}, every process gets SIGKILL at once: for a cluster whose data is
     * thrown away ({@code chaos}), a graceful shutdown only costs time.
     */
    public static void down(Path dir, boolean keep, boolean kill, PrintWriter out) throws Exception {
        dir = dir.toAbsolutePath();
        ClusterState st = ClusterState.read(dir);
        List<Map.Entry<String, Long>> reversed = new ArrayList<>(st.processes().entrySet());
        java.util.Collections.reverse(reversed);
        List<Thread> flink = new ArrayList<>();
        for (Map.Entry<String, Long> e : reversed) {
            Optional<ProcessHandle> h = ClusterProcesses.handle(e.getValue(), st.dir());
            String what = e.getKey() + " (pid " + e.getValue() + ")";
            if (h.isEmpty()) {
                out.println("cluster: " + what + " was not running");
            } else if (kill) {
                ClusterProcesses.stop(h.get(), out, what, 0);
            } else if (e.getKey().startsWith("taskmanager") || e.getKey().equals("jobmanager")) {
                Thread t = new Thread(() -> ClusterProcesses.stop(h.get(), out, what, 30), "stop-" + e.getKey());
                t.start();
                flink.add(t);
            } else {
                for (Thread t : flink) {
                    t.join();
                }
                // the last broker's controlled shutdown waits for a controller quorum that left with the
                // other two brokers: it never completes (measured: SIGKILL after the full 30 s), so it
                // gets a short grace (its log recovers on a restart like after any crash)
                boolean lastBroker = e.getKey().startsWith("kafka")
                        && st.named("kafka").indexOf(e.getKey()) == 0 && st.named("kafka").size() > 1;
                ClusterProcesses.stop(h.get(), out, what, lastBroker ? 5 : 30);
            }
        }
        for (Thread t : flink) {
            t.join();
        }
        if (keep) {
            Files.deleteIfExists(ClusterState.file(st.dir()));
            out.println("cluster: stopped; data and logs kept in " + st.dir());
        } else {
            deleteTree(st.dir());
            out.println("cluster: stopped; " + st.dir() + " removed");
        }
        out.flush();
    }

    /** One line per process (running or not), the brokers the cluster reports, Flink's overview. */
    public static boolean status(Path dir, PrintWriter out) throws Exception {
        ClusterState st = ClusterState.read(dir.toAbsolutePath());
        boolean all = true;
        for (Map.Entry<String, Long> e : st.processes().entrySet()) {
            boolean up = ClusterProcesses.alive(e.getValue(), st.dir());
            all &= up;
            out.printf("%-14s pid %-8d %s%n", e.getKey(), e.getValue(), up ? "running" : "NOT RUNNING");
        }
        out.println("bootstrap      " + st.bootstrap());
        try {
            out.println("brokers        " + ClusterReadiness.brokers(st.bootstrap(), Duration.ofSeconds(5)) + " in the cluster");
        } catch (Exception e) {
            all = false;
            out.println("brokers        unreachable: " + e.getMessage());
        }
        out.println("web UI         " + st.webUi());
        try {
            JsonNode o = ClusterReadiness.get(st.webUi() + "/overview");
            out.println("flink          " + o.path("taskmanagers").asInt() + " TaskManagers, "
                    + o.path("slots-available").asInt() + " of " + o.path("slots-total").asInt() + " slots free, "
                    + o.path("jobs-running").asInt() + " jobs running, flink " + o.path("flink-version").asText());
        } catch (Exception e) {
            all = false;
            out.println("flink          unreachable: " + e.getMessage());
        }
        out.println("zookeeper      " + st.zookeeper());
        out.println("data           " + st.dir());
        out.flush();
        return all;
    }

    /**
     * Submits the job jar with Flink's own command line ({@code CliFrontend run -d}, what {@code flink run}
     * runs) in a JVM of its own, configured with the cluster's {@code config.yaml}; the job's
     * {@code --bootstrap} defaults to the cluster's brokers and {@code --parallelism} to its slots.
     *
     * @return the job id Flink printed
     */
    public static String submit(Path dir, Path jar, List<String> jobArgs, PrintWriter out) throws Exception {
        ClusterState st = ClusterState.read(dir.toAbsolutePath());
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no job jar at " + jar + ": build it with `mvn -pl pipeline -am package`");
        }
        List<String> args = new ArrayList<>(List.of("run", "-d", jar.toAbsolutePath().toString()));
        if (jobArgs.stream().noneMatch(a -> a.equals("--bootstrap") || a.startsWith("--bootstrap="))) {
            args.addAll(List.of("--bootstrap", st.bootstrap()));
        }
        if (jobArgs.stream().noneMatch(a -> a.equals("--parallelism") || a.startsWith("--parallelism="))) {
            args.addAll(List.of("--parallelism", Integer.toString(st.named("taskmanager").size())));
        }
        args.addAll(jobArgs);
        List<String> cmd = ClusterProcesses.java(st.dir(), "flink-cli", ClusterClassPath.flink(), List.of("-Xmx512m"),
                "org.apache.flink.client.cli.CliFrontend", args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("FLINK_CONF_DIR", st.dir().resolve("conf").toString());
        ClusterProcesses.dataDir(pb);
        out.println("cluster: " + String.join(" ", cmd.subList(cmd.indexOf("org.apache.flink.client.cli.CliFrontend"),
                cmd.size())));
        out.flush();
        Process p = pb.start();
        p.getOutputStream().close();
        StringBuilder text = new StringBuilder();
        try (var r = p.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                text.append(line).append('\n');
                out.println(line);
                out.flush();
            }
        }
        int rc = p.waitFor();
        Matcher m = Pattern.compile("JobID ([0-9a-f]{32})").matcher(text);
        if (rc != 0 || !m.find()) {
            throw new IllegalStateException("flink run exited " + rc + " without a job id (output above)");
        }
        return m.group(1);
    }

    // ---- processes

    private static void startZooKeeper(Path dir, Settings s, int port, Map<String, Long> pids, List<Process> started)
            throws IOException {
        Path data = Files.createDirectories(dir.resolve("zookeeper"));
        Path cfg = dir.resolve("conf/zoo.cfg");
        Files.writeString(cfg, String.join("\n",
                "tickTime=2000", "initLimit=10", "syncLimit=5", "dataDir=" + data, "clientPort=" + port,
                "clientPortAddress=127.0.0.1", "maxClientCnxns=0", "admin.enableServer=false", ""));
        // the whole class path: ZooKeeper's snapshots need snappy, which the Flink class path leaves to the job jar
        launch(dir, "zookeeper", ClusterClassPath.all(),
                s.jvm(List.of("-Xmx128m", "-Dzookeeper.admin.enableServer=false")),
                "org.apache.flink.runtime.zookeeper.FlinkZooKeeperQuorumPeer",
                List.of("--zkConfigFile", cfg.toString(), "--peerId", "1"), pids, started);
    }

    private static void startKafka(Path dir, Settings s, int[] ports, int[] controllerPorts, String voters,
                                   Map<String, Long> pids, List<Process> started) throws Exception {
        String clusterId = Uuid.randomUuid().toString();
        List<Path> configs = new ArrayList<>();
        for (int i = 0; i < s.brokers(); i++) {
            int id = i + 1;
            Properties p = new Properties();
            p.setProperty("node.id", Integer.toString(id));
            p.setProperty("process.roles", "broker,controller");
            p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + ports[i] + ",CONTROLLER://127.0.0.1:" + controllerPorts[i]);
            p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + ports[i]);
            p.setProperty("controller.listener.names", "CONTROLLER");
            p.setProperty("inter.broker.listener.name", "PLAINTEXT");
            p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.setProperty("controller.quorum.voters", voters);
            p.setProperty("log.dirs", dir.resolve("kafka-" + id).toString());
            int rf = Math.min(3, s.brokers());
            p.setProperty("default.replication.factor", Integer.toString(rf));
            p.setProperty("offsets.topic.replication.factor", Integer.toString(rf));
            p.setProperty("transaction.state.log.replication.factor", Integer.toString(rf));
            p.setProperty("min.insync.replicas", Integer.toString(Math.min(2, rf)));
            p.setProperty("transaction.state.log.min.isr", Integer.toString(Math.min(2, rf)));
            p.setProperty("num.partitions", "2");
            p.setProperty("group.initial.rebalance.delay.ms", "0");
            p.setProperty("auto.create.topics.enable", "false");
            // video segments are larger than Kafka's 1 MB default (as the embedded broker allows)
            p.setProperty("message.max.bytes", Integer.toString(16 << 20));
            p.setProperty("replica.fetch.max.bytes", Integer.toString(16 << 20));
            p.setProperty("num.network.threads", "2");
            p.setProperty("num.io.threads", "2");
            p.setProperty("log.segment.bytes", Integer.toString(64 << 20));
            Path cfg = dir.resolve("conf/kafka-" + id + ".properties");
            try (var w = Files.newBufferedWriter(cfg, StandardCharsets.UTF_8)) {
                p.store(w, "broker " + id);
            }
            configs.add(cfg);
        }
        // format every broker's storage with the same cluster id, in parallel JVMs
        List<Process> formats = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            List<String> cmd = ClusterProcesses.java(dir, "kafka-format-" + (i + 1), ClusterClassPath.all(), List.of("-Xmx128m"),
                    "kafka.tools.StorageTool", List.of("format", "-t", clusterId, "-c", configs.get(i).toString()));
            formats.add(new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("logs/kafka-format-" + (i + 1) + ".out").toFile()).start());
        }
        for (int i = 0; i < formats.size(); i++) {
            Process f = formats.get(i);
            if (!f.waitFor(2, TimeUnit.MINUTES) || f.exitValue() != 0) {
                f.destroyForcibly();
                throw new IllegalStateException("formatting kafka-" + (i + 1) + " failed: "
                        + Files.readString(dir.resolve("logs/kafka-format-" + (i + 1) + ".out")));
            }
        }
        for (int i = 0; i < configs.size(); i++) {
            launch(dir, "kafka-" + (i + 1), ClusterClassPath.all(),
                    s.jvm(List.of("-Xmx" + s.brokerHeap(), "-Xms" + s.brokerHeap())), "kafka.Kafka",
                    List.of(configs.get(i).toString()), pids, started);
        }
    }

    private static Path writeFlinkConfig(Path dir, String zk, int restPort, Settings s) throws IOException {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "127.0.0.1");
        c.put("jobmanager.bind-host", "127.0.0.1");
        c.put("rest.address", "127.0.0.1");
        c.put("rest.bind-address", "127.0.0.1");
        c.put("rest.port", Integer.toString(restPort));
        c.put("taskmanager.host", "127.0.0.1");
        c.put("taskmanager.bind-host", "127.0.0.1");
        c.put("taskmanager.numberOfTaskSlots", "1");
        c.put("taskmanager.memory.process.size", s.taskManagerMemory());
        c.put("taskmanager.memory.managed.size", "0m");
        c.put("jobmanager.memory.process.size", s.jobManagerMemory());
        c.put("high-availability.type", "zookeeper");
        c.put("high-availability.zookeeper.quorum", zk);
        c.put("high-availability.zookeeper.path.root", "/flink");
        c.put("high-availability.cluster-id", "/framewise");
        c.put("high-availability.storageDir", dir.resolve("ha").toUri().toString());
        c.put("zookeeper.sasl.disable", "true");
        // a busy 2-core machine starts an RPC system in more than the default 10 s
        c.put("pekko.startup-timeout", "2 min");
        c.put("pekko.ask.timeout", "60 s");
        c.put("pekko.tcp.timeout", "60 s");
        c.put("execution.checkpointing.storage", "filesystem");
        c.put("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        c.put("execution.checkpointing.savepoint-dir", dir.resolve("savepoints").toUri().toString());
        c.put("web.upload.dir", dir.resolve("upload").toString());
        // every checkpoint of a long load test in the REST history (CheckpointStats reads it after the load)
        c.put("web.checkpoints.history", "10000");
        c.put("io.tmp.dirs", dir.resolve("tmp").toString());
        c.putAll(s.flinkConfig());
        Files.createDirectories(dir.resolve("upload"));
        Files.createDirectories(dir.resolve("tmp"));
        StringBuilder yaml = new StringBuilder("# framewise cluster: written by `cluster up`\n");
        c.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
        Path conf = dir.resolve("conf");
        Files.writeString(conf.resolve("config.yaml"), yaml.toString());
        return conf;
    }

    private static void startFlink(Path dir, Path conf, Settings s, Map<String, Long> pids, List<Process> started)
            throws IOException {
        Configuration config = GlobalConfiguration.loadConfiguration(conf.toString());
        // the memory sizes Flink's own scripts derive (BashJavaUtils) from the same configuration
        JobManagerProcessSpec jm = JobManagerProcessUtils.processSpecFromConfig(config);
        List<String> jmArgs = new ArrayList<>(List.of("--configDir", conf.toString()));
        jmArgs.addAll(split(JobManagerProcessUtils.generateDynamicConfigsStr(jm)));
        launch(dir, "jobmanager", ClusterClassPath.flink(), s.jvm(split(JobManagerProcessUtils.generateJvmParametersStr(jm, config))),
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", jmArgs, pids, started);

        TaskExecutorProcessSpec tm = TaskExecutorProcessUtils.processSpecFromConfig(config);
        List<String> tmJvm = new ArrayList<>(split(ProcessMemoryUtils.generateJvmParametersStr(tm)));
        // one native-library folder for every job jar the TaskManager loads (deploy/README.md)
        tmJvm.add("-Dorg.bytedeco.javacpp.cachedir=" + dir.resolve("javacpp"));
        tmJvm.add("-Dorg.bytedeco.javacpp.cachedir.nosubdir=true");
        tmJvm.addAll(s.taskManagerJvm());
        for (int i = 1; i <= s.taskManagers(); i++) {
            List<String> tmArgs = new ArrayList<>(List.of("--configDir", conf.toString()));
            tmArgs.addAll(split(TaskExecutorProcessUtils.generateDynamicConfigsStr(tm)));
            tmArgs.addAll(List.of("-D", "taskmanager.resource-id=taskmanager-" + i));
            launch(dir, "taskmanager-" + i, ClusterClassPath.flink(), s.jvm(tmJvm),
                    "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", tmArgs, pids, started);
        }
    }

    /** Splits Flink's generated "-D k=v -D k=v" / "-Xmx.. -Xms.." strings into arguments. */
    private static List<String> split(String s) {
        return Stream.of(s.trim().split("\\s+")).filter(a -> !a.isEmpty()).toList();
    }

    private static void launch(Path dir, String name, List<String> classPath, List<String> jvm, String main,
                               List<String> args, Map<String, Long> pids, List<Process> started) throws IOException {
        Process p = ClusterProcesses.launch(dir, name, ClusterProcesses.java(dir, name, classPath, jvm, main, args));
        started.add(p);
        pids.put(name, p.pid());
    }

    private static void writeLog4j(Path dir) throws IOException {
        Files.writeString(dir.resolve("conf/log4j2.properties"), String.join("\n",
                "rootLogger.level = INFO", "rootLogger.appenderRef.file.ref = file",
                "appender.file.type = File", "appender.file.name = file", "appender.file.fileName = ${sys:log.file}",
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %c{1} [%t] - %m%n",
                "logger.zk.name = org.apache.flink.shaded.zookeeper3", "logger.zk.level = WARN",
                "logger.curator.name = org.apache.flink.shaded.curator5", "logger.curator.level = WARN",
                "logger.kafkaclients.name = org.apache.kafka.clients", "logger.kafkaclients.level = WARN",
                "logger.statechange.name = state.change.logger", "logger.statechange.level = WARN",
                "logger.kafkacommon.name = org.apache.kafka.common", "logger.kafkacommon.level = WARN", ""));
    }

    /** {@code n} distinct free ports on 127.0.0.1: their sockets are all held open until every one is bound. */
    static int[] freePorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket();
                held.add(s);
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress("127.0.0.1", 0));
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
