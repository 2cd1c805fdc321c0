package io.framewise.pipeline.produce;

import io.framewise.operators.frames.FrameHeaders;
import io.framewise.operators.records.FrameRecord;
import io.framewise.pipeline.produce.encode.MediaChunk;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends frame records (format version 1, see {@link FrameHeaders}) for one camera, asynchronously with
 * a bounded number of records and bytes in flight. Delivery is idempotent with acks=all and retries
 * until {@code delivery.timeout.ms}; the first record that still fails stops the producer with an
 * error naming its sequence number, so nothing is lost silently.
 */
public final class FrameRecordSender implements AutoCloseable {

    public static final int DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
    /** Room for key, headers and batch framing on top of the value in one produce request. */
    private static final int REQUEST_OVERHEAD = FrameRecord.RECORD_HEADROOM_BYTES;
    private static final long MIN_BUFFER_MEMORY = 64L * 1024 * 1024;
    private static final int MAX_IN_FLIGHT_RECORDS = 256;
    /** A broker restart (controlled shutdown, log recovery, leader election) fits well within this. */
    public static final int DELIVERY_TIMEOUT_MS = 300_000;
    /** Bounds the wait for metadata: an unreachable broker is reported after this, not after minutes. */
    static final int MAX_BLOCK_MS = 15_000;

    private record Failure(long seq, Exception cause) {
    }

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final String camera;
    private final int maxRecordBytes;
    private final long blockMs;
    private final Semaphore records = new Semaphore(MAX_IN_FLIGHT_RECORDS);
    private final Semaphore bytes;
    private final int byteBudget;
    private final AtomicReference<Failure> failure = new AtomicReference<>();

    public FrameRecordSender(String bootstrap, String topic, String camera, int maxRecordBytes,
                      Map<String, String> overrides) {
        this.topic = topic;
        this.camera = camera;
        this.maxRecordBytes = maxRecordBytes;
        Properties props = properties(bootstrap, camera, maxRecordBytes, overrides);
        this.blockMs = Long.parseLong(props.getProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG));
        long bufferMemory = Long.parseLong(props.getProperty(ProducerConfig.BUFFER_MEMORY_CONFIG));
        // Half the producer's buffer: our wait (which watches for failures) kicks in before send() blocks.
        this.byteBudget = (int) Math.min(Integer.MAX_VALUE, Math.max(bufferMemory / 2, maxRecordBytes));
        this.bytes = new Semaphore(byteBudget);
        try {
            this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        } catch (KafkaException e) {
            throw new IllegalArgumentException("cannot create a Kafka producer for " + bootstrap + ": "
                    + rootMessage(e), e);
        }
    }

    static Properties properties(String bootstrap, String camera, int maxRecordBytes, Map<String, String> overrides) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "framewise-produce-" + camera);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(DELIVERY_TIMEOUT_MS));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(MAX_BLOCK_MS));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // Media is already compressed: compressing again costs CPU and saves nothing.
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        int maxRequest = maxRecordBytes + REQUEST_OVERHEAD;
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(maxRequest));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(Math.max(MIN_BUFFER_MEMORY, 4L * maxRequest)));
        if (overrides != null) {
            p.putAll(overrides);
        }
        return p;
    }

    /**
     * Fails fast when the broker is unreachable or the topic does not exist: waits at most
     * {@code max.block.ms} for the topic's metadata.
     */
    public void checkTopic(String bootstrap) {
        try {
            producer.partitionsFor(topic);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer from Kafka at " + bootstrap + " for topic '" + topic
                    + "' within " + blockMs + " ms: is the broker up, the address right, the topic created"
                    + " (and the -X security settings right)?", e);
        } catch (KafkaException e) {
            throw new IllegalStateException("Kafka at " + bootstrap + " refused topic '" + topic + "': "
                    + rootMessage(e), e);
        }
    }

    /** Queues one record; blocks while too much is in flight; throws if any earlier record failed. */
    void send(MediaChunk chunk, long seq, long captureMillis, double fps) throws InterruptedException {
        send(camera, chunk, seq, captureMillis, fps);
    }

    /**
     * The same for a record of another camera than the one this sender was made for: one producer for
     * many cameras (the load test's fleet of a thousand), keyed per record.
     */
    public void send(String camera, MediaChunk chunk, long seq, long captureMillis, double fps)
            throws InterruptedException {
        throwIfFailed();
        int size = chunk.bytes().length;
        if (size > maxRecordBytes) {
            throw new IllegalStateException("record seq " + seq + " is " + size + " bytes, over --max-record-bytes "
                    + maxRecordBytes + ": raise --max-record-bytes (and the topic's max.message.bytes)"
                    + " or use shorter segments / a lower --quality");
        }
        int permits = Math.min(size, byteBudget);
        acquire(records, 1);
        try {
            acquire(bytes, permits);
        } catch (InterruptedException | RuntimeException e) {
            records.release();
            throw e;
        }
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(topic, null, null, camera, chunk.bytes(), headers(chunk, seq, captureMillis, fps));
        try {
            producer.send(record, (meta, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, new Failure(seq, e));
                }
                bytes.release(permits);
                records.release();
            });
        } catch (KafkaException e) {
            bytes.release(permits);
            records.release();
            failure.compareAndSet(null, new Failure(seq, e));
            throwIfFailed();
        }
    }

    static RecordHeaders headers(MediaChunk chunk, long seq, long captureMillis, double fps) {
        RecordHeaders h = new RecordHeaders();
        h.add(FrameHeaders.VERSION, utf8(FrameHeaders.CURRENT_VERSION));
        if (chunk.codec() != null) {
            h.add(FrameHeaders.CODEC, utf8(chunk.codec().wireName()));
        }
        h.add(FrameHeaders.CAPTURE_TS, utf8(Long.toString(captureMillis)));
        h.add(FrameHeaders.SEQUENCE, utf8(Long.toString(seq)));
        if (fps > 0) {
            h.add(FrameHeaders.FPS, utf8(decimal(fps)));
        }
        if (chunk.width() > 0 && chunk.height() > 0) {
            h.add(FrameHeaders.WIDTH, utf8(Integer.toString(chunk.width())));
            h.add(FrameHeaders.HEIGHT, utf8(Integer.toString(chunk.height())));
        }
        return h;
    }

    /** 12.5 → "12.5", 25.0 → "25", 29.97002997 → "29.97003": short, exact enough for any clock. */
    static String decimal(double v) {
        return new java.math.BigDecimal(v).setScale(6, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros()
                .toPlainString();
    }

    private void acquire(Semaphore s, int n) throws InterruptedException {
        // Poll so a failure reported by a callback stops us even while we wait for room.
        while (!s.tryAcquire(n, 200, TimeUnit.MILLISECONDS)) {
            throwIfFailed();
        }
    }

    private void throwIfFailed() {
        Failure f = failure.get();
        if (f != null) {
            throw new IllegalStateException("record seq " + f.seq() + " (camera '" + camera + "', topic '" + topic
                    + "') was not delivered: " + rootMessage(f.cause()) + "; stopped", f.cause());
        }
    }

    /** Waits for every queued record; throws if any failed. */
    public void flush() {
        producer.flush();
        throwIfFailed();
    }

    @Override
    public void close() {
        producer.close(Duration.ofMillis(DELIVERY_TIMEOUT_MS));
    }

    private static String rootMessage(Throwable e) {
        String msg = e.getMessage();
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c.getMessage() != null) {
                msg = msg == null ? c.getMessage() : msg + " (" + c.getMessage() + ")";
                break;
            }
        }
        return msg == null ? e.getClass().getSimpleName() : msg;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
