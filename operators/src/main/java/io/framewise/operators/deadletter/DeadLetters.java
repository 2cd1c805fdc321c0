package io.framewise.operators.deadletter;

import io.framewise.operators.records.DeadLetter;
import io.framewise.operators.records.DeadLetterSerializer;
import org.apache.flink.util.OutputTag;

/**
 * The owner of the dead-letter path: every operator that cannot turn a record or frame into an event
 * (routing, decoding, inference) sends one {@link DeadLetter} to {@link #TAG}, with a
 * {@link io.framewise.operators.records.DeadLetterReason} of its stage, and counts it in its
 * {@link DeadLetterMetrics}. The job unions the three side outputs into one dead-letter sink.
 */
public final class DeadLetters {

    /** The side output of every stage; one name, so the job wires one sink for all of them. */
    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters", DeadLetterSerializer.TYPE_INFO);

    private DeadLetters() {
    }
}
