package io.framewise.pipeline.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.description.HtmlFormatter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Generates a command's flags from {@link JobOptions} (one flag per option, same description and
 * default), so the command line and the Flink configuration can never drift apart. Use as
 * {@code @Command(modelTransformer = JobFlags.class)}, then {@link #settings} after parsing.
 */
public final class JobFlags implements CommandLine.IModelTransformer {

    static final String KAFKA_FLAG = "--kafka";

    @Override
    public CommandSpec transform(CommandSpec spec) {
        HtmlFormatter text = new HtmlFormatter();
        for (ConfigOption<?> o : JobOptions.ALL) {
            Object dflt = o.hasDefaultValue() ? o.defaultValue() : null;
            String shown = dflt == null || dflt.toString().isEmpty() ? "" : " (default: " + dflt + ")";
            OptionSpec.Builder b = OptionSpec.builder(JobOptions.flag(o))
                    .paramLabel(label(o))
                    .type(String.class)
                    .arity("1")
                    // picocli would expand ${env:...} in help text: escape it to print literally
                    .description(text.format(o.description()).replace("${", "$${") + shown);
            if (dflt instanceof Boolean) {
                // a bare boolean flag means true, as users expect; "--flag false" still works
                b.paramLabel("true|false").arity("0..1").fallbackValue("true");
            }
            spec.addOption(b.build());
            for (String old : deprecatedFlags(o)) {
                // a renamed option's old flag still works, hidden from help
                spec.addOption(OptionSpec.builder(old).paramLabel(label(o)).type(String.class).arity("1").hidden(true)
                        .description("Replaced by " + JobOptions.flag(o) + ".").build());
            }
        }
        spec.addOption(OptionSpec.builder("-X", KAFKA_FLAG)
                .paramLabel("PROP=VALUE")
                .type(Map.class)
                .auxiliaryTypes(String.class, String.class)
                .description("Kafka client property for the source and both sinks (e.g."
                        + " security.protocol=SASL_SSL); repeatable; secrets belong in --kafka-properties-file"
                        + " or $${file:PATH} / $${env:NAME}. Flink configuration: "
                        + JobOptions.KAFKA_PREFIX + "<property>.")
                .build());
        return spec;
    }

    private static List<String> deprecatedFlags(ConfigOption<?> o) {
        List<String> flags = new ArrayList<>();
        for (FallbackKey k : o.fallbackKeys()) {
            if (k.isDeprecated() && k.getKey().startsWith(JobOptions.PREFIX)) {
                flags.add("--" + k.getKey().substring(JobOptions.PREFIX.length()));
            }
        }
        return flags;
    }

    private static String label(ConfigOption<?> o) {
        String k = o.key();
        if (k.endsWith("-ms")) {
            return "MS";
        }
        Object d = o.hasDefaultValue() ? o.defaultValue() : null;
        if (d instanceof Enum<?> e) {
            StringBuilder b = new StringBuilder();
            for (Object c : e.getDeclaringClass().getEnumConstants()) {
                b.append(b.length() == 0 ? "" : "|").append(c);
            }
            return b.toString();
        }
        return d instanceof Number ? "N" : "VALUE";
    }

    /**
     * The flags the user gave, as {@code framewise.*} keys (Kafka properties as {@code framewise.kafka.*}).
     */
    public static Map<String, String> settings(CommandLine.ParseResult parsed) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ConfigOption<?> o : JobOptions.ALL) {
            for (String old : deprecatedFlags(o)) {
                String v = parsed.matchedOptionValue(old, null);
                if (v != null) {
                    out.put(o.key(), v);
                }
            }
            String v = parsed.matchedOptionValue(JobOptions.flag(o), null);
            if (v != null) {
                out.put(o.key(), v);
            }
        }
        Map<String, String> kafka = parsed.matchedOptionValue(KAFKA_FLAG, Map.of());
        kafka.forEach((k, v) -> out.put(JobOptions.KAFKA_PREFIX + k, v));
        return out;
    }

    /**
     * The other way round: {@code framewise.*} settings as the flags of {@code framewise job} (what a job
     * submitted with {@code flink run} takes), Kafka properties as {@code -X k=v}.
     *
     * @throws IllegalArgumentException for a key that is no job option
     */
    public static List<String> args(Map<String, String> settings) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (e.getKey().startsWith(JobOptions.KAFKA_PREFIX)) {
                out.add("-X");
                out.add(e.getKey().substring(JobOptions.KAFKA_PREFIX.length()) + "=" + e.getValue());
                continue;
            }
            ConfigOption<?> o = JobOptions.ALL.stream().filter(x -> x.key().equals(e.getKey())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no job option " + e.getKey()));
            out.add(JobOptions.flag(o));
            out.add(e.getValue());
        }
        return out;
    }

    /** Base settings (e.g. the Flink configuration's) overlaid with the flags the user gave. */
    public static JobConfig resolve(Map<String, String> base, CommandLine.ParseResult parsed) {
        Map<String, String> all = new LinkedHashMap<>(base);
        all.putAll(settings(parsed));
        return JobConfig.parse(all);
    }

    /**
     * {@link #resolve} for a command: an unknown or invalid option stops it as a usage error whose
     * message names the option.
     */
    public static JobConfig resolveOrReject(Map<String, String> base, CommandLine cli) {
        try {
            return resolve(base, cli.getParseResult());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage(), e);
        }
    }
}
