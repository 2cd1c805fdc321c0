package io.framewise.pipeline.deploy;

import io.framewise.pipeline.cluster.ClusterClassPath;
import io.framewise.inference.exec.SharedModels;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@link SessionClusterMain} in a child JVM whose class path is this test's class path minus
 * everything the job jar brings: Flink and its dependencies, as in a Flink distribution's
 * {@code lib/}. Closing it closes the child's standard input, and the cluster shuts down.
 */
final class FlinkClusterProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final FlinkRest rest;

    private FlinkClusterProcess(Process process, Path log, FlinkRest rest) {
        this.process = process;
        this.log = log;
        this.rest = rest;
    }

    /**
     * @param dir        working folder (port file, log, upload folder, JavaCPP cache)
     * @param jvmOptions extra JVM options for the cluster, e.g. system properties
     * @param settings   Flink settings, {@code key=value}
     * @param lib        extra jars on the cluster's class path (Flink's {@code lib/}); none by default
     */
    static FlinkClusterProcess start(Path dir, List<String> jvmOptions, List<String> settings, List<Path> lib)
            throws Exception {
        Files.createDirectories(dir);
        Path port = dir.resolve("rest.port");
        Path log = dir.resolve("cluster.log");
        Path upload = Files.createDirectories(dir.resolve("upload"));
        Path log4j = dir.resolve("log4j2.properties");
        // the cluster's own log: warnings and JavaCPP's loading lines (its logger writes to stderr)
        Files.writeString(log4j, String.join("\n", "rootLogger.level = WARN", "rootLogger.appenderRef.out.ref = out",
                "appender.out.type = Console", "appender.out.name = out",
                "appender.out.layout.type = PatternLayout", "appender.out.layout.pattern = %d{HH:mm:ss.SSS} %-5level %c{1.} - %msg%n"));

        List<String> cp = new ArrayList<>();
        cp.add(mainClassFolder(dir.resolve("main")).toString());
        lib.forEach(p -> cp.add(p.toString()));
        cp.addAll(flinkClassPath());

        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags());
        cmd.add("-Xmx1536m");
        cmd.add("-Dlog4j.configurationFile=" + log4j.toUri());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", String.join(File.pathSeparator, cp), SessionClusterMain.class.getName(),
                port.toString(), "web.upload.dir=" + upload));
        cmd.addAll(settings);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        // the model files, as a TaskManager of a real deployment finds them
        SharedModels.dataDir().ifPresent(d -> pb.environment().put("FRAMEWISE_DATA", d.toString()));
        Process p = pb.start();
        FlinkClusterProcess cluster = null;
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.exists(port)) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("cluster JVM exited " + p.exitValue() + ":\n" + tail(log));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cluster JVM: no REST port after 60 s:\n" + tail(log));
                }
                Thread.sleep(100);
            }
            int restPort = Integer.parseInt(Files.readString(port, StandardCharsets.US_ASCII).trim());
            cluster = new FlinkClusterProcess(p, log, new FlinkRest("http://localhost:" + restPort));
            return cluster;
        } finally {
            if (cluster == null) {
                p.destroyForcibly();
            }
        }
    }

    FlinkRest rest() {
        return rest;
    }

    Path log() {
        return log;
    }

    /** The last lines of the cluster's log, for failure messages. */
    String logTail() {
        return tail(log);
    }

    /** This test JVM's class path without the job jar's content ({@link ClusterClassPath#flink()}). */
    static List<String> flinkClassPath() {
        return ClusterClassPath.flink();
    }

    /** The runtime JVM flags the build declares once (target/jvm.flags, as ./framewise reads them). */
    private static List<String> jvmFlags() throws IOException {
        Path flags = Path.of("target", "jvm.flags");
        return Arrays.stream(Files.readString(flags).trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    /** A folder holding only SessionClusterMain's class file: the rest of our test classes stay out. */
    private static Path mainClassFolder(Path dir) throws Exception {
        Path cls = Path.of(SessionClusterMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String rel = SessionClusterMain.class.getName().replace('.', '/') + ".class";
        Path target = dir.resolve(rel);
        Files.createDirectories(target.getParent());
        Files.copy(cls.resolve(rel), target, StandardCopyOption.REPLACE_EXISTING);
        return dir;
    }

    private static String tail(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            List<String> all = lines.toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - 60), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws Exception {
        try (OutputStream in = process.getOutputStream()) {
            in.flush();
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
