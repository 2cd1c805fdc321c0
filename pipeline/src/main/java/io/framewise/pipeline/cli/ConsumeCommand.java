package io.framewise.pipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonNode;
import io.framewise.pipeline.consume.EpisodeLine;
import io.framewise.pipeline.consume.EventLine;
import io.framewise.pipeline.consume.ThrowawayReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code framewise consume}: a read_committed tail of one of the job's topics (labels, episodes,
 * camera-status). Only records of committed transactions show, as an exactly-once consumer downstream
 * would see them.
 */
@Command(name = "consume", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Tails a topic of the job (read_committed): labels, episodes or camera-status; one line per"
                + " record, or the JSON with --json.")
public final class ConsumeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bootstrap", defaultValue = "localhost:9092", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrap;

    @Option(names = "--topic", defaultValue = "labels", description = "Topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--from-beginning", description = "Start at the oldest event (default: only new ones).")
    boolean fromBeginning;

    @Option(names = "--json", description = "Print each event's JSON as it is on the topic.")
    boolean json;

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N events.")
    long limit;

    @Option(names = "--idle-exit-ms", paramLabel = "MS",
            description = "Stop when no event arrived for this long (default: run until Ctrl-C).")
    long idleExitMs;

    @Option(names = {"-X", "--kafka"}, paramLabel = "KEY=VALUE",
            description = "Extra consumer property (e.g. security.protocol=SASL_SSL); repeatable.")
    Map<String, String> kafka = new LinkedHashMap<>();

    @Override
    public Integer call() {
        if (limit < 0 || idleExitMs < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit and --idle-exit-ms must be positive");
        }
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper mapper = new ObjectMapper();
        long seen = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(properties(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Thread main = Thread.currentThread();
            Thread hook = new Thread(() -> {
                consumer.wakeup();
                try {
                    main.join(5_000);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }, "framewise-consume-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                consumer.subscribe(List.of(topic));
                long lastEvent = System.nanoTime();
                while (limit == 0 || seen < limit) {
                    boolean any = false;
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        any = true;
                        out.println(json ? new String(r.value(), StandardCharsets.UTF_8) : pretty(mapper, r.value()));
                        if (++seen == limit) {
                            break;
                        }
                    }
                    out.flush();
                    if (any) {
                        lastEvent = System.nanoTime();
                    } else if (idleExitMs > 0 && System.nanoTime() - lastEvent > idleExitMs * 1_000_000L) {
                        break;
                    }
                }
            } catch (WakeupException stopped) {
                // Ctrl-C
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running and waits for us
                }
            }
        }
        out.flush();
        return 0;
    }

    private static String pretty(ObjectMapper mapper, byte[] value) {
        try {
            JsonNode o = mapper.readTree(value);
            if (EpisodeLine.isEpisode(o)) {
                return EpisodeLine.format(o);
            }
            return EpisodeLine.isCameraStatus(o) ? EpisodeLine.formatStatus(o) : EventLine.format(o);
        } catch (java.io.IOException e) {
            return "(not JSON: " + value.length + " bytes)";
        }
    }

    Properties properties() {
        Properties p = ThrowawayReader.properties(bootstrap, "framewise-consume", fromBeginning ? "earliest" : "latest");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "framewise-consume");
        p.putAll(kafka);
        return p;
    }
}
