package io.framewise.pipeline.chaos;

import io.framewise.inference.exec.SharedModels;
import io.framewise.operators.frames.FrameHeaders;
import io.framewise.operators.isolate.TestFaults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A frame record that asks for a test fault ({@link TestFaults}): a valid JPEG frame (the shared
 * {@code images/parrot.jpg}) with the {@value TestFaults#HEADER} header. On a TaskManager started with
 * {@code -Dframewise.test-faults=true}, decoding it crashes the process ({@code crash}) or hangs the
 * decode thread ({@code spin}); anywhere else it is an ordinary frame. Used by {@code chaos} and by
 * the decoder isolation test.
 */
public final class PoisonRecord {

    private PoisonRecord() {
    }

    /** The record: key {@code camera}, sequence {@code seq}, the fault's header. */
    public static ProducerRecord<String, byte[]> build(String topic, String camera, long seq, String fault)
            throws IOException {
        byte[] jpeg = Files.readAllBytes(SharedModels.dataDir()
                .orElseThrow(() -> new IllegalStateException("no shared data folder ($FRAMEWISE_DATA or ../shared)"))
                .resolve("images/parrot.jpg"));
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, camera, jpeg);
        r.headers().add(FrameHeaders.VERSION, bytes(FrameHeaders.CURRENT_VERSION));
        r.headers().add(FrameHeaders.CODEC, bytes("jpeg"));
        r.headers().add(FrameHeaders.CAPTURE_TS, bytes(Long.toString(System.currentTimeMillis())));
        r.headers().add(FrameHeaders.SEQUENCE, bytes(Long.toString(seq)));
        r.headers().add(TestFaults.HEADER, bytes(fault));
        return r;
    }

    /** Sends one such record (idempotent, acks=all) and returns its offset. */
    public static long send(String bootstrap, String topic, String camera, long seq, String fault)
            throws IOException, InterruptedException, ExecutionException {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 << 20));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            return producer.send(build(topic, camera, seq, fault)).get().offset();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
