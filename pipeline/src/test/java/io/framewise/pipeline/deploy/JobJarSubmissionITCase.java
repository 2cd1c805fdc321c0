package io.framewise.pipeline.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.inference.exec.Classifier;
import io.framewise.inference.exec.ClassifierOptions;
import io.framewise.inference.exec.CompiledModel;
import io.framewise.inference.exec.SharedModels;
import io.framewise.inference.preprocess.ImageFiles;
import io.framewise.inference.preprocess.ResizePlan;
import io.framewise.inference.preprocess.RgbImage;
import io.framewise.pipeline.cli.SourceProducer;
import io.framewise.pipeline.job.FramewiseJob;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded job jar installed the way {@code flink run} / the web UI install it: uploaded through
 * Flink's REST API to a session cluster (a JVM of its own, {@link FlinkClusterProcess}) whose class
 * path holds Flink only, so the job, JavaCV/JavaCPP/FFmpeg and the Kafka connector load from the jar
 * in Flink's user-code class loader. Runs, cancels and resubmits it three times to the same
 * TaskManager: FFmpeg's natives must load again in each new user-code class loader (the classic
 * "Native Library ... already loaded in another classloader").
 *
 * <p>Needs {@code target/framewise-job.jar}: {@code mvn verify} builds it in {@code package}, before
 * failsafe runs this.
 */
@Timeout(240)
class JobJarSubmissionITCase {

    static final Path JOB_JAR = Path.of("target", "framewise-job.jar");
    static final List<String> PHOTOS = List.of("parrot.jpg", "hot_dog.jpg");
    static final int COPIES = 4;
    static final int SUBMISSIONS = 3;

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @TempDir
    static Path dir;

    final ObjectMapper json = new ObjectMapper();

    @Test
    void jarRunsOnAFlinkOnlyClusterAndAgainAfterCancelOnTheSameTaskManager() throws Exception {
        assertTrue(Files.isRegularFile(JOB_JAR), JOB_JAR.toAbsolutePath()
                + " is missing: it is built by the shade plugin in `package`; run `mvn verify` (not failsafe alone)");
        Map<String, Integer> expected = expectedLabels();
        Path frames = framesFolder();
        String dlq = EmbeddedKafka.uniqueTopic("dlq");
        KAFKA.createTopic(dlq, 1);
        Path cache = dir.resolve("javacpp-cache");

        // As README "Deploying the job jar" sets it: one extraction folder whatever the jar's path. Each
        // submission's class loader then meets natives an earlier one loaded from the same files: the
        // "already loaded in another classloader" case (without nosubdir every blob gets a folder of its own).
        try (FlinkClusterProcess cluster = FlinkClusterProcess.start(dir.resolve("cluster"),
                List.of("-Dorg.bytedeco.javacpp.cachedir=" + cache, "-Dorg.bytedeco.javacpp.cachedir.nosubdir=true",
                        "-Dorg.bytedeco.javacpp.logger.debug=true"),
                List.of(), List.of())) {
            FlinkRest rest = cluster.rest();
            List<String> taskManagers = rest.taskManagerIds();
            assertEquals(1, taskManagers.size(), taskManagers::toString);
            String jarId = rest.uploadJar(JOB_JAR);

            for (int run = 1; run <= SUBMISSIONS; run++) {
                String in = EmbeddedKafka.uniqueTopic("frames");
                String out = EmbeddedKafka.uniqueTopic("labels");
                KAFKA.createTopic(in, 1);
                KAFKA.createTopic(out, 1);
                long sent = new SourceProducer(SourceProducer.args(frames.toString(), KAFKA.bootstrapServers(), in,
                        "cam-" + run, "jpeg", 4 << 20, Map.of())).run().frames();
                assertEquals((long) PHOTOS.size() * COPIES, sent);

                String job = rest.runJar(jarId, List.of("--bootstrap", KAFKA.bootstrapServers(),
                        "--input-topic", in, "--output-topic", out, "--dlq-topic", dlq,
                        "--group", "g-" + in, "--transactional-id-prefix", "tx-" + in,
                        "--starting-offsets", "earliest", "--checkpoint-interval-ms", "500",
                        "--restart-attempts", "0", "--parallelism", "1", "--job-name", "framewise-jar-" + run));
                List<JsonNode> events = awaitEvents(cluster, job, out, sent);
                rest.cancel(job, Duration.ofSeconds(30));

                Map<String, Integer> labels = new TreeMap<>();
                events.forEach(e -> labels.merge(e.path("top").path(0).path("label").asText(), 1, Integer::sum));
                assertEquals(expected, labels, "submission " + run + ": top-1 labels of the frames");
                assertEquals(taskManagers, rest.taskManagerIds(), "submission " + run + " ran on another TaskManager");
            }
            System.out.println("JavaCPP loads of FFmpeg's JNI library (cluster log " + cluster.log() + "):");
            try (Stream<String> lines = Files.lines(cluster.log())) {
                lines.filter(l -> l.contains("Loading") && l.contains("jniavcodec")).forEach(System.out::println);
            }
        }
        // the pitfall was met and passed: the 2nd and 3rd class loaders loaded renamed copies of the JNI library
        List<String> jni;
        try (Stream<Path> files = Files.list(cache)) {
            jni = files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("libjniavcodec")).sorted().toList();
        }
        assertEquals(List.of("libjniavcodec.so", "libjniavcodec0.so", "libjniavcodec1.so"), jni);
        long bytes;
        try (Stream<Path> files = Files.walk(cache)) {
            bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        System.out.printf("JavaCPP cache after %d submissions: %.1f MB%n", SUBMISSIONS, bytes / 1e6);
        assertEquals(0, KAFKA.consume(dlq, 0, Duration.ZERO, Duration.ofSeconds(2)).size(), "dead letters");
    }

    /** What the cluster provides stays out; natives only for the platform we deploy on. */
    @Test
    void jarHoldsTheJobAndNotFlink() throws Exception {
        assertTrue(Files.isRegularFile(JOB_JAR), JOB_JAR.toAbsolutePath() + " is missing: run `mvn verify`");
        try (JarFile jar = new JarFile(JOB_JAR.toFile())) {
            assertEquals(FramewiseJob.class.getName(), jar.getManifest().getMainAttributes().getValue("Main-Class"));
            List<String> names = jar.stream().map(JarEntry::getName).toList();
            for (String needed : List.of("io/framewise/pipeline/job/FramewiseJob.class",
                    "io/framewise/operators/decode/DecodeFunction.class", "org/bytedeco/javacpp/Loader.class",
                    "org/bytedeco/ffmpeg/linux-x86_64/libjniavcodec.so",
                    "org/apache/flink/connector/kafka/sink/KafkaSink.class",
                    "org/apache/kafka/clients/producer/KafkaProducer.class",
                    "io/framewise/shaded/com/fasterxml/jackson/databind/ObjectMapper.class")) {
                assertTrue(names.contains(needed), "missing " + needed);
            }
            for (String provided : List.of("org/apache/flink/runtime/", "org/apache/flink/streaming/api/",
                    "org/apache/flink/api/common/", "org/slf4j/", "org/apache/logging/", "com/fasterxml/jackson/",
                    "picocli/", "org/bytedeco/tensorflowlite/", "io/framewise/pipeline/cli/", "kafka/server/")) {
                assertTrue(names.stream().noneMatch(n -> n.startsWith(provided)), "bundles " + provided);
            }
            List<String> foreign = names.stream()
                    .filter(n -> n.endsWith(".so") || n.contains(".so.") || n.endsWith(".dll") || n.endsWith(".dylib"))
                    .filter(n -> !n.contains("linux-x86_64/") && !n.contains("linux/amd64/") && !n.contains("Linux/x86_64/"))
                    .toList();
            assertEquals(List.of(), foreign, "natives for other platforms");
        }
    }

    /** Reads the job's committed events until {@code expected} came, failing early if the job fails. */
    private List<JsonNode> awaitEvents(FlinkClusterProcess cluster, String job, String topic, long expected)
            throws Exception {
        List<JsonNode> events = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KAFKA.consumerProperties(),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < settleUntil) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    events.add(json.readTree(r.value()));
                }
                if (events.size() >= expected && settleUntil == Long.MAX_VALUE) {
                    // one more checkpoint's worth: duplicates would show up here
                    settleUntil = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                }
                String state = cluster.rest().jobState(job);
                if (Set.of("FAILING", "FAILED", "CANCELED", "FINISHED").contains(state)) {
                    fail("job " + job + " is " + state + " after " + events.size() + " of " + expected + " events: "
                            + cluster.rest().rootException(job) + "\ncluster log:\n" + cluster.logTail());
                }
                if (System.nanoTime() > deadline) {
                    fail("job " + job + " (" + state + "): " + events.size() + " of " + expected
                            + " events after 60 s\ncluster log:\n" + cluster.logTail());
                }
            }
        }
        assertEquals(expected, events.size(), "events (exactly one per frame)");
        return events;
    }

    /** {@code COPIES} copies of each photo, sent file by file as JPEG records. */
    private static Path framesFolder() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("frames"));
        Path images = SharedModels.dataDir().orElseThrow().resolve("images");
        for (int p = 0; p < PHOTOS.size(); p++) {
            for (int k = 0; k < COPIES; k++) {
                Files.copy(images.resolve(PHOTOS.get(p)), folder.resolve(p + "-" + k + ".jpg"));
            }
        }
        return folder;
    }

    /** Each photo's top-1 label from the inference core in this JVM, counted per copy. */
    private static Map<String, Integer> expectedLabels() throws Exception {
        Path images = SharedModels.dataDir().orElseThrow().resolve("images");
        CompiledModel model = SharedModels.load(SharedModels.DEFAULT_MODEL, null);
        Map<String, Integer> expected = new TreeMap<>();
        try (Classifier c = new Classifier(model, new ClassifierOptions(1, 1, 1, false))) {
            for (String name : PHOTOS) {
                RgbImage img = ImageFiles.read(images.resolve(name));
                byte[] px = new byte[model.imageBytes()]; // [H][W][C] at the model's input size
                ResizePlan.full(img.width(), img.height(), model.input().width(), model.input().height())
                        .resize(img.pixels(), px, 0);
                expected.merge(c.classify(px, 1)[0].label(0), COPIES, Integer::sum);
            }
        }
        return expected;
    }
}
