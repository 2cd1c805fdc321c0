package io.framewise.pipeline.cluster;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What {@code cluster up} started, in {@code DIR/cluster.properties}, so {@code status}, {@code submit}
 * and {@code down} (other JVMs, later) find the processes and the addresses.
 *
 * @param dir       the cluster's folder: configuration, data, logs
 * @param bootstrap the brokers' bootstrap servers
 * @param webUi     the JobManager's REST API and web UI
 * @param zookeeper the ZooKeeper quorum Flink's HA uses
 * @param processes process name to PID, in start order
 */
public record ClusterState(Path dir, String bootstrap, String webUi, String zookeeper, Map<String, Long> processes) {

    public static final String FILE = "cluster.properties";

    public static Path file(Path dir) {
        return dir.resolve(FILE);
    }

    public void write() throws IOException {
        Properties p = new Properties();
        p.setProperty("dir", dir.toString());
        p.setProperty("bootstrap", bootstrap);
        p.setProperty("web-ui", webUi);
        p.setProperty("zookeeper", zookeeper);
        p.setProperty("processes", String.join(",", processes.keySet()));
        processes.forEach((name, pid) -> p.setProperty("pid." + name, Long.toString(pid)));
        Path tmp = dir.resolve(FILE + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "framewise cluster: written by `cluster up`, read by status, submit and down");
        }
        Files.move(tmp, file(dir), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The state in {@code dir}; fails with a message naming the folder when there is none. */
    public static ClusterState read(Path dir) throws IOException {
        Path f = file(dir);
        if (!Files.exists(f)) {
            throw new IllegalStateException("no cluster in " + dir + " (no " + FILE + "): start one with `framewise cluster up`");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, Long> processes = new LinkedHashMap<>();
        String names = p.getProperty("processes", "");
        if (!names.isEmpty()) {
            for (String name : names.split(",")) {
                processes.put(name, Long.parseLong(p.getProperty("pid." + name)));
            }
        }
        return new ClusterState(dir, p.getProperty("bootstrap"), p.getProperty("web-ui"), p.getProperty("zookeeper"),
                processes);
    }

    /** Names of the processes of one kind ({@code kafka}, {@code taskmanager}, ...), in start order. */
    public List<String> named(String kind) {
        List<String> out = new ArrayList<>();
        for (String n : processes.keySet()) {
            if (n.startsWith(kind)) {
                out.add(n);
            }
        }
        return out;
    }
}
