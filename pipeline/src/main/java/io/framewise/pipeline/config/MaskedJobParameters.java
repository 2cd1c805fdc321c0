package io.framewise.pipeline.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.ExecutionConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job's options as Flink's web UI shows them (the job's Configuration tab, "User Configuration":
 * {@link ExecutionConfig.GlobalJobParameters#toMap()}), every secret masked. Flink stores this map in
 * the job's configuration when it is set, so what reaches the JobManager is already masked.
 */
public final class MaskedJobParameters extends ExecutionConfig.GlobalJobParameters {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MaskedJobParameters.class);

    private final LinkedHashMap<String, String> shown;

    /** The options, the explicit Kafka properties and those from the properties file, secrets masked. */
    public MaskedJobParameters(JobConfig cfg) {
        Map<String, String> m = new LinkedHashMap<>(KafkaClientProperties.masked(cfg.toMap()));
        cfg.kafkaProperties().stringPropertyNames().stream().sorted()
                .forEach(k -> m.putIfAbsent(JobOptions.KAFKA_PREFIX + k,
                        KafkaClientProperties.shown(k, cfg.kafkaProperties().getProperty(k))));
        this.shown = new LinkedHashMap<>(m);
    }

    @Override
    public Map<String, String> toMap() {
        return new LinkedHashMap<>(shown);
    }

    /**
     * For {@code flink run}: warns when program arguments carry a secret Kafka property literally
     * (Flink shows program arguments in its web UI and the process list shows them), and logs them masked.
     */
    public static List<String> warnSecretsInArgs(String[] args) {
        List<String> keys = KafkaClientProperties.secretsInArgs(args);
        if (!keys.isEmpty()) {
            LOG.warn("Secret Kafka properties {} are given on the command line, where Flink's web UI and the"
                    + " process list show them: put them in {} or reference them as ${file:PATH} / ${env:NAME}."
                    + " Arguments: {}", keys, JobOptions.flag(JobOptions.KAFKA_PROPERTIES_FILE),
                    KafkaClientProperties.maskedArgs(args));
        }
        return keys;
    }
}
