package io.framewise.pipeline.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.w3c.dom.Document;

/**
 * Reads what the deploy manifests are checked against: the repository's POMs and the YAML files
 * under deploy/. YAML goes through snakeyaml-engine, the YAML 1.2 parser Flink itself reads
 * config.yaml with (already on the class path through flink-core).
 */
final class DeployFiles {

    /** Flink's option classes whose keys the manifests may set. */
    private static final List<Class<?>> FLINK_OPTION_CLASSES = List.of(CoreOptions.class, CheckpointingOptions.class,
            StateBackendOptions.class, StateRecoveryOptions.class, TaskManagerOptions.class, JobManagerOptions.class,
            HighAvailabilityOptions.class, MetricOptions.class, RestOptions.class, DeploymentOptions.class);

    final Path root;
    private final Document parentPom;
    private final Document pipelinePom;

    private DeployFiles(Path root) {
        this.root = root;
        this.parentPom = xml(root.resolve("pom.xml"));
        this.pipelinePom = xml(root.resolve("pipeline/pom.xml"));
    }

    /** The repository root: the nearest directory up from the working directory with pom.xml and deploy/. */
    static DeployFiles open() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("pom.xml")) && Files.isDirectory(d.resolve("deploy"))) {
                return new DeployFiles(d);
            }
        }
        throw new IllegalStateException("no repository root with deploy/ above " + Path.of("").toAbsolutePath());
    }

    /** A property of the parent POM, e.g. flink.version. */
    String pomProperty(String name) {
        String v = xpath(parentPom, "/project/properties/" + name);
        if (v.isBlank()) {
            throw new IllegalStateException("parent pom.xml has no property " + name);
        }
        return v.trim();
    }

    String projectVersion() {
        return xpath(parentPom, "/project/version").trim();
    }

    /** The shade execution's output file name in pipeline/pom.xml (the cluster job jar). */
    String shadedJarName() {
        String out = xpath(pipelinePom, "//plugin[artifactId='maven-shade-plugin']//configuration/outputFile").trim();
        if (out.isEmpty()) {
            throw new IllegalStateException("pipeline/pom.xml configures no maven-shade-plugin outputFile");
        }
        return out.substring(out.lastIndexOf('/') + 1);
    }

    /** The Main-Class the shaded jar's manifest gets. */
    String shadedMainClass() {
        return xpath(pipelinePom, "//plugin[artifactId='maven-shade-plugin']//transformer/mainClass").trim();
    }

    String text(String relative) {
        try {
            return Files.readString(root.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a YAML file (a manifest may hold several, separated by ---). */
    List<Object> yamlDocuments(String relative) {
        List<Object> docs = new ArrayList<>();
        new Load(LoadSettings.builder().setLabel(relative).build()).loadAllFromString(text(relative)).forEach(docs::add);
        return docs;
    }

    Map<String, Object> yaml(String relative) {
        List<Object> docs = yamlDocuments(relative);
        if (docs.size() != 1) {
            throw new IllegalStateException(relative + " holds " + docs.size() + " documents, expected one");
        }
        return map(docs.get(0), relative);
    }

    List<Path> yamlFilesUnderDeploy() {
        try (Stream<Path> s = Files.walk(root.resolve("deploy"))) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String where) {
        if (!(o instanceof Map<?, ?> m)) {
            throw new IllegalStateException(where + " is not a mapping: " + o);
        }
        return (Map<String, Object>) m;
    }

    static Map<String, Object> map(Map<String, Object> parent, String key) {
        return map(parent.get(key), key);
    }

    /** A YAML sequence as strings (numbers quoted or not). */
    static List<String> strings(Object o, String where) {
        if (!(o instanceof List<?> l)) {
            throw new IllegalStateException(where + " is not a list: " + o);
        }
        return l.stream().map(String::valueOf).toList();
    }

    /** A YAML mapping's values as strings, the way Flink reads its configuration. */
    static Map<String, String> stringValues(Map<String, Object> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    /**
     * FLINK_PROPERTIES as the official image's entrypoint reads it: one property a line, key up to
     * the first colon, both sides trimmed.
     */
    static Map<String, String> flinkProperties(String block) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : block.split("\n")) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            int colon = l.indexOf(':');
            if (colon <= 0) {
                throw new IllegalStateException("FLINK_PROPERTIES line without key: " + l);
            }
            out.put(l.substring(0, colon).strip(), l.substring(colon + 1).strip());
        }
        return out;
    }

    /** Primary keys (not deprecated fallbacks) of Flink's options the manifests may set. */
    static Map<String, ConfigOption<?>> flinkOptions() {
        Map<String, ConfigOption<?>> out = new LinkedHashMap<>();
        for (Class<?> c : FLINK_OPTION_CLASSES) {
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                    try {
                        ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                        out.put(o.key(), o);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return out;
    }

    /** Keys of {@code conf} that are no Flink option (metric reporter keys are per-reporter, checked apart). */
    static Set<String> unknownFlinkKeys(Map<String, String> conf) {
        Map<String, ConfigOption<?>> known = flinkOptions();
        Set<String> unknown = new TreeSet<>();
        for (String k : conf.keySet()) {
            if (!known.containsKey(k) && !k.startsWith("metrics.reporter.") && !k.startsWith("framewise.")) {
                unknown.add(k);
            }
        }
        return unknown;
    }

    private static Document xml(Path file) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(file.toFile());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static String xpath(Document doc, String expr) {
        try {
            return (String) XPathFactory.newInstance().newXPath().evaluate(expr, doc, XPathConstants.STRING);
        } catch (Exception e) {
            throw new IllegalStateException(expr, e);
        }
    }
}
