package io.framewise.pipeline.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobOptions;
import io.framewise.pipeline.config.KafkaOverrides;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Kafka property that overrides what the job relies on gets a warning naming it. */
class KafkaOverridesTest {

    static List<String> warnings(String key, String value) {
        return KafkaOverrides.check(JobConfig.parse(Map.of(JobOptions.KAFKA_PREFIX + key, value)));
    }

    static void assertWarned(String key, String value, String mentions) {
        List<String> w = warnings(key, value);
        assertEquals(1, w.size(), w::toString);
        assertTrue(w.get(0).contains("Kafka property " + key + "=") && w.get(0).contains(mentions), w::toString);
    }

    @Test
    void eachOverrideIsNamedWithWhatToUseInstead() {
        assertWarned("isolation.level", "read_uncommitted", "read_committed");
        assertWarned("transactional.id", "mine", "--transactional-id-prefix");
        assertWarned("enable.idempotence", "false", "exactly-once");
        assertWarned("transaction.timeout.ms", "3600000", "--transaction-timeout-ms");
        assertWarned("key.serializer", "org.apache.kafka.common.serialization.StringSerializer", "record formats");
        assertWarned("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer", "record formats");
        assertWarned("group.id", "other", "--group");
        assertWarned("bootstrap.servers", "elsewhere:9092", "--bootstrap");
        assertWarned("enable.auto.commit", "true", "checkpoints");
        assertWarned("auto.offset.reset", "latest", "--starting-offsets");
        assertWarned("max.request.size", "1000", "--max-record-bytes");
    }

    @Test
    void harmlessSettingsAndSameValuesAreNotWarned() {
        assertEquals(List.of(), KafkaOverrides.check(JobConfig.defaults()));
        assertEquals(List.of(), warnings("isolation.level", "read_committed"));
        assertEquals(List.of(), warnings("enable.idempotence", "true"));
        assertEquals(List.of(), warnings("group.id", "framewise"));
        assertEquals(List.of(), warnings("security.protocol", "SASL_SSL"));
        assertEquals(List.of(), warnings("max.request.size", "104857600"));
    }

    @Test
    void atLeastOnceMayTurnIdempotenceOff() {
        JobConfig c = JobConfig.parse(Map.of(JobOptions.DELIVERY_GUARANTEE.key(), "at-least-once",
                JobOptions.KAFKA_PREFIX + "enable.idempotence", "false"));
        assertEquals(List.of(), KafkaOverrides.check(c));
    }

    @Test
    void warnLogsAndReturnsTheSameWarnings() {
        JobConfig c = JobConfig.parse(Map.of(JobOptions.KAFKA_PREFIX + "transactional.id", "t",
                JobOptions.KAFKA_PREFIX + "isolation.level", "read_uncommitted"));
        assertEquals(KafkaOverrides.check(c), KafkaOverrides.warn(c));
        assertEquals(2, KafkaOverrides.check(c).size());
    }
}
