package io.framewise.pipeline.produce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.framewise.operators.frames.Codec;
import io.framewise.operators.frames.FrameHeaders;
import io.framewise.pipeline.produce.encode.MediaChunk;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

class FrameRecordSenderTest {

    private static String get(Headers h, String name) {
        Header x = h.lastHeader(name);
        return x == null ? null : new String(x.value(), StandardCharsets.UTF_8);
    }

    @Test
    void producerIsIdempotentWithAllAcksAndSizedForTheLargestRecord() {
        Properties p = FrameRecordSender.properties("b:9092", "cam", 20_000_000, Map.of());
        assertEquals("true", p.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertEquals("all", p.get(ProducerConfig.ACKS_CONFIG));
        assertEquals(Integer.toString(Integer.MAX_VALUE), p.get(ProducerConfig.RETRIES_CONFIG));
        assertEquals("300000", p.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG));
        assertEquals("15000", p.get(ProducerConfig.MAX_BLOCK_MS_CONFIG));
        assertEquals(Integer.toString(20_000_000 + 64 * 1024), p.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        // Room for four of the largest requests; never below 64 MiB.
        assertEquals(Long.toString(4L * (20_000_000 + 64 * 1024)), p.get(ProducerConfig.BUFFER_MEMORY_CONFIG));
        Properties small = FrameRecordSender.properties("b:9092", "cam", 1 << 20, Map.of());
        assertEquals(Long.toString(64L << 20), small.get(ProducerConfig.BUFFER_MEMORY_CONFIG));
    }

    @Test
    void passThroughPropertiesWin() {
        Properties p = FrameRecordSender.properties("b:9092", "cam", 1 << 20,
                Map.of("security.protocol", "SASL_SSL", "max.block.ms", "3000"));
        assertEquals("SASL_SSL", p.get("security.protocol"));
        assertEquals("3000", p.get(ProducerConfig.MAX_BLOCK_MS_CONFIG));
    }

    @Test
    void headersFollowFormatVersion1() {
        MediaChunk jpeg = new MediaChunk(new byte[] {1}, Codec.JPEG, 80_000, 1, 80_000, 768, 432);
        Headers h = FrameRecordSender.headers(jpeg, 41, 1_795_800_722_080L, 12.5);
        assertEquals("1", get(h, FrameHeaders.VERSION));
        assertEquals("jpeg", get(h, FrameHeaders.CODEC));
        assertEquals("1795800722080", get(h, FrameHeaders.CAPTURE_TS));
        assertEquals("41", get(h, FrameHeaders.SEQUENCE));
        assertEquals("12.5", get(h, FrameHeaders.FPS));
        assertEquals("768", get(h, FrameHeaders.WIDTH));
        assertEquals("432", get(h, FrameHeaders.HEIGHT));

        MediaChunk unknown = new MediaChunk(new byte[] {1}, null, MediaChunk.NO_PTS, 1, 0, 0, 0);
        Headers u = FrameRecordSender.headers(unknown, 0, 5, 0);
        assertNull(get(u, FrameHeaders.CODEC), "unknown codec: no header, the job sniffs");
        assertNull(get(u, FrameHeaders.FPS));
        assertNull(get(u, FrameHeaders.WIDTH));
    }

    @Test
    void frameRatesPrintShort() {
        assertEquals("12.5", FrameRecordSender.decimal(12.5));
        assertEquals("25", FrameRecordSender.decimal(25.0));
        assertEquals("29.97003", FrameRecordSender.decimal(30000.0 / 1001));
        assertEquals("29.833333", FrameRecordSender.decimal(29.833333333333332));
    }
}
