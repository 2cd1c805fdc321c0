package io.framewise.pipeline.failure;

import io.framewise.operators.records.LabeledEvent;
import io.framewise.operators.records.LabeledEventSerializer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Failure injection through the events stream between {@code FramewiseJob.dataflow} and {@code FramewiseJob.sinks}: an operator between
 * batch inference and the events sink, chained with both. Its state lives in static counters
 * (the MiniCluster runs in the test JVM), so it survives the operator's restarts and the test reads
 * it; each test uses its own {@code name}.
 *
 * <p>Every variant paces the stream ({@code pauseMs} per event; a fault only until it fired), so the bounded job runs long enough
 * for failures to land mid-stream, with several checkpoints before and after them.
 */
final class Faults {

    private static final ConcurrentHashMap<String, AtomicLong> COUNTERS = new ConcurrentHashMap<>();

    private Faults() {
    }

    /** What an injected fault does in its operator, for the subtask that should act. */
    enum Kind {
        /** Nothing: pace and count only. */
        NONE,
        /** Throws from map() once, after a checkpoint completed and 10 more events went into the open transaction. */
        THROW_IN_TRANSACTION,
        /**
         * Fails one checkpoint after subtask 0's sink pre-committed its transaction for it (the
         * sink flushes and prepares before the barrier passes, before any snapshotState), so that
         * prepared transaction belongs to a checkpoint that never completes and must be aborted.
         */
        FAIL_AFTER_PRE_COMMIT,
        /**
         * Blocks one checkpoint's snapshot until the checkpoint coordinator aborted that checkpoint
         * (its timeout expired: the abort reaches the other subtask, whose task thread is free), so the
         * stall is exactly as long as the timeout, however busy the machine. {@code stallMs} only
         * bounds the wait, in case the abort never comes; then the snapshot fails instead. With no
         * tolerated checkpoint failures the expiry also restarts the job, and the restart may cancel
         * the stalled task (an interrupt) before the abort reaches the operator: recorded apart
         * ({@code .stalledUntilCancelled}), as it ends the stall at the same moment for the same reason.
         */
        STALL_SNAPSHOT
    }

    static AtomicLong counter(String name) {
        return COUNTERS.computeIfAbsent(name, k -> new AtomicLong());
    }

    /** Events that passed the hook (replays after a restore count again). */
    static long events(String name) {
        return counter(name + ".events").get();
    }

    /** Events that passed the hook since a checkpoint last completed: in open transactions, unless the job restarted. */
    static long eventsSinceCompletedCheckpoint(String name) {
        return events(name) - counter(name + ".eventsAtCompleted").get();
    }

    /** Checkpoint id at which the fault fired; 0 while it has not. */
    static long firedAt(String name) {
        return counter(name + ".fired").get();
    }

    /** Highest checkpoint id the job aborted (expired, declined), as the operator was notified; 0 before. */
    static long aborted(String name) {
        return counter(name + ".aborted").get();
    }

    static UnaryOperator<DataStream<LabeledEvent>> hook(String name, Kind kind, long pauseMs, long stallMs) {
        return s -> s.map(new Injector(name, kind, pauseMs, stallMs)).returns(LabeledEventSerializer.TYPE_INFO)
                .name("injected fault: " + kind).uid("test-fault");
    }

    static UnaryOperator<DataStream<LabeledEvent>> paced(String name, long pauseMs) {
        return hook(name, Kind.NONE, pauseMs, 0);
    }

    /** The injecting operator; acts on subtask 1 only, once, after the first completed checkpoint. */
    static final class Injector extends RichMapFunction<LabeledEvent, LabeledEvent>
            implements CheckpointedFunction, CheckpointListener {

        private final String name;
        private final Kind kind;
        private final long pauseMs;
        private final long stallMs;
        private long eventsSinceCheckpoint = -1;

        Injector(String name, Kind kind, long pauseMs, long stallMs) {
            this.name = name;
            this.kind = kind;
            this.pauseMs = pauseMs;
            this.stallMs = stallMs;
        }

        private boolean acting() {
            return getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 1;
        }

        @Override
        public LabeledEvent map(LabeledEvent e) throws Exception {
            counter(name + ".events").incrementAndGet();
            // a fault paces only until it fired: the stream must not end before it, and need not crawl after
            if (pauseMs > 0 && (kind == Kind.NONE || firedAt(name) == 0)) {
                Thread.sleep(pauseMs);
            }
            if (kind == Kind.THROW_IN_TRANSACTION && acting() && eventsSinceCheckpoint >= 0
                    && ++eventsSinceCheckpoint >= 10 && fire(counter(name + ".completed").get())) {
                throw new IllegalStateException("injected failure with 10 events in the open transaction");
            }
            return e;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            counter(name + ".completed").accumulateAndGet(checkpointId, Math::max);
            counter(name + ".eventsAtCompleted").set(events(name));
            if (eventsSinceCheckpoint < 0) {
                eventsSinceCheckpoint = 0;
            }
        }

        @Override
        public void notifyCheckpointAborted(long checkpointId) {
            counter(name + ".aborted").accumulateAndGet(checkpointId, Math::max);
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) throws Exception {
            long id = context.getCheckpointId();
            if (!acting()) {
                // this subtask's sink already flushed and prepared its transaction for checkpoint id
                counter(name + ".prepared").accumulateAndGet(id, Math::max);
                return;
            }
            boolean afterACompletedCheckpoint = counter(name + ".completed").get() > 0;
            if (kind == Kind.FAIL_AFTER_PRE_COMMIT && afterACompletedCheckpoint && fire(id)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (counter(name + ".prepared").get() < id) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("subtask 0 never prepared checkpoint " + id);
                    }
                    Thread.sleep(5);
                }
                counter(name + ".failedAfterPrepare").set(id);
                throw new IllegalStateException("injected failure of checkpoint " + id + " after subtask 0 pre-committed");
            }
            if (kind == Kind.STALL_SNAPSHOT && afterACompletedCheckpoint && fire(id)) {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(stallMs);
                try {
                    while (aborted(name) < id) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("checkpoint " + id + " not aborted within " + stallMs + " ms");
                        }
                        Thread.sleep(5);
                    }
                } catch (InterruptedException cancelled) {
                    counter(name + (aborted(name) >= id ? ".stalledUntilAborted" : ".stalledUntilCancelled")).set(id);
                    throw cancelled;
                }
                counter(name + ".stalledUntilAborted").set(id);
            }
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {
        }

        private boolean fire(long at) {
            return counter(name + ".fired").compareAndSet(0, Math.max(at, 1));
        }
    }
}
