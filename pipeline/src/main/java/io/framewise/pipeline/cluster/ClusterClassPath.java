package io.framewise.pipeline.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Class paths and JVM flags for the processes of a cluster on this machine, taken from this JVM's own
 * class path (the build's, as {@code ./framewise} and the tests run): Kafka and ZooKeeper get it whole;
 * Flink's processes get it without what the job jar brings, like a Flink distribution's {@code lib/},
 * so the job, JavaCV/JavaCPP and the Kafka connector load from the submitted jar.
 */
public final class ClusterClassPath {

    /**
     * Path fragments of the jars the job jar bundles (see the shade allow-list in pipeline/pom.xml);
     * also our own class folders and jars. Kafka's server jars go too: they are the brokers'.
     */
    public static final List<String> JOB_JAR_CONTENT = List.of("/io/framewise/", "/framewise-", "/org/bytedeco/",
            "/org/apache/kafka/", "/flink-connector-kafka/", "/flink-connector-base/", "/info/picocli/",
            "/com/google/flatbuffers/", "/com/fasterxml/jackson/", "/com/github/luben/", "/org/xerial/snappy/");

    /**
     * Jars only the Kafka brokers need, left off Flink's processes too: Scala 2.13 (Kafka's) breaks
     * Flink's RPC system, which brings its own Scala 2.12 (NoClassDefFoundError
     * {@code scala/collection/convert/Wrappers$MutableSetWrapper} at start).
     */
    public static final List<String> BROKER_ONLY = List.of("/org/scala-lang/", "/com/typesafe/scala-logging/");

    private ClusterClassPath() {
    }

    /** This JVM's class path entries. */
    public static List<String> all() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.isEmpty()).collect(Collectors.toList());
    }

    /** This JVM's class path without the job jar's content; jars only (our class folders go). */
    public static List<String> flink() {
        return all().stream()
                .filter(e -> e.endsWith(".jar"))
                .filter(e -> JOB_JAR_CONTENT.stream().noneMatch(e.replace(File.separatorChar, '/')::contains))
                .filter(e -> BROKER_ONLY.stream().noneMatch(e.replace(File.separatorChar, '/')::contains))
                .collect(Collectors.toList());
    }

    /** The pipeline module's {@code target/}: beside the {@code classes} folder on the class path. */
    public static Path target() {
        for (String e : all()) {
            Path p = Path.of(e);
            if (p.getFileName() != null && p.getFileName().toString().equals("classes")
                    && p.getParent() != null && Files.exists(p.getParent().resolve("jvm.flags"))) {
                return p.getParent().toAbsolutePath();
            }
        }
        for (Path p : List.of(Path.of("target"), Path.of("pipeline", "target"))) {
            if (Files.exists(p.resolve("jvm.flags"))) {
                return p.toAbsolutePath();
            }
        }
        throw new IllegalStateException("no target/jvm.flags found: build the project first (mvn package)");
    }

    /** The runtime JVM flags the parent POM declares once ({@code framewise.jvm.flags}, written to target/jvm.flags). */
    public static List<String> jvmFlags() {
        try {
            return Arrays.stream(Files.readString(target().resolve("jvm.flags")).trim().split("\\s+"))
                    .filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shaded job jar the build writes ({@code target/framewise-job.jar}). */
    public static Path jobJar() {
        return target().resolve("framewise-job.jar");
    }
}
