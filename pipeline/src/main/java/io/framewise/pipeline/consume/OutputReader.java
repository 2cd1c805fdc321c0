package io.framewise.pipeline.consume;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the job's labels and dead-letter topics on a thread of its own, as a downstream consumer sees
 * them (give it {@link ThrowawayReader} settings). The demo's monitor and the load test's tally keep
 * their figures in its {@link Handler}; a failure of the reader is kept for {@link #checkHealthy()}
 * on the caller's thread, so it stops the command instead of dying unseen.
 */
public final class OutputReader implements AutoCloseable {

    /** Called on the reader's thread, one record at a time. */
    public interface Handler {
        /** @param visibleAt wall-clock ms the poll returned the event: when a consumer could first see it */
        void onEvent(ConsumerRecord<byte[], byte[]> r, long visibleAt) throws Exception;

        void onDeadLetter(ConsumerRecord<byte[], byte[]> r) throws Exception;

        /** A record of the episodes topic, when one was given. */
        default void onEpisode(ConsumerRecord<byte[], byte[]> r) throws Exception {
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String labelsTopic;
    private final String episodesTopic;
    private final Handler handler;
    private final Thread thread;
    private volatile boolean stop;
    private volatile Throwable failure;

    public OutputReader(Properties consumer, String labelsTopic, String dlqTopic, String threadName, Handler handler) {
        this(consumer, labelsTopic, dlqTopic, null, threadName, handler);
    }

    /** @param episodesTopic also read the episodes topic ({@link Handler#onEpisode}); null: not */
    public OutputReader(Properties consumer, String labelsTopic, String dlqTopic, String episodesTopic,
                        String threadName, Handler handler) {
        this.consumer = new KafkaConsumer<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.labelsTopic = labelsTopic;
        this.episodesTopic = episodesTopic;
        this.handler = handler;
        this.consumer.subscribe(episodesTopic == null ? List.of(labelsTopic, dlqTopic)
                : List.of(labelsTopic, dlqTopic, episodesTopic));
        this.thread = new Thread(this::loop, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (!stop) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.topic().equals(labelsTopic)) {
                        handler.onEvent(r, System.currentTimeMillis());
                    } else if (r.topic().equals(episodesTopic)) {
                        handler.onEpisode(r);
                    } else {
                        handler.onDeadLetter(r);
                    }
                }
            }
        } catch (WakeupException stopped) {
            // close()
        } catch (Throwable t) {
            failure = t;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Throws if reading failed. */
    public void checkHealthy() {
        Throwable t = failure;
        if (t != null) {
            throw new IllegalStateException("reading the labels topic failed: " + t.getMessage(), t);
        }
    }

    /** A header's value as UTF-8, null when the record has none. */
    public static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
