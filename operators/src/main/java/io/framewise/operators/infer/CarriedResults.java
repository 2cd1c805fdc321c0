package io.framewise.operators.infer;

import io.framewise.operators.records.LabeledEvent;
import io.framewise.operators.records.LabeledEventSerializer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;

/**
 * The last inferred event per camera, which frames with {@code infer=false} carry: the only state of
 * {@link BatchInferenceOperator}, kept in operator state so a replay after recovery produces the same
 * events.
 *
 * <p>An entry expires after the camera-state TTL unused (processing time, refreshed when a frame of the
 * camera carries it or replaces it), as the keyed per-camera state does: the 30-minute soak with 3900
 * churning camera ids found this union list the one state that grew with every camera id ever seen
 * (~450 bytes each, in every subtask's checkpoint and every restore). A camera back after that infers
 * its next frame, as a new one does. The last-use times are state too (a second union list): a first
 * version restarted every entry's clock at a restore, and with a fault every 4 minutes against a
 * 10-minute TTL the soak's list grew exactly as before. An entry restored from a savepoint older than
 * that list gets the restore time.
 */
final class CarriedResults {

    private final Map<String, LabeledEvent> lastResult = new HashMap<>(); // camera -> last inferred event
    private final Map<String, Long> lastUsedMs = new HashMap<>();         // camera -> processing time it was last used
    private final long ttlMs;
    private final LongSupplier clock;
    private ListState<LabeledEvent> state;
    private ListState<Tuple2<String, Long>> usedState; // (camera, last-use processing time)

    /** @param clock the operator's processing time */
    CarriedResults(long ttlMs, LongSupplier clock) {
        if (ttlMs < 1) {
            throw new IllegalArgumentException("camera state TTL must be positive, got " + ttlMs);
        }
        this.ttlMs = ttlMs;
        this.clock = clock;
    }

    /** Restores this subtask's cameras: those {@code keyBy(camera)} routes here. */
    void initialize(StateInitializationContext context, TaskInfo task) throws Exception {
        // Union, not split: a split list is dealt out round-robin on rescale, so a camera's last result
        // would land on a subtask that never sees the camera. Every subtask gets all entries and keeps
        // those of the cameras keyBy(camera) routes to it.
        state = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("last-result-per-camera", LabeledEventSerializer.TYPE_INFO));
        usedState = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("last-result-used-ms", Types.TUPLE(Types.STRING, Types.LONG)));
        for (LabeledEvent e : state.get()) {
            if (KeyGroupRangeAssignment.assignKeyToParallelOperator(e.camera(), task.getMaxNumberOfParallelSubtasks(),
                    task.getNumberOfParallelSubtasks()) == task.getIndexOfThisSubtask()) {
                lastResult.put(e.camera(), e);
            }
        }
        for (Tuple2<String, Long> used : usedState.get()) {
            if (lastResult.containsKey(used.f0)) {
                lastUsedMs.put(used.f0, used.f1);
            }
        }
        long now = clock.getAsLong();
        for (String camera : lastResult.keySet()) {
            lastUsedMs.putIfAbsent(camera, now);
        }
    }

    /**
     * Forgets results of another model: restored with a new model, an old result carried under the new
     * model's name and checksum would mislabel events, so each camera's next frame is inferred instead.
     */
    void keepOnly(String modelSha256) {
        lastResult.values().removeIf(e -> !modelSha256.equals(e.modelSha256()));
        lastUsedMs.keySet().retainAll(lastResult.keySet());
    }

    /** Whether {@code camera} has a result to carry; an expired one is dropped here and is not. */
    boolean has(String camera) {
        Long used = lastUsedMs.get(camera);
        if (used == null) {
            return false;
        }
        if (clock.getAsLong() - used > ttlMs) {
            lastResult.remove(camera);
            lastUsedMs.remove(camera);
            return false;
        }
        return true;
    }

    /** The result a frame of {@code camera} carries (after {@link #has} said there is one, or its batch put it). */
    LabeledEvent get(String camera) {
        lastUsedMs.put(camera, clock.getAsLong());
        return lastResult.get(camera);
    }

    void put(LabeledEvent inferred) {
        lastResult.put(inferred.camera(), inferred);
        lastUsedMs.put(inferred.camera(), clock.getAsLong());
    }

    /** Cameras with a result held, expired ones not yet dropped included. */
    int size() {
        return lastResult.size();
    }

    /** Drops what expired, then writes the rest. */
    void snapshot() throws Exception {
        long now = clock.getAsLong();
        lastUsedMs.entrySet().removeIf(e -> {
            boolean expired = now - e.getValue() > ttlMs;
            if (expired) {
                lastResult.remove(e.getKey());
            }
            return expired;
        });
        state.update(new ArrayList<>(lastResult.values()));
        List<Tuple2<String, Long>> used = new ArrayList<>(lastUsedMs.size());
        lastUsedMs.forEach((camera, ms) -> used.add(Tuple2.of(camera, ms)));
        usedState.update(used);
    }
}
