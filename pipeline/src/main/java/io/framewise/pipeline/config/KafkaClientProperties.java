package io.framewise.pipeline.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka client properties as users give them, kept off the command line: read from a properties
 * file ({@link JobOptions#KAFKA_PROPERTIES_FILE}), with {@code ${env:NAME}} and {@code ${file:PATH}}
 * references resolved, and secrets recognised by key so they are masked wherever they are shown.
 *
 * <p>{@code ${env:NAME}} is the environment variable NAME (unset: an error naming the option and the
 * variable); {@code ${file:PATH}} is the file's content without its final line break; {@code $${}
 * stands for a literal {@code ${}. Other {@code ${provider:...}} references pass through untouched,
 * for Kafka's own config providers.
 */
public final class KafkaClientProperties {

    /** How a masked value is shown. */
    public static final String MASK = "***";

    /** Substrings of a property key (case-insensitive) that mark its value as secret. */
    public static final List<String> SECRET_KEY_PARTS = List.of("password", "jaas", "secret", "key.password",
            "ssl.keystore.key", "token", "sasl.jaas.config", "credentials");

    private static final Pattern REFERENCE = Pattern.compile("\\$\\$\\{|\\$\\{(env|file):([^}]*)}");

    private KafkaClientProperties() {
    }

    /** True when the value of this Kafka property (or framewise.kafka.* key) is a secret. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return SECRET_KEY_PARTS.stream().anyMatch(k::contains);
    }

    /** The value as it may be shown: {@link #MASK} for secret keys. */
    public static String shown(String key, String value) {
        return isSecret(key) ? MASK : value;
    }

    /** A copy with every secret value masked, in the same order. */
    public static Map<String, String> masked(Map<String, String> settings) {
        Map<String, String> m = new LinkedHashMap<>();
        settings.forEach((k, v) -> m.put(k, shown(k, v)));
        return m;
    }

    /**
     * Reads a Java properties file of Kafka client properties (in file order of keys: sorted).
     *
     * @throws IllegalArgumentException naming the option and the file when it cannot be read
     */
    public static Map<String, String> load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(JobOptions.describe(JobOptions.KAFKA_PROPERTIES_FILE)
                    + ": cannot read " + file + ": " + e, e);
        }
        Map<String, String> out = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k.trim(), p.getProperty(k).trim()));
        return out;
    }

    /**
     * Resolves {@code ${env:NAME}} and {@code ${file:PATH}} in one value.
     *
     * @param where how errors name the setting, e.g. "--kafka sasl.jaas.config (framewise.kafka.sasl.jaas.config)"
     * @param env   environment lookup ({@code System::getenv})
     * @throws IllegalArgumentException naming {@code where} and the variable or file
     */
    public static String resolve(String value, String where, UnaryOperator<String> env) {
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(1) == null) {
                replacement = "${";
            } else if (m.group(1).equals("env")) {
                String name = m.group(2);
                replacement = env.apply(name);
                if (replacement == null) {
                    throw new IllegalArgumentException(where + ": environment variable " + name
                            + " is not set (referenced as ${env:" + name + "})");
                }
            } else {
                replacement = readFile(m.group(2), where);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String readFile(String path, String where) {
        try {
            String s = Files.readString(Path.of(path), StandardCharsets.UTF_8);
            // a secret written with echo or an editor ends with a line break that is not part of it
            return s.endsWith("\r\n") ? s.substring(0, s.length() - 2)
                    : s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(where + ": cannot read ${file:" + path + "}: " + e, e);
        }
    }

    /**
     * The Kafka client properties the job uses: the properties file's entries (if any) overlaid with
     * the explicit ones, every value resolved.
     *
     * @param explicit properties given as {@code --kafka} / {@code framewise.kafka.*}
     * @param file     the properties file, or blank for none
     */
    public static Map<String, String> effective(Map<String, String> explicit, String file, UnaryOperator<String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!file.isBlank()) {
            String where = " in " + JobOptions.describe(JobOptions.KAFKA_PROPERTIES_FILE) + " " + file;
            load(Path.of(file)).forEach((k, v) -> out.put(k, resolve(v, k + where, env)));
        }
        explicit.forEach((k, v) -> out.put(k, resolve(v, "--kafka " + k + " (" + JobOptions.KAFKA_PREFIX + k + ")", env)));
        return out;
    }

    /**
     * The keys of secret Kafka properties given literally in program arguments ({@code --kafka KEY=VALUE},
     * {@code -X KEY=VALUE}, {@code --kafka=KEY=VALUE}), where Flink's web UI and the process list show them;
     * a value that only references {@code ${env:...}} or {@code ${file:...}} is fine.
     */
    public static List<String> secretsInArgs(String[] args) {
        return kafkaArgs(args).stream().filter(a -> isSecret(a.key()) && !onlyReferences(a.value()))
                .map(KafkaArg::key).toList();
    }

    /** The program arguments with the values of secret Kafka properties masked. */
    public static List<String> maskedArgs(String[] args) {
        List<String> out = new ArrayList<>(List.of(args));
        for (KafkaArg a : kafkaArgs(args)) {
            if (isSecret(a.key())) {
                String arg = args[a.index()];
                out.set(a.index(), arg.substring(0, arg.length() - a.value().length()) + MASK);
            }
        }
        return out;
    }

    /** A Kafka property in program arguments: the argument's index, the property, its value. */
    private record KafkaArg(int index, String key, String value) {
    }

    private static List<KafkaArg> kafkaArgs(String[] args) {
        List<KafkaArg> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String kv = null;
            for (String flag : List.of(JobFlags.KAFKA_FLAG, "-X")) {
                if (args[i].startsWith(flag + "=")) {
                    kv = args[i].substring(flag.length() + 1);
                } else if (i > 0 && args[i - 1].equals(flag)) {
                    kv = args[i];
                }
            }
            if (kv == null && args[i].startsWith("-X") && args[i].length() > 2) {
                kv = args[i].substring(2); // picocli's -XKEY=VALUE
            }
            int eq = kv == null ? -1 : kv.indexOf('=');
            if (eq > 0) {
                out.add(new KafkaArg(i, kv.substring(0, eq), kv.substring(eq + 1)));
            }
        }
        return out;
    }

    private static boolean onlyReferences(String value) {
        return REFERENCE.matcher(value).replaceAll("").replace("\"", "").isBlank()
                || value.matches(".*password=\"\\$\\{(env|file):[^}]*}\".*");
    }
}
