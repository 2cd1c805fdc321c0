package io.framewise.operators.infer;

import io.framewise.operators.records.LabeledEvent;
import io.framewise.operators.records.LabeledEventSerializer;
import io.framewise.operators.records.ModelFrame;
import io.framewise.operators.records.ModelFrameSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

/** An opened test harness around a {@link BatchInferenceOperator}, restored from {@code state} when given. */
final class InferenceHarness {

    static final int MAX_PARALLELISM = 128;

    private InferenceHarness() {
    }

    /** @param nowMs the processing time at the restore: the carried results' clock */
    static OneInputStreamOperatorTestHarness<ModelFrame, LabeledEvent> open(BatchInferenceOperator op, int parallelism,
            int subtask, OperatorID id, OperatorSubtaskState state, long nowMs) throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(op, MAX_PARALLELISM, parallelism, subtask,
                ModelFrameSerializer.INSTANCE, id);
        h.setup(LabeledEventSerializer.INSTANCE);
        h.setProcessingTime(nowMs);
        if (state != null) {
            h.initializeState(state);
        } else {
            h.initializeEmptyState();
        }
        h.open();
        return h;
    }
}
