package io.framewise.pipeline.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * A Flink session cluster (one JobManager, one TaskManager, REST API with jar upload) in a JVM of its
 * own, started by {@link FlinkClusterProcess}. Its class path holds Flink and Flink's dependencies
 * only, like a cluster's {@code lib/}: the job's classes, JavaCV/JavaCPP and the Kafka connector
 * must come from the uploaded jar, through Flink's user-code class loader.
 *
 * <p>Only this class file is copied onto that class path, so it uses Flink's API and the JDK only.
 * Arguments: the file to write the REST port to, then Flink settings as {@code key=value}. Runs
 * until its standard input closes (the test ended or died).
 */
public final class SessionClusterMain {

    /** Classes the uploaded jar brings: if the system class loader sees one, the test proves nothing. */
    static final String[] JOB_JAR_ONLY = {
        "io.framewise.pipeline.job.FramewiseJob",
        "io.framewise.operators.decode.DecodeFunction",
        "org.bytedeco.javacpp.Loader",
        "org.bytedeco.ffmpeg.global.avcodec",
        "org.apache.flink.connector.kafka.source.KafkaSource",
        "org.apache.kafka.clients.producer.KafkaProducer",
    };

    private SessionClusterMain() {
    }

    public static void main(String[] args) throws Exception {
        for (String name : JOB_JAR_ONLY) {
            if (visible(name)) {
                System.err.println("cluster class path must not hold " + name);
                System.exit(3);
            }
        }
        Map<String, String> settings = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Configuration conf = Configuration.fromMap(settings);
        conf.set(RestOptions.BIND_PORT, "0");
        conf.set(RestOptions.ADDRESS, "localhost");
        conf.set(RestOptions.BIND_ADDRESS, "localhost");
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(2)
                .build());
        cluster.start();
        writePort(Path.of(args[0]), cluster.getRestAddress().get().getPort());
        while (System.in.read() >= 0) {
            // the parent keeps the pipe open while it needs the cluster
        }
        cluster.close();
        System.exit(0);
    }

    private static boolean visible(String name) {
        try {
            Class.forName(name, false, ClassLoader.getSystemClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static void writePort(Path file, int port) throws IOException {
        // written whole, then renamed, so the parent never reads half a number
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, Integer.toString(port), StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
}
