package io.framewise.operators.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.records.DeadLetter;
import io.framewise.operators.records.FrameRecord;
import io.framewise.operators.records.LabeledEvent;
import io.framewise.operators.records.RecordSamples;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The Kafka side of the records: what the source reads and what the two sinks write. */
class KafkaSchemasTest {

    @Test
    void deserializerKeepsKeyValueHeadersAndCoordinates() {
        RecordHeaders h = new RecordHeaders();
        h.add("fw-codec", "jpeg".getBytes(StandardCharsets.UTF_8));
        h.add("fw-seq", "1".getBytes(StandardCharsets.UTF_8));
        h.add("fw-seq", "2".getBytes(StandardCharsets.UTF_8)); // repeated: the last one counts, as in the format
        byte[] value = RecordSamples.bytes(100, 1);
        FrameRecord r = one(consumerRecord("cam-7".getBytes(StandardCharsets.UTF_8), value, h));
        assertEquals("cam-7", r.camera());
        assertArrayEquals("cam-7".getBytes(StandardCharsets.UTF_8), r.key());
        assertArrayEquals(value, r.value());
        assertEquals(List.of("fw-codec", "fw-seq"), List.copyOf(r.headers().keySet()));
        assertEquals("2", new String(r.headers().get("fw-seq"), StandardCharsets.UTF_8));
        assertEquals("frames", r.topic());
        assertEquals(4, r.partition());
        assertEquals(99, r.offset());
        assertEquals(1_700_000_000_000L, r.kafkaTimestamp());
    }

    @Test
    void keysThatAreNoCameraIdGiveANullCameraNotAnError() {
        byte[] notUtf8 = {(byte) 0xc3, (byte) 0x28};
        byte[] tooLong = new byte[FrameRecord.MAX_CAMERA_BYTES + 1];
        Arrays.fill(tooLong, (byte) 'a');
        byte[] longest = Arrays.copyOf(tooLong, FrameRecord.MAX_CAMERA_BYTES);
        for (byte[] key : new byte[][] {null, new byte[0], notUtf8, tooLong}) {
            FrameRecord r = one(consumerRecord(key, new byte[] {1}, new RecordHeaders()));
            assertNull(r.camera());
            assertArrayEquals(key, r.key());
        }
        assertEquals("a".repeat(FrameRecord.MAX_CAMERA_BYTES),
                one(consumerRecord(longest, null, new RecordHeaders())).camera());
    }

    @Test
    void labeledEventsAreKeyedByCameraWithTheEventIdHeader() {
        LabeledEvent e = RecordSamples.labeledEvents()[0];
        ProducerRecord<byte[], byte[]> p = new LabeledEventSerialization("labels").serialize(e, null, 123L);
        assertEquals("labels", p.topic());
        assertNull(p.partition());
        assertEquals(123L, p.timestamp());
        assertEquals("cam-1", new String(p.key(), StandardCharsets.UTF_8));
        assertEquals(e, LabeledEventJson.fromJson(p.value()));
        Header[] headers = p.headers().toArray();
        assertEquals(1, headers.length);
        assertEquals(LabeledEventSerialization.EVENT_ID_HEADER, headers[0].key());
        assertEquals(e.eventId(), new String(headers[0].value(), StandardCharsets.UTF_8));
    }

    @Test
    void deadLettersKeepTheOriginalRecordAndAddReasonMessageSource() {
        DeadLetter d = RecordSamples.deadLetters()[0];
        ProducerRecord<byte[], byte[]> p = new DeadLetterSerialization("frames-dlq").serialize(d, null, null);
        assertEquals("frames-dlq", p.topic());
        assertArrayEquals(d.key(), p.key());
        assertArrayEquals(d.value(), p.value());
        List<String> names = new ArrayList<>();
        p.headers().forEach(h -> names.add(h.key()));
        assertEquals(List.of("fw-codec", "fw-dlq-reason", "fw-dlq-message", "fw-dlq-source"), names);
        assertEquals("jpeg", text(p, "fw-codec"));
        assertEquals("CORRUPT_IMAGE", text(p, DeadLetterSerialization.REASON_HEADER));
        assertEquals("invalid JPEG data", text(p, DeadLetterSerialization.MESSAGE_HEADER));
        assertEquals("frames/1/42", text(p, DeadLetterSerialization.SOURCE_HEADER));

        DeadLetter noKey = RecordSamples.deadLetters()[1];
        ProducerRecord<byte[], byte[]> q = new DeadLetterSerialization("frames-dlq").serialize(noKey, null, 5L);
        assertNull(q.key());
        assertNull(q.value());
        assertEquals("MISSING_KEY", text(q, DeadLetterSerialization.REASON_HEADER));
    }

    @Test
    void aDeadLetterOverTheTopicsLimitLeavesItsValueOutAndSaysWhichValueItWas() throws Exception {
        DeadLetter d = RecordSamples.deadLetters()[0];
        // the size the serializer counts for the record as written with its value
        long fits = DeadLetterSerialization.size(d.key(), d.value(),
                (RecordHeaders) new DeadLetterSerialization("frames-dlq").serialize(d, null, 1L).headers());
        ProducerRecord<byte[], byte[]> kept = new DeadLetterSerialization("frames-dlq").withTopicLimit((int) fits)
                .serialize(d, null, 1L);
        assertArrayEquals(d.value(), kept.value(), "exactly at the limit the value stays");
        assertNull(kept.headers().lastHeader(DeadLetterSerialization.VALUE_OMITTED_HEADER));

        ProducerRecord<byte[], byte[]> cut = new DeadLetterSerialization("frames-dlq").withTopicLimit((int) fits - 1)
                .serialize(d, null, 1L);
        assertNull(cut.value());
        assertArrayEquals(d.key(), cut.key());
        assertEquals(Integer.toString(d.value().length), text(cut, DeadLetterSerialization.VALUE_OMITTED_HEADER));
        assertEquals(java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(d.value())),
                text(cut, DeadLetterSerialization.VALUE_SHA256_HEADER));
        assertEquals("CORRUPT_IMAGE", text(cut, DeadLetterSerialization.REASON_HEADER));
        assertEquals("frames/1/42", text(cut, DeadLetterSerialization.SOURCE_HEADER));
        String message = text(cut, DeadLetterSerialization.MESSAGE_HEADER);
        assertTrue(message.startsWith("invalid JPEG data [value of " + d.value().length + " bytes not kept"), message);
        assertEquals(1, java.util.stream.StreamSupport.stream(cut.headers().spliterator(), false)
                .filter(h -> h.key().equals(DeadLetterSerialization.MESSAGE_HEADER)).count(), "one message header");
    }

    private static String text(ProducerRecord<byte[], byte[]> p, String header) {
        return Optional.ofNullable(p.headers().lastHeader(header))
                .map(h -> new String(h.value(), StandardCharsets.UTF_8)).orElse(null);
    }

    private static ConsumerRecord<byte[], byte[]> consumerRecord(byte[] key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>("frames", 4, 99, 1_700_000_000_000L, TimestampType.CREATE_TIME,
                key == null ? -1 : key.length, value == null ? -1 : value.length, key, value, headers, Optional.empty());
    }

    private static FrameRecord one(ConsumerRecord<byte[], byte[]> record) {
        List<FrameRecord> out = new ArrayList<>();
        new FrameRecordDeserializer().deserialize(record, new Collector<>() {
            @Override
            public void collect(FrameRecord r) {
                out.add(r);
            }

            @Override
            public void close() {
            }
        });
        assertEquals(1, out.size());
        return out.get(0);
    }
}
