package io.framewise.pipeline.deploy;

import static io.framewise.pipeline.deploy.DeployFiles.map;
import static io.framewise.pipeline.deploy.DeployFiles.stringValues;
import static io.framewise.pipeline.deploy.DeployFiles.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.inference.model.ModelFiles;
import io.framewise.operators.records.FrameRecord;
import io.framewise.pipeline.cli.FramewiseCli;
import io.framewise.pipeline.cli.ProduceCommand;
import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobOptions;
import io.framewise.pipeline.job.FramewiseJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The deploy/ manifests (Docker Compose, Dockerfile, Flink Kubernetes Operator) cannot run here,
 * so everything about them that can drift from the code is checked against the code: job arguments
 * through the job's real flag parsing, JVM flags against the parent POM, image tags against the
 * POM's versions, the jar path against the shade configuration, Flink keys against Flink's options.
 */
class DeployManifestsTest {

    static final String COMPOSE = "deploy/docker/docker-compose.yml";
    static final String DOCKERFILE = "deploy/docker/Dockerfile";
    static final String CLI_SCRIPT = "deploy/docker/framewise-cli.sh";
    static final String K8S_JOB = "deploy/kubernetes/framewise-deployment.yaml";
    static final String K8S_TOPICS = "deploy/kubernetes/kafka-topics.yaml";
    /** Dead letters carry the original record plus headers: the sink allows this much on top. */
    static final int DEAD_LETTER_OVERHEAD = FrameRecord.RECORD_HEADROOM_BYTES;
    /** Options of standalone-job that take a value; the job's own arguments start after them. */
    static final Set<String> STANDALONE_JOB_VALUE_OPTIONS = Set.of("--job-classname", "-j", "--job-id", "-jid",
            "--fromSavepoint", "-s", "--restoreMode", "-r");

    final DeployFiles files = DeployFiles.open();

    @Test
    void everyYamlFileUnderDeployParses() {
        List<Path> yamls = files.yamlFilesUnderDeploy();
        assertTrue(yamls.size() >= 4, "compose, FlinkDeployment, topics, PVC; found " + yamls);
        for (Path p : yamls) {
            String rel = files.root.relativize(p).toString();
            List<Object> docs = files.yamlDocuments(rel);
            assertFalse(docs.isEmpty(), rel);
            for (Object d : docs) {
                Map<String, Object> m = map(d, rel);
                if (rel.startsWith("deploy/kubernetes/")) {
                    assertTrue(m.get("apiVersion") instanceof String && m.get("kind") instanceof String,
                            rel + ": every manifest names apiVersion and kind");
                }
            }
        }
    }

    @Test
    void composeJobArgumentsAreValidJobOptions() {
        Map<String, Object> jm = service("jobmanager");
        List<String> command = strings(jm.get("command"), "jobmanager.command");
        assertEquals("standalone-job", command.get(0), "the JobManager runs in application mode");
        JobConfig cfg = jobConfig(composeFlinkProperties(), standaloneJobArguments(command));

        assertEquals("kafka:9092", cfg.get(JobOptions.BOOTSTRAP));
        String advertised = String.valueOf(map(service("kafka"), "environment").get("KAFKA_ADVERTISED_LISTENERS"));
        assertTrue(advertised.contains("//" + cfg.get(JobOptions.BOOTSTRAP)),
                "the job's bootstrap is a listener the broker advertises: " + advertised);
        String topicScript = String.join("\n", strings(service("topics").get("command"), "topics.command"));
        for (ConfigOption<String> t : List.of(JobOptions.INPUT_TOPIC, JobOptions.OUTPUT_TOPIC, JobOptions.DLQ_TOPIC,
                JobOptions.EPISODES_TOPIC, JobOptions.CAMERA_STATUS_TOPIC)) {
            assertTrue(Pattern.compile("for topic in [^;]*\\b" + Pattern.quote(cfg.get(t)) + "\\b").matcher(topicScript).find(),
                    "the topic creator creates " + JobOptions.describe(t) + " = " + cfg.get(t));
        }
        Matcher size = Pattern.compile("max\\.message\\.bytes=(\\d+)").matcher(topicScript);
        assertTrue(size.find(), "topics are created with max.message.bytes");
        assertTrue(Long.parseLong(size.group(1)) >= cfg.get(JobOptions.MAX_RECORD_BYTES) + DEAD_LETTER_OVERHEAD,
                "dead letters of the largest accepted record fit the topics");
        assertTrue(Long.parseLong(String.valueOf(map(service("kafka"), "environment").get("KAFKA_MESSAGE_MAX_BYTES")))
                >= Long.parseLong(size.group(1)), "the broker accepts what the topics allow");
    }

    @Test
    void composeMountsTheModelTheJobLoads() throws Exception {
        JobConfig cfg = jobConfig(composeFlinkProperties(),
                standaloneJobArguments(strings(service("jobmanager").get("command"), "jobmanager.command")));
        String env = String.valueOf(map(service("jobmanager"), "environment").get("FRAMEWISE_DATA"));
        Path modelsDir = hostDirMountedAt(service("jobmanager"), env + "/models");
        assertTrue(Files.isRegularFile(modelsDir.resolve(cfg.get(JobOptions.MODEL))),
                "the job's model " + cfg.get(JobOptions.MODEL) + " is in the mounted " + modelsDir);
        assertEquals(service("jobmanager").get("volumes"), service("taskmanager").get("volumes"),
                "TaskManagers mount what the JobManager mounts (models, checkpoints)");
        assertEquals(service("jobmanager").get("environment"), service("taskmanager").get("environment"));
    }

    @Test
    void composeProducerArgumentsAreValidProduceOptions() {
        Map<String, Object> producer = service("producer");
        List<String> args = strings(producer.get("command"), "producer.command");
        assertEquals("produce", args.get(0));
        ProduceCommand produce = new ProduceCommand();
        // picocli rejects unknown options and missing required ones (--bootstrap, --camera, SOURCE)
        CommandLine.ParseResult parsed = new CommandLine(produce).parseArgs(args.subList(1, args.size()).toArray(String[]::new));
        JobConfig job = jobConfig(composeFlinkProperties(),
                standaloneJobArguments(strings(service("jobmanager").get("command"), "jobmanager.command")));
        assertEquals(job.get(JobOptions.BOOTSTRAP), parsed.matchedOptionValue("--bootstrap", ""));
        assertEquals(job.get(JobOptions.INPUT_TOPIC), parsed.matchedOptionValue("--topic", "frames"),
                "the producer writes the topic the job reads");
        String source = parsed.matchedPositionalValue(0, "");
        Path hostDir = hostDirMountedAt(producer, source.substring(0, source.lastIndexOf('/')));
        assertTrue(Files.isRegularFile(hostDir.resolve(source.substring(source.lastIndexOf('/') + 1))),
                "the producer's video " + source + " is in the mounted " + hostDir);
    }

    @Test
    void kubernetesJobArgumentsAreValidJobOptionsAndMatchTheTopics() {
        Map<String, Object> spec = map(files.yaml(K8S_JOB), "spec");
        Map<String, Object> job = map(spec, "job");
        JobConfig cfg = jobConfig(stringValues(map(spec, "flinkConfiguration")), strings(job.get("args"), "job.args"));

        assertEquals(FramewiseJob.class.getName(), job.get("entryClass"));
        assertEquals(cfg.get(JobOptions.PARALLELISM), job.get("parallelism"), "job.parallelism = --parallelism");
        assertEquals("savepoint", job.get("upgradeMode"));

        Set<String> topics = new LinkedHashSet<>();
        Set<String> clusters = new LinkedHashSet<>();
        for (Object d : files.yamlDocuments(K8S_TOPICS)) {
            Map<String, Object> t = map(d, K8S_TOPICS);
            assertEquals("KafkaTopic", t.get("kind"));
            Map<String, Object> meta = map(t, "metadata");
            topics.add(String.valueOf(meta.get("name")));
            clusters.add(String.valueOf(map(meta, "labels").get("strimzi.io/cluster")));
            long maxMessage = Long.parseLong(String.valueOf(map(map(t, "spec"), "config").get("max.message.bytes")));
            assertTrue(maxMessage >= cfg.get(JobOptions.MAX_RECORD_BYTES) + DEAD_LETTER_OVERHEAD,
                    meta.get("name") + ": dead letters of the largest accepted record fit");
        }
        assertEquals(Set.of(cfg.get(JobOptions.INPUT_TOPIC), cfg.get(JobOptions.OUTPUT_TOPIC), cfg.get(JobOptions.DLQ_TOPIC),
                cfg.get(JobOptions.EPISODES_TOPIC), cfg.get(JobOptions.CAMERA_STATUS_TOPIC),
                cfg.get(JobOptions.CAMERA_CONFIG_TOPIC)),
                topics, "one KafkaTopic per topic the job uses");
        assertEquals(1, clusters.size(), "all topics belong to one Kafka cluster: " + clusters);
        // Strimzi names the bootstrap service <cluster>-kafka-bootstrap
        assertEquals(clusters.iterator().next() + "-kafka-bootstrap:9092", cfg.get(JobOptions.BOOTSTRAP));
    }

    @Test
    void kubernetesFetchesTheJobsModelWithItsPublishedChecksum() {
        Map<String, Object> spec = map(files.yaml(K8S_JOB), "spec");
        JobConfig cfg = jobConfig(stringValues(map(spec, "flinkConfiguration")), strings(map(spec, "job").get("args"), "job.args"));
        Map<String, Object> pod = map(map(spec, "podTemplate"), "spec");
        Object init = ((List<?>) pod.get("initContainers")).get(0);
        String script = String.join("\n", strings(map(init, "initContainers[0]").get("args"), "fetch-models.args"));
        Map<String, String> fetched = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\s*fetch (\\S+) ([0-9a-f]{64})\\s*$").matcher(script);
        while (m.find()) {
            fetched.put(m.group(1), m.group(2));
        }
        assertTrue(fetched.containsKey(cfg.get(JobOptions.MODEL)), "fetches the job's model: " + fetched.keySet());
        assertTrue(fetched.keySet().stream().anyMatch(f -> f.endsWith("_labels.txt")), "fetches labels: " + fetched.keySet());
        fetched.forEach((file, sha) -> assertEquals(ModelFiles.knownSha256(file).orElse("unknown file"), sha,
                file + ": the checksum the project publishes"));
    }

    @Test
    void jvmFlagsEverywhereAreThePomsFlags() throws Exception {
        String pom = normalize(files.pomProperty("framewise.jvm.flags"));
        assertTrue(pom.contains("--add-modules jdk.incubator.vector"), pom);
        // the generated copy the Docker build bakes in (generate-resources runs before tests)
        Path generated = files.root.resolve("pipeline/target/jvm.flags");
        assertTrue(Files.isRegularFile(generated), "the build writes " + generated);
        assertEquals(pom, normalize(Files.readString(generated)));

        Map<String, String> conf = stringValues(map(map(files.yaml(K8S_JOB), "spec"), "flinkConfiguration"));
        assertEquals(pom, normalize(conf.get("env.java.opts.jobmanager")), K8S_JOB + " JobManager JVM flags");
        assertEquals(pom, normalize(conf.get("env.java.opts.taskmanager")), K8S_JOB + " TaskManager JVM flags");

        // The Dockerfile takes them from the generated file only: a literal copy there could drift unseen.
        String dockerfile = files.text(DOCKERFILE);
        assertTrue(dockerfile.contains("pipeline/target/jvm.flags"), "the image is built with the generated flags");
        assertTrue(dockerfile.contains("\"-Denv.java.opts.jobmanager=$flags\"")
                && dockerfile.contains("\"-Denv.java.opts.taskmanager=$flags\""), "both processes get them");
        assertFalse(dockerfile.lines().filter(l -> !l.strip().startsWith("#")).anyMatch(l -> l.contains("--add-")),
                "no JVM flag is spelled out in the Dockerfile");
        assertTrue(files.text(CLI_SCRIPT).contains("< /opt/framewise/jvm.flags"), "the CLI image reads the same file");
        assertTrue(files.text(CLI_SCRIPT).contains(FramewiseCli.class.getName()));
    }

    @Test
    void imageTagsMatchThePomVersions() {
        String flink = files.pomProperty("flink.version");
        String java = files.pomProperty("maven.compiler.release");
        String flinkImage = "flink:" + flink + "-scala_2.12-java" + java;
        assertTrue(files.text(DOCKERFILE).contains("ARG FLINK_IMAGE=" + flinkImage + "\n"),
                "the Dockerfile builds on " + flinkImage);
        String kafkaImage = "apache/kafka:" + files.pomProperty("kafka.version");
        assertEquals(kafkaImage, service("kafka").get("image"));
        assertEquals(kafkaImage, service("topics").get("image"));

        String version = files.projectVersion();
        for (String s : List.of("jobmanager", "taskmanager")) {
            assertEquals("framewise-job:" + version, service(s).get("image"), s);
            assertEquals("job", map(service(s), "build").get("target"), s);
        }
        assertEquals("framewise-cli:" + version, service("producer").get("image"));
        assertEquals("cli", map(service("producer"), "build").get("target"));

        Map<String, Object> spec = map(files.yaml(K8S_JOB), "spec");
        assertEquals("framewise-job:" + version, spec.get("image"));
        String[] v = flink.split("\\.");
        assertEquals("v" + v[0] + "_" + v[1], spec.get("flinkVersion"), "the operator's name for Flink " + flink);
    }

    @Test
    void jarPathIsTheShadedJar() {
        String jar = files.shadedJarName();
        assertEquals("framewise-job.jar", jar);
        assertEquals(FramewiseJob.class.getName(), files.shadedMainClass(), "the jar's Main-Class");
        String dockerfile = files.text(DOCKERFILE);
        assertTrue(dockerfile.contains("pipeline/target/" + jar), "the Docker build takes the shaded jar");
        assertTrue(dockerfile.contains("/opt/flink/usrlib/" + jar), "into usrlib");
        assertEquals("local:///opt/flink/usrlib/" + jar, map(map(files.yaml(K8S_JOB), "spec"), "job").get("jarURI"));
        List<String> command = strings(service("jobmanager").get("command"), "jobmanager.command");
        assertEquals(FramewiseJob.class.getName(), command.get(command.indexOf("--job-classname") + 1));
    }

    @Test
    void flinkSettingsAreFlinkOptionsWithValidValues() {
        Map<String, String> compose = composeFlinkProperties();
        Map<String, String> k8s = stringValues(map(map(files.yaml(K8S_JOB), "spec"), "flinkConfiguration"));
        Map<String, String> docker = new LinkedHashMap<>();
        Matcher d = Pattern.compile("\"-D([\\w.-]+)=").matcher(files.text(DOCKERFILE));
        while (d.find()) {
            docker.put(d.group(1), "x");
        }
        assertFalse(docker.isEmpty());
        for (Map<String, String> conf : List.of(compose, k8s, docker)) {
            assertEquals(Set.of(), DeployFiles.unknownFlinkKeys(conf), "keys Flink does not know (typo or deprecated)");
        }
        Map<String, ConfigOption<?>> options = DeployFiles.flinkOptions();
        for (Map<String, String> conf : List.of(compose, k8s)) {
            Configuration c = Configuration.fromMap(conf);
            conf.keySet().stream().filter(options::containsKey).forEach(k -> c.get(options.get(k)));  // throws on a bad value
            assertEquals("org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                    conf.get("metrics.reporter.prom.factory.class"));
            assertEquals("9249", conf.get("metrics.reporter.prom.port"));
            assertEquals("false", conf.get("metrics.reporter.prom.filterLabelValueCharacters"),
                    "camera ids in metric labels as sent (see docs/metrics.md)");
            assertTrue(conf.get("execution.checkpointing.dir").startsWith("file:///flink-data/"));
            assertTrue(conf.get("execution.checkpointing.savepoint-dir").startsWith("file:///flink-data/"));
        }
    }

    /** The job's own arguments of a standalone-job command: what follows Flink's options. */
    static List<String> standaloneJobArguments(List<String> command) {
        int i = 1;
        while (i < command.size() && command.get(i).startsWith("-")
                && (STANDALONE_JOB_VALUE_OPTIONS.contains(command.get(i)) || command.get(i).equals("--allowNonRestoredState"))) {
            i += STANDALONE_JOB_VALUE_OPTIONS.contains(command.get(i)) ? 2 : 1;
        }
        assertTrue(command.subList(1, i).contains("--job-classname"), "the job class is named: " + command);
        return command.subList(i, command.size());
    }

    /** What FramewiseJob.main makes of {@code args} on a cluster with configuration {@code flinkConf}. */
    static JobConfig jobConfig(Map<String, String> flinkConf, List<String> args) {
        return FramewiseJob.flinkRunConfig(flinkConf, args.toArray(String[]::new));
    }

    private Map<String, Object> service(String name) {
        return map(map(files.yaml(COMPOSE), "services"), name);
    }

    private Map<String, String> composeFlinkProperties() {
        Map<String, Object> env = map(service("jobmanager"), "environment");
        return DeployFiles.flinkProperties(String.valueOf(env.get("FLINK_PROPERTIES")));
    }

    /** The host directory a compose service mounts at {@code containerDir} ($FRAMEWISE_DATA or its default). */
    private Path hostDirMountedAt(Map<String, Object> svc, String containerDir) {
        String data = System.getenv("FRAMEWISE_DATA");
        for (String v : strings(svc.get("volumes"), "volumes")) {
            // compose's ${FRAMEWISE_DATA:-default} first: its ":-" is no volume separator
            Matcher m = Pattern.compile("\\$\\{FRAMEWISE_DATA:-([^}]*)}").matcher(v);
            String resolved = m.find()
                    ? m.replaceFirst(Matcher.quoteReplacement(data != null && !data.isBlank() ? data : m.group(1)))
                    : v;
            String[] parts = resolved.split(":");
            if (parts.length >= 2 && parts[1].equals(containerDir)) {
                return files.root.resolve("deploy/docker").resolve(parts[0]).normalize();
            }
        }
        throw new AssertionError("nothing mounted at " + containerDir + " in " + svc.get("volumes"));
    }

    private static String normalize(String flags) {
        return String.join(" ", flags.trim().split("\\s+"));
    }
}
