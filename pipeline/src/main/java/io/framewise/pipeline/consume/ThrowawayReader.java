package io.framewise.pipeline.consume;

import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Consumer settings of every tool that reads the job's output as a downstream consumer would (the
 * {@code consume} command, the demo's monitor, the load test's tally): only committed transactions,
 * and a fresh group that commits nothing, so watching never moves anyone's offsets.
 */
public final class ThrowawayReader {

    private ThrowawayReader() {
    }

    /**
     * @param groupPrefix names the tool in the broker's group list; a random suffix makes the group unique
     * @param offsetReset {@code earliest} or {@code latest}
     */
    public static Properties properties(String bootstrap, String groupPrefix, String offsetReset) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupPrefix + "-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }
}
