package io.framewise.pipeline.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobOptions;
import io.framewise.pipeline.config.KafkaClientProperties;
import io.framewise.pipeline.config.MaskedJobParameters;
import io.framewise.pipeline.job.FramewiseJob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.ArchivedExecutionConfig;
import org.apache.flink.configuration.ConfigurationUtils;
import org.apache.flink.runtime.rest.messages.JobConfigInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets are *** in JobConfig.toString, in the web UI's job configuration, and in logged program arguments. */
class SecretMaskingTest {

    /** One secret per kind of key that must be masked, each value unique so a leak is findable. */
    static final Map<String, String> SECRETS = Map.of(
            "sasl.jaas.config", "PlainLoginModule required username=\"u\" password=\"jaas-leak\";",
            "ssl.keystore.password", "ks-leak",
            "ssl.truststore.password", "ts-leak",
            "ssl.key.password", "key-leak",
            "ssl.keystore.key", "-----BEGIN PRIVATE KEY----- pem-leak",
            "sasl.oauthbearer.client.credentials.client.secret", "oauth-leak",
            "sasl.login.token", "token-leak");

    @TempDir
    Path dir;

    static Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        SECRETS.forEach((k, v) -> m.put(JobOptions.KAFKA_PREFIX + k, v));
        m.put(JobOptions.KAFKA_PREFIX + "security.protocol", "SASL_SSL");
        return m;
    }

    /** No "...-leak" marker of any secret value in {@code shown}. */
    static void assertNoSecret(String shown) {
        for (String v : SECRETS.values()) {
            String marker = v.replaceAll(".*?([a-z]+-leak).*", "$1");
            assertFalse(shown.contains(marker), () -> "leaked " + marker + " in " + shown);
        }
    }

    /** Masked by us (***) or, for keys Flink knows as sensitive, by Flink itself (******). */
    static void assertMasked(String value) {
        assertTrue(value != null && value.matches("\\*{3,}"), value);
    }

    @Test
    void everySecretKindIsRecognised() {
        SECRETS.keySet().forEach(k -> assertTrue(KafkaClientProperties.isSecret(k), k));
        List.of("security.protocol", "ssl.truststore.location", "sasl.mechanism", "bootstrap.servers", "client.id")
                .forEach(k -> assertFalse(KafkaClientProperties.isSecret(k), k));
    }

    @Test
    void toStringMasksSecretsAndShowsTheRest() {
        String s = JobConfig.parse(settings()).toString();
        assertNoSecret(s);
        assertTrue(s.contains("framewise.kafka.ssl.keystore.password=***"), s);
        assertTrue(s.contains("framewise.kafka.security.protocol=SASL_SSL"), s);
    }

    @Test
    void webUiJobConfigurationShowsSecretsMasked() throws Exception {
        Path file = Files.writeString(dir.resolve("k.properties"), "ssl.keystore.password=file-leak\n"
                + "ssl.truststore.location=/etc/ts.p12\n", StandardCharsets.UTF_8);
        Map<String, String> s = settings();
        s.put(JobOptions.KAFKA_PROPERTIES_FILE.key(), file.toString());
        s.remove(JobOptions.KAFKA_PREFIX + "ssl.keystore.password");
        JobConfig cfg = JobConfig.parse(s);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        FramewiseJob.build(env, cfg);

        // what the REST handler behind the job's Configuration tab renders as "User Configuration"
        Map<String, String> userConfig = JobConfigInfo.ExecutionConfigInfo
                .from(new ArchivedExecutionConfig(env.getConfig())).getGlobalJobParameters();
        SECRETS.keySet().forEach(k -> assertMasked(userConfig.get(JobOptions.KAFKA_PREFIX + k)));
        // a PEM private key: a key Flink does not hide by itself
        assertEquals("***", userConfig.get("framewise.kafka.ssl.keystore.key"));
        assertMasked(userConfig.get("framewise.kafka.ssl.keystore.password")); // from the properties file
        assertEquals("/etc/ts.p12", userConfig.get("framewise.kafka.ssl.truststore.location"));
        assertEquals(file.toString(), userConfig.get(JobOptions.KAFKA_PROPERTIES_FILE.key()));
        assertNoSecret(userConfig.toString());
        assertFalse(userConfig.toString().contains("file-leak"), userConfig::toString);

        // the job's Flink configuration (JobManager configuration tab), as Flink hides sensitive keys
        String jobConf = ConfigurationUtils.hideSensitiveValues(env.getConfiguration().toMap()).toString();
        assertNoSecret(jobConf);
        assertFalse(jobConf.contains("file-leak"), jobConf);
    }

    @Test
    void maskedJobParametersAreAlreadyMaskedWhenFlinkCopiesThem() {
        Map<String, String> m = new MaskedJobParameters(JobConfig.parse(settings())).toMap();
        assertNoSecret(m.toString());
        assertEquals("SASL_SSL", m.get("framewise.kafka.security.protocol"));
    }

    @Test
    void secretsInProgramArgumentsAreFoundAndMasked() {
        String[] args = {"--bootstrap", "b:9093", "--kafka", "ssl.keystore.password=ks-leak",
                "-X", "security.protocol=SSL", "--kafka=sasl.jaas.config=x password=\"jaas-leak\";",
                "-Xssl.key.password=key-leak", "--kafka", "ssl.truststore.password=${file:/run/secrets/ts}"};
        assertEquals(List.of("ssl.keystore.password", "sasl.jaas.config", "ssl.key.password"),
                KafkaClientProperties.secretsInArgs(args));
        List<String> masked = KafkaClientProperties.maskedArgs(args);
        assertNoSecret(masked.toString());
        assertEquals(List.of("--bootstrap", "b:9093", "--kafka", "ssl.keystore.password=***",
                "-X", "security.protocol=SSL", "--kafka=sasl.jaas.config=***", "-Xssl.key.password=***",
                "--kafka", "ssl.truststore.password=***"), masked);
        assertEquals(List.of("ssl.keystore.password", "sasl.jaas.config", "ssl.key.password"),
                MaskedJobParameters.warnSecretsInArgs(args));
    }
}
