package io.framewise.operators.kafka;

import io.framewise.operators.records.FrameRecord;
import io.framewise.operators.records.FrameRecordSerializer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Reads frame records off Kafka keeping everything the job needs later: key, value, headers and the
 * source coordinates. Never throws and never drops: a record whose key is not a camera id becomes a
 * {@link FrameRecord} with a null camera, which {@code route.RecordRouting} dead-letters.
 */
public final class FrameRecordDeserializer implements KafkaRecordDeserializationSchema<FrameRecord> {

    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<FrameRecord> out) {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            // A repeated name keeps its last value at its last position: the frame format reads the last one.
            headers.remove(h.key());
            headers.put(h.key(), h.value());
        }
        out.collect(new FrameRecord(FrameRecord.cameraOf(record.key()), record.key(), record.value(), headers,
                record.topic(), record.partition(), record.offset(), record.timestamp()));
    }

    @Override
    public TypeInformation<FrameRecord> getProducedType() {
        return FrameRecordSerializer.TYPE_INFO;
    }
}
