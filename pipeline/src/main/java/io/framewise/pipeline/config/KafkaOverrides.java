package io.framewise.pipeline.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka client properties a user may set but the job relies on: the job still passes them through
 * (the user asked), and says at WARN what each one breaks and which option to use instead.
 */
public final class KafkaOverrides {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaOverrides.class);

    private KafkaOverrides() {
    }

    /** One warning per overriding property; each names the property. Empty when nothing overrides. */
    public static List<String> check(JobConfig cfg) {
        Properties p = cfg.kafkaProperties();
        List<String> w = new ArrayList<>();
        boolean exactlyOnce = cfg.get(JobOptions.DELIVERY_GUARANTEE) == JobOptions.Guarantee.EXACTLY_ONCE;
        String isolation = p.getProperty("isolation.level");
        if (isolation != null && !isolation.trim().equalsIgnoreCase("read_committed")) {
            w.add(warning("isolation.level", isolation, "the source must read read_committed, or it reads frames"
                    + " of aborted upstream transactions"));
        }
        if (p.getProperty("transactional.id") != null) {
            w.add(warning("transactional.id", p.getProperty("transactional.id"), "the sinks derive one id per subtask"
                    + " and checkpoint; use " + JobOptions.describe(JobOptions.TRANSACTIONAL_ID_PREFIX)));
        }
        String idempotence = p.getProperty("enable.idempotence");
        if (idempotence != null && exactlyOnce && !idempotence.trim().equalsIgnoreCase("true")) {
            w.add(warning("enable.idempotence", idempotence, "exactly-once sinks need idempotent, transactional"
                    + " producers"));
        }
        if (p.getProperty("transaction.timeout.ms") != null) {
            w.add(warning("transaction.timeout.ms", p.getProperty("transaction.timeout.ms"), "it bypasses the"
                    + " checks against the checkpoint interval and timeout; use "
                    + JobOptions.describe(JobOptions.TRANSACTION_TIMEOUT_MS)));
        }
        for (String k : List.of("key.serializer", "value.serializer", "key.deserializer", "value.deserializer")) {
            if (p.getProperty(k) != null) {
                w.add(warning(k, p.getProperty(k), "the job's record formats are fixed (frame records in,"
                        + " JSON events and dead letters out)"));
            }
        }
        differs(w, p, "group.id", JobOptions.GROUP, cfg);
        differs(w, p, "bootstrap.servers", JobOptions.BOOTSTRAP, cfg);
        if ("true".equalsIgnoreCase(trim(p.getProperty("enable.auto.commit")))) {
            w.add(warning("enable.auto.commit", "true", "offsets are committed with checkpoints; auto-commit"
                    + " moves the group ahead of what is processed"));
        }
        if ("false".equalsIgnoreCase(trim(p.getProperty("commit.offsets.on.checkpoint")))) {
            w.add(warning("commit.offsets.on.checkpoint", "false", "--starting-offsets committed then restarts"
                    + " from old offsets"));
        }
        if (p.getProperty("auto.offset.reset") != null) {
            w.add(warning("auto.offset.reset", p.getProperty("auto.offset.reset"), "the source sets where it"
                    + " starts; use " + JobOptions.describe(JobOptions.STARTING_OFFSETS)));
        }
        int maxRecord = cfg.get(JobOptions.MAX_RECORD_BYTES);
        for (String k : List.of("max.partition.fetch.bytes", "fetch.max.bytes", "max.request.size")) {
            Long v = number(p.getProperty(k));
            if (v != null && v < maxRecord) {
                w.add(warning(k, p.getProperty(k), "smaller than " + JobOptions.describe(JobOptions.MAX_RECORD_BYTES)
                        + " (" + maxRecord + "): large frame records or dead letters get stuck"));
            }
        }
        return w;
    }

    /** Logs {@link #check} at WARN; returns the warnings. */
    public static List<String> warn(JobConfig cfg) {
        List<String> w = check(cfg);
        w.forEach(LOG::warn);
        return w;
    }

    private static void differs(List<String> w, Properties p, String key, org.apache.flink.configuration.ConfigOption<String> option,
                                JobConfig cfg) {
        String v = p.getProperty(key);
        if (v != null && !v.trim().equals(cfg.get(option))) {
            w.add(warning(key, v, "it replaces " + JobOptions.describe(option) + " (" + cfg.get(option)
                    + ") for some clients only; use " + JobOptions.flag(option)));
        }
    }

    private static String warning(String key, String value, String why) {
        return "Kafka property " + key + "=" + KafkaClientProperties.shown(key, value)
                + " overrides a setting the job relies on: " + why + ".";
    }

    private static String trim(String s) {
        return s == null ? null : s.trim().toLowerCase(Locale.ROOT);
    }

    private static Long number(String s) {
        try {
            return s == null ? null : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
