package io.framewise.pipeline.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobFlags;
import io.framewise.pipeline.config.JobOptions;
import io.framewise.pipeline.config.KafkaClientProperties;
import io.framewise.pipeline.cli.JobCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** --kafka-properties-file, ${env:NAME} and ${file:PATH}: parsing, precedence and the errors users see. */
class KafkaClientPropertiesTest {

    static final String UNSET = "FRAMEWISE_TEST_SURELY_UNSET_VARIABLE_7f3a";

    @TempDir
    Path dir;

    @Test
    void propertiesFileReachesTheClientsAndExplicitPropertiesWin() throws Exception {
        Path f = Files.writeString(dir.resolve("kafka.properties"), """
                # TLS to the broker
                security.protocol = SSL
                ssl.truststore.location=/etc/kafka/truststore.p12
                client.id=from-file
                """, StandardCharsets.UTF_8);
        JobConfig c = JobConfig.parse(Map.of(JobOptions.KAFKA_PROPERTIES_FILE.key(), f.toString(),
                JobOptions.KAFKA_PREFIX + "client.id", "explicit"));
        Properties p = c.kafkaProperties();
        assertEquals("SSL", p.getProperty("security.protocol"));
        assertEquals("/etc/kafka/truststore.p12", p.getProperty("ssl.truststore.location"));
        assertEquals("explicit", p.getProperty("client.id"));
        // the file is re-read on every parse, e.g. JobConfig.with
        assertEquals("SSL", c.with(JobOptions.TOP_K, 3).kafkaProperties().getProperty("security.protocol"));
    }

    @Test
    void theFlagIsGeneratedFromTheOption() {
        CommandLine cl = new CommandLine(new JobCommand());
        CommandLine.ParseResult r = cl.parseArgs("--kafka-properties-file", "/secrets/kafka.properties");
        assertEquals("/secrets/kafka.properties", JobFlags.settings(r).get("framewise.kafka-properties-file"));
        StringBuilder help = new StringBuilder(cl.getUsageMessage());
        assertTrue(help.toString().contains("${env:NAME}") && help.toString().contains("${file:PATH}"), help::toString);
    }

    @Test
    void missingPropertiesFileNamesTheOptionAndPath() {
        Path missing = dir.resolve("nope.properties");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.parse(Map.of(JobOptions.KAFKA_PROPERTIES_FILE.key(), missing.toString())));
        assertTrue(e.getMessage().contains("--kafka-properties-file") && e.getMessage().contains(missing.toString()),
                e.getMessage());
    }

    @Test
    void envReferencesResolveInExplicitAndFileValues() throws Exception {
        String home = System.getenv("HOME");
        Path f = Files.writeString(dir.resolve("k.properties"), "ssl.keystore.location=${env:HOME}/ks.p12\n",
                StandardCharsets.UTF_8);
        Map<String, String> s = new LinkedHashMap<>();
        s.put(JobOptions.KAFKA_PROPERTIES_FILE.key(), f.toString());
        s.put(JobOptions.KAFKA_PREFIX + "client.id", "job-${env:HOME}-${env:PATH}");
        Properties p = JobConfig.parse(s).kafkaProperties();
        assertEquals(home + "/ks.p12", p.getProperty("ssl.keystore.location"));
        assertEquals("job-" + home + "-" + System.getenv("PATH"), p.getProperty("client.id"));
    }

    @Test
    void unsetEnvVariableFailsAtStartUpNamingOptionAndVariable() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobConfig.parse(Map.of(
                JobOptions.KAFKA_PREFIX + "sasl.jaas.config", "x password=\"${env:" + UNSET + "}\";")));
        assertTrue(e.getMessage().contains("--kafka sasl.jaas.config")
                && e.getMessage().contains("framewise.kafka.sasl.jaas.config") && e.getMessage().contains(UNSET),
                e.getMessage());

        Path f = Files.writeString(dir.resolve("k.properties"), "ssl.key.password=${env:" + UNSET + "}\n",
                StandardCharsets.UTF_8);
        IllegalArgumentException fromFile = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.parse(Map.of(JobOptions.KAFKA_PROPERTIES_FILE.key(), f.toString())));
        assertTrue(fromFile.getMessage().contains("ssl.key.password") && fromFile.getMessage().contains(UNSET)
                && fromFile.getMessage().contains("--kafka-properties-file"), fromFile.getMessage());
    }

    @Test
    void fileReferencesReadTheContentWithoutItsFinalLineBreak() throws Exception {
        Path pw = Files.writeString(dir.resolve("pw"), "s3cr3t\n", StandardCharsets.UTF_8);
        Path crlf = Files.writeString(dir.resolve("pw2"), "two\r\n", StandardCharsets.UTF_8);
        Path inner = Files.writeString(dir.resolve("pw3"), "a\nb", StandardCharsets.UTF_8);
        assertEquals("user=\"u\" password=\"s3cr3t\";",
                KafkaClientProperties.resolve("user=\"u\" password=\"${file:" + pw + "}\";", "x", System::getenv));
        assertEquals("two", KafkaClientProperties.resolve("${file:" + crlf + "}", "x", System::getenv));
        assertEquals("a\nb", KafkaClientProperties.resolve("${file:" + inner + "}", "x", System::getenv));
    }

    @Test
    void unreadableFileReferenceNamesTheSettingAndPath() {
        Path missing = dir.resolve("missing.pw");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobConfig.parse(Map.of(
                JobOptions.KAFKA_PREFIX + "ssl.keystore.password", "${file:" + missing + "}")));
        assertTrue(e.getMessage().contains("ssl.keystore.password") && e.getMessage().contains(missing.toString()),
                e.getMessage());
    }

    @Test
    void escapedAndForeignReferencesStay() {
        assertEquals("${env:HOME}", KafkaClientProperties.resolve("$${env:HOME}", "x", n -> "no"));
        // Kafka's own config providers (config.providers) resolve these later
        assertEquals("${vault:secret/kafka:password}",
                KafkaClientProperties.resolve("${vault:secret/kafka:password}", "x", n -> "no"));
        assertEquals("no references", KafkaClientProperties.resolve("no references", "x", n -> null));
    }
}
