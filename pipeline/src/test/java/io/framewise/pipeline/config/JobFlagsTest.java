package io.framewise.pipeline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Settings as job flags (what `loadtest --cluster` hands `flink run`) parse back to the same settings. */
class JobFlagsTest {

    @Test
    void settingsBecomeFlagsThatParseBackToThem() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(JobOptions.INPUT_TOPIC.key(), "loadtest-x-frames");
        settings.put(JobOptions.CHECKPOINT_INTERVAL_MS.key(), "1000");
        settings.put(JobOptions.STARTING_OFFSETS.key(), "earliest");
        settings.put(JobOptions.KAFKA_PREFIX + "security.protocol", "SASL_SSL");
        List<String> args = JobFlags.args(settings);
        assertEquals(List.of("--input-topic", "loadtest-x-frames", "--checkpoint-interval-ms", "1000",
                "--starting-offsets", "earliest", "-X", "security.protocol=SASL_SSL"), args);

        CommandLine.Model.CommandSpec spec = new JobFlags().transform(CommandLine.Model.CommandSpec.create());
        CommandLine.ParseResult parsed = new CommandLine(spec).parseArgs(args.toArray(String[]::new));
        assertEquals(settings, JobFlags.settings(parsed));
    }

    @Test
    void aKeyThatIsNoJobOptionIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobFlags.args(Map.of("framewise.no-such-option", "1")));
        assertEquals("no job option framewise.no-such-option", e.getMessage());
    }
}
