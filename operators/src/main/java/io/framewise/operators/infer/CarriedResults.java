package io.framewise.operators.infer;

import io.framewise.operators.records.LabeledEvent;
import io.framewise.operators.records.LabeledEventSerializer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;

/**
 * The last inferred event per camera, which frames with {@code infer=false} carry: the only state of
 * {@link BatchInferenceOperator}, kept in operator state so a replay after recovery produces the same
 * events.
 */
final class CarriedResults {

    private final Map<String, LabeledEvent> lastResult = new HashMap<>(); // camera -> last inferred event
    private ListState<LabeledEvent> state;

    /** Restores this subtask's cameras: those {@code keyBy(camera)} routes here. */
    void initialize(StateInitializationContext context, TaskInfo task) throws Exception {
        // Union, not split: a split list is dealt out round-robin on rescale, so a camera's last result
        // would land on a subtask that never sees the camera. Every subtask gets all entries and keeps
        // those of the cameras keyBy(camera) routes to it.
        state = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("last-result-per-camera", LabeledEventSerializer.TYPE_INFO));
        for (LabeledEvent e : state.get()) {
            if (KeyGroupRangeAssignment.assignKeyToParallelOperator(e.camera(), task.getMaxNumberOfParallelSubtasks(),
                    task.getNumberOfParallelSubtasks()) == task.getIndexOfThisSubtask()) {
                lastResult.put(e.camera(), e);
            }
        }
    }

    /**
     * Forgets results of another model: restored with a new model, an old result carried under the new
     * model's name and checksum would mislabel events, so each camera's next frame is inferred instead.
     */
    void keepOnly(String modelSha256) {
        lastResult.values().removeIf(e -> !modelSha256.equals(e.modelSha256()));
    }

    boolean has(String camera) {
        return lastResult.containsKey(camera);
    }

    LabeledEvent get(String camera) {
        return lastResult.get(camera);
    }

    void put(LabeledEvent inferred) {
        lastResult.put(inferred.camera(), inferred);
    }

    void snapshot() throws Exception {
        state.update(new ArrayList<>(lastResult.values()));
    }
}
