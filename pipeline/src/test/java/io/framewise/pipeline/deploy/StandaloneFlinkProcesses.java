package io.framewise.pipeline.deploy;

import io.framewise.inference.exec.SharedModels;
import io.framewise.pipeline.cluster.ClusterClassPath;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A standalone Flink session cluster whose JobManager and each TaskManager are OS processes of their
 * own (Flink's {@code StandaloneSessionClusterEntrypoint} and {@code TaskManagerRunner}, as
 * {@code ./framewise cluster} starts them, without ZooKeeper and Kafka): a TaskManager that dies takes
 * only itself down. Class path: Flink only ({@link ClusterClassPath#flink()}); jobs come as jars over
 * REST. Logs in {@code dir/logs}.
 */
final class StandaloneFlinkProcesses implements AutoCloseable {

    private final Path dir;
    private final Process jobManager;
    private final List<Process> taskManagers;
    private final FlinkRest rest;

    private StandaloneFlinkProcesses(Path dir, Process jobManager, List<Process> taskManagers, FlinkRest rest) {
        this.dir = dir;
        this.jobManager = jobManager;
        this.taskManagers = taskManagers;
        this.rest = rest;
    }

    /**
     * @param taskManagerJvm extra JVM options of the TaskManagers (e.g. {@code -Dframewise.test-faults=true})
     */
    static StandaloneFlinkProcesses start(Path dir, int taskManagers, List<String> taskManagerJvm,
                                          Duration timeout) throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("logs"));
        int restPort = freePort();
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "127.0.0.1");
        c.put("jobmanager.rpc.port", Integer.toString(freePort()));
        c.put("jobmanager.bind-host", "127.0.0.1");
        c.put("rest.address", "127.0.0.1");
        c.put("rest.bind-address", "127.0.0.1");
        c.put("rest.port", Integer.toString(restPort));
        c.put("taskmanager.host", "127.0.0.1");
        c.put("taskmanager.bind-host", "127.0.0.1");
        c.put("taskmanager.numberOfTaskSlots", "1");
        c.put("taskmanager.memory.process.size", "1280m");
        c.put("taskmanager.memory.managed.size", "0m");
        c.put("jobmanager.memory.process.size", "768m");
        // a dead TaskManager is noticed by its failed heartbeat RPCs; the timeout bounds the rest
        c.put("heartbeat.interval", "1000");
        c.put("heartbeat.timeout", "15000");
        c.put("pekko.startup-timeout", "2 min");
        c.put("pekko.ask.timeout", "60 s");
        c.put("web.upload.dir", Files.createDirectories(dir.resolve("upload")).toString());
        c.put("io.tmp.dirs", Files.createDirectories(dir.resolve("tmp")).toString());
        StringBuilder yaml = new StringBuilder();
        c.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
        Files.writeString(conf.resolve("config.yaml"), yaml.toString());
        Files.writeString(conf.resolve("log4j2.properties"), String.join("\n",
                "rootLogger.level = INFO", "rootLogger.appenderRef.file.ref = file",
                "appender.file.type = File", "appender.file.name = file", "appender.file.fileName = ${sys:log.file}",
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} [%t] - %m%n",
                "logger.kafka.name = org.apache.kafka", "logger.kafka.level = WARN", ""));

        Configuration config = GlobalConfiguration.loadConfiguration(conf.toString());
        List<Process> started = new ArrayList<>();
        boolean ok = false;
        try {
            JobManagerProcessSpec jm = JobManagerProcessUtils.processSpecFromConfig(config);
            List<String> jmArgs = new ArrayList<>(List.of("--configDir", conf.toString()));
            jmArgs.addAll(split(JobManagerProcessUtils.generateDynamicConfigsStr(jm)));
            Process jobManager = launch(dir, "jobmanager",
                    split(JobManagerProcessUtils.generateJvmParametersStr(jm, config)),
                    "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", jmArgs);
            started.add(jobManager);

            TaskExecutorProcessSpec tm = TaskExecutorProcessUtils.processSpecFromConfig(config);
            List<String> tmJvm = new ArrayList<>(split(ProcessMemoryUtils.generateJvmParametersStr(tm)));
            tmJvm.add("-Dorg.bytedeco.javacpp.cachedir=" + dir.resolve("javacpp"));
            tmJvm.add("-Dorg.bytedeco.javacpp.cachedir.nosubdir=true");
            tmJvm.add("-XX:ErrorFile=" + dir.resolve("logs/hs_err_pid%p.log"));
            tmJvm.addAll(taskManagerJvm);
            List<Process> tms = new ArrayList<>();
            for (int i = 1; i <= taskManagers; i++) {
                List<String> tmArgs = new ArrayList<>(List.of("--configDir", conf.toString()));
                tmArgs.addAll(split(TaskExecutorProcessUtils.generateDynamicConfigsStr(tm)));
                tmArgs.addAll(List.of("-D", "taskmanager.resource-id=taskmanager-" + i));
                Process p = launch(dir, "taskmanager-" + i, tmJvm,
                        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", tmArgs);
                started.add(p);
                tms.add(p);
            }
            FlinkRest rest = new FlinkRest("http://127.0.0.1:" + restPort);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (registered(rest) < taskManagers) {
                for (Process p : started) {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("a cluster process exited " + p.exitValue() + "; logs in "
                                + dir.resolve("logs"));
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(taskManagers + " TaskManagers not registered after " + timeout
                            + "; logs in " + dir.resolve("logs"));
                }
                Thread.sleep(200);
            }
            ok = true;
            return new StandaloneFlinkProcesses(dir, jobManager, List.copyOf(tms), rest);
        } finally {
            if (!ok) {
                started.forEach(Process::destroyForcibly);
            }
        }
    }

    FlinkRest rest() {
        return rest;
    }

    List<Process> taskManagers() {
        return taskManagers;
    }

    Path logs() {
        return dir.resolve("logs");
    }

    /** The last lines of every process log, for failure messages. */
    String logTails() {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> files = Files.list(logs())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                b.append("== ").append(f.getFileName()).append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())))
                        .append('\n');
            }
        } catch (IOException e) {
            b.append("(logs: ").append(e).append(')');
        }
        return b.toString();
    }

    private static int registered(FlinkRest rest) {
        try {
            return rest.taskManagerIds().size();
        } catch (Exception e) {
            return 0; // REST not up yet
        }
    }

    private static Process launch(Path dir, String name, List<String> jvm, String main, List<String> args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ClusterClassPath.jvmFlags());
        cmd.addAll(jvm);
        cmd.add("-Dlog.file=" + dir.resolve("logs/" + name + ".log"));
        cmd.add("-Dlog4j.configurationFile=" + dir.resolve("conf/log4j2.properties").toUri());
        cmd.add("-Dlog4j2.configurationFile=" + dir.resolve("conf/log4j2.properties").toUri());
        cmd.addAll(List.of("-cp", String.join(File.pathSeparator, ClusterClassPath.flink()), main));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("logs/" + name + ".out").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        SharedModels.dataDir().ifPresent(d -> pb.environment().put("FRAMEWISE_DATA", d.toAbsolutePath().toString()));
        return pb.start();
    }

    private static List<String> split(String s) {
        return Stream.of(s.trim().split("\\s+")).filter(a -> !a.isEmpty()).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** TaskManagers first, then the JobManager: SIGTERM, SIGKILL after 30 s. */
    @Override
    public void close() throws Exception {
        List<Process> all = new ArrayList<>(taskManagers);
        all.add(jobManager);
        for (Process p : all) {
            p.destroy();
        }
        for (Process p : all) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
