package io.framewise.pipeline.failure;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobOptions;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker stopped for 3 s and started again (same port and data, {@link EmbeddedKafka#restartBroker})
 * while the job reads, classifies and writes in transactions. The producer side of a broker restart
 * is {@code produce.BrokerRestartITCase}; this is the job's side. Every record still has exactly one
 * outcome.
 */
@Timeout(600) // a hang guard only: every wait fails on its own once the job stops making progress
class BrokerOutageITCase {

    /** Its own broker: restarting one other classes share would disturb them. */
    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @RegisterExtension
    static final TwoTaskManagers flink = new TwoTaskManagers();

    @Test
    void aBrokerRestartMidStreamLosesAndDuplicatesNothing() throws Exception {
        Backlog backlog = Backlog.create(KAFKA);
        Backlog.Written written = backlog.write(150, 40);
        Map<String, String> m = backlog.jobOptions();
        // Unbounded: should the outage fail the job as a whole, a bounded Kafka source restored from a
        // checkpoint would never finish (FLINK-31006); the test ends the job once every outcome is committed.
        m.put(JobOptions.STOP_AT_LATEST.key(), "false");
        m.put(JobOptions.RESTART_ATTEMPTS.key(), "5");
        m.put(JobOptions.RESTART_DELAY_MS.key(), "1000");
        String name = "outage-" + backlog.topics.in();
        JobID job = flink.submit(JobConfig.parse(m), new Configuration(), Faults.paced(name, 20));
        flink.await(job, "a checkpoint with events",
                () -> flink.latestCompletedCheckpoint(job) >= 1 && Faults.events(name) > 20);
        long eventsAtOutage = Faults.events(name);

        KAFKA.restartBroker(Duration.ofSeconds(3));
        ExactlyOnceAccounting.awaitOutcomes(KAFKA, backlog.topics, written, flink, job);
        flink.cancel(job);

        assertTrue(eventsAtOutage < written.frames(), "the broker went down mid-stream");
        ExactlyOnceAccounting.assertExactlyOnce(KAFKA, backlog.topics, written);
    }
}
