package io.framewise.pipeline.cluster;

import io.framewise.inference.exec.SharedModels;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The OS processes of a {@link LocalCluster}: launching one (its command line saved in
 * {@code DIR/conf/NAME.cmd}, so {@code chaos} can start a killed process again exactly as {@code up}
 * did), signalling one, stopping one. Every process carries {@code -Dframewise.cluster=DIR} on its
 * command line; only such processes are signalled, so a PID the OS reused for something else is left alone.
 */
public final class ClusterProcesses {

    static final String MARKER = "-Dframewise.cluster=";

    private ClusterProcesses() {
    }

    /** The full {@code java ...} command of a cluster process. */
    static List<String> java(Path dir, String name, List<String> classPath, List<String> jvm, String main,
                             List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ClusterClassPath.jvmFlags());
        cmd.addAll(jvm);
        cmd.add(MARKER + dir);
        // a crashed JVM's report beside its log, not in whatever folder the cluster was started from
        cmd.add("-XX:ErrorFile=" + dir.resolve("logs/hs_err_pid%p.log"));
        cmd.add("-Dlog.file=" + dir.resolve("logs/" + name + ".log"));
        cmd.add("-Dlog4j.configurationFile=" + dir.resolve("conf/log4j2.properties").toUri());
        cmd.add("-Dlog4j2.configurationFile=" + dir.resolve("conf/log4j2.properties").toUri());
        cmd.addAll(List.of("-cp", String.join(File.pathSeparator, classPath), main));
        cmd.addAll(args);
        return cmd;
    }

    /** Starts {@code cmd} as process {@code name} of the cluster in {@code dir}, saving the command first. */
    static Process launch(Path dir, String name, List<String> cmd) throws IOException {
        // one argument per line: no argument of ours holds a line break
        Files.write(commandFile(dir, name), cmd, StandardCharsets.UTF_8);
        return start(dir, name, cmd);
    }

    /**
     * Starts process {@code name} again with the command {@code up} saved for it (its log appended to),
     * and records the new PID in the state file.
     */
    public static long relaunch(ClusterState state, String name) throws IOException {
        Path f = commandFile(state.dir(), name);
        if (!Files.exists(f)) {
            throw new IllegalStateException("no saved command for " + name + " (" + f + ")");
        }
        Process p = start(state.dir(), name, Files.readAllLines(f, StandardCharsets.UTF_8));
        state.processes().put(name, p.pid());
        state.write();
        return p.pid();
    }

    private static Path commandFile(Path dir, String name) {
        return dir.resolve("conf/" + name + ".cmd");
    }

    private static Process start(Path dir, String name, List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("logs/" + name + ".out").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        dataDir(pb);
        return pb.start();
    }

    /** The model files, as the processes of a real deployment find them. */
    static void dataDir(ProcessBuilder pb) {
        SharedModels.dataDir().ifPresent(d -> pb.environment().put("FRAMEWISE_DATA", d.toAbsolutePath().toString()));
    }

    /** A process of this cluster: its command line names the cluster's folder (a reused PID does not). */
    static boolean ours(ProcessHandle h, Path dir) {
        return h.isAlive() && h.info().commandLine().map(c -> c.contains(MARKER + dir)).orElse(true);
    }

    /** Whether PID {@code pid} runs and is a process of the cluster in {@code dir}. */
    public static boolean alive(long pid, Path dir) {
        return handle(pid, dir).isPresent();
    }

    /** The process, if it runs and is this cluster's. */
    public static Optional<ProcessHandle> handle(long pid, Path dir) {
        return ProcessHandle.of(pid).filter(h -> ours(h, dir));
    }

    /**
     * Sends {@code signal} ({@code KILL}, {@code STOP}, {@code CONT}, ...) to a process of the cluster
     * with {@code kill(1)}: Java can only send TERM and KILL itself.
     *
     * @return false when the PID is not a running process of this cluster
     */
    public static boolean signal(long pid, Path dir, String signal) throws IOException, InterruptedException {
        if (!alive(pid, dir)) {
            return false;
        }
        Process k = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).redirectErrorStream(true).start();
        if (!k.waitFor(30, TimeUnit.SECONDS) || k.exitValue() != 0) {
            throw new IOException("kill -s " + signal + " " + pid + " failed: "
                    + new String(k.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        }
        return true;
    }

    /**
     * SIGCONT (a process that {@code chaos} stopped with SIGSTOP would never act on SIGTERM), SIGTERM,
     * then SIGKILL after {@code graceSeconds}; with 0, SIGKILL at once.
     */
    static void stop(ProcessHandle h, PrintWriter out, String what, int graceSeconds) {
        if (!h.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-s", "CONT", Long.toString(h.pid())).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill(1): a stopped process then needs the SIGKILL below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (graceSeconds <= 0) {
            h.destroyForcibly();
            h.onExit().join();
            out.println("cluster: killed " + what);
            out.flush();
            return;
        }
        h.destroy();
        try {
            h.onExit().get(graceSeconds, TimeUnit.SECONDS);
            out.println("cluster: stopped " + what);
        } catch (Exception e) {
            h.destroyForcibly();
            out.println("cluster: killed " + what + " (no exit " + graceSeconds + " s after SIGTERM)");
        }
        out.flush();
    }
}
