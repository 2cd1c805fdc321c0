package io.framewise.operators.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.framewise.operators.deadletter.DeadLetters;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.TypeExtractor;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/** Flink's type extraction must hand out our serializers, never Kryo or the POJO serializer. */
class RecordTypeInfoTest {

    @Test
    void typeExtractionUsesTheExplicitSerializers() {
        var config = new SerializerConfigImpl();
        assertSame(FrameRecordSerializer.INSTANCE, TypeInformation.of(FrameRecord.class).createSerializer(config));
        assertSame(ModelFrameSerializer.INSTANCE, TypeInformation.of(ModelFrame.class).createSerializer(config));
        assertSame(LabeledEventSerializer.INSTANCE, TypeInformation.of(LabeledEvent.class).createSerializer(config));
        assertSame(DeadLetterSerializer.INSTANCE, TypeInformation.of(DeadLetter.class).createSerializer(config));
    }

    @Test
    void functionsAndTagsResolveToTheRecordTypes() {
        // what the DataStream API sees for a ProcessFunction<FrameRecord, FrameRecord> such as RecordRouting
        assertEquals(FrameRecordSerializer.TYPE_INFO, TypeExtractor.createTypeInfo(FrameRecord.class));
        assertEquals(DeadLetterSerializer.TYPE_INFO, DeadLetters.TAG.getTypeInfo());
        assertEquals(DeadLetterSerializer.TYPE_INFO, new OutputTag<DeadLetter>("x") { }.getTypeInfo());
    }
}
