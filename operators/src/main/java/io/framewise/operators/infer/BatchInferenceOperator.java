package io.framewise.operators.infer;

import io.framewise.inference.exec.CompiledModel;
import io.framewise.inference.exec.SharedModels;
import io.framewise.operators.deadletter.DeadLetters;
import io.framewise.operators.records.DeadLetterReason;
import io.framewise.operators.records.LabeledEvent;
import io.framewise.operators.records.ModelFrame;
import io.framewise.operators.state.CameraStateTtl;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;


/**
 * Batches frames from every camera this subtask receives and runs the model on them (the
 * nvstreammux + nvinfer of this pipeline): classification or segmentation, whichever the model file
 * does ({@link TaskModel}).
 *
 * <p>A batch runs when {@code batchSize} frames to infer are waiting, when {@code batchTimeoutMs}
 * passed since the first of them arrived (a processing-time timer), before every checkpoint barrier
 * ({@link #prepareSnapshotPreBarrier}) and at end of input. So no frame is ever in checkpointed
 * state: after a recovery the source replays exactly the frames whose events were not committed.
 *
 * <p>Order: the buffer keeps arrival order and events leave in it, so each camera's events come out
 * in the order its frames came in. A frame with {@code infer=false} gets an event carrying its
 * camera's last result ({@code inferred=false}); while frames of its camera are still buffered it
 * waits behind them, otherwise it leaves at once. When its camera has no result yet (first frame
 * after a start) it is inferred after all. The last result per camera is the only state, kept in
 * operator state so a replay after recovery produces the same events; it follows its camera's key
 * group on rescale, so a restored job continues each camera's pattern. This operator must run right
 * behind {@code keyBy(camera)} (forward, same parallelism and max parallelism).
 *
 * <p>Overlap ({@link InferenceSettings#overlap}): a batch runs on this operator's inference thread
 * while the task thread goes on decoding and buffering the next frames; at most one batch is in
 * flight. Its events are emitted on the task thread (never from the inference thread): the inference
 * thread, done, puts a mail into the task's mailbox that emits them, so they leave as soon as the
 * batch is done even when no further frame comes; the next batch, every barrier and the end of input
 * wait for the batch in flight and emit it themselves if the mail has not run yet. The in-flight frames
 * count as buffered for their cameras, so order and carried results are as without overlap.
 *
 * <p>Watermarks are held while frames are buffered or in flight, so no event is emitted behind one.
 *
 * <p>The parts: {@link FrameBuffer} (arrival order, frames per camera), {@link InferenceThread} (the
 * batch in flight and its hand-off to the task thread), {@link CarriedResults} (the state),
 * {@link EventFactory} (events and dead letters). This class decides when a batch runs.
 */
public final class BatchInferenceOperator extends AbstractStreamOperator<LabeledEvent>
        implements OneInputStreamOperator<ModelFrame, LabeledEvent>, BoundedOneInput {

    private static final long serialVersionUID = 1L;

    private final InferenceSettings settings;
    private final long cameraStateTtlMs;

    private transient CompiledModel model;
    private transient TaskModel task;
    private transient EventFactory events;
    private transient FrameBuffer buffer;
    private transient byte[][] batchImages; // [batchSize] views of the buffered frames' pixels
    private transient int[] batchWidths;    // [batchSize] the inferred frames' own sizes, for segmentation boxes
    private transient int[] batchHeights;   // [batchSize]
    private transient ScheduledFuture<?> timer;
    private transient long timerGeneration;
    private transient long batches;
    private transient Watermark heldWatermark;
    private transient InferenceMetrics metrics;
    private transient InferenceThread inferenceThread; // overlap only
    private transient CarriedResults carried;

    public BatchInferenceOperator(InferenceSettings settings) {
        this(settings, CameraStateTtl.DEFAULT_MS);
    }

    /** @param cameraStateTtlMs a camera's carried result expires after this long unused (as its keyed state) */
    public BatchInferenceOperator(InferenceSettings settings, long cameraStateTtlMs) {
        CameraStateTtl.config(cameraStateTtlMs); // validates
        this.settings = settings;
        this.cameraStateTtlMs = cameraStateTtlMs;
    }

    public InferenceSettings settings() {
        return settings;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        carried = new CarriedResults(cameraStateTtlMs, () -> getProcessingTimeService().getCurrentProcessingTime());
        carried.initialize(context, getRuntimeContext().getTaskInfo());
    }

    @Override
    public void open() throws Exception {
        super.open();
        model = SharedModels.load(settings.model(), settings.labels());
        task = new TaskModel(model, settings);
        events = new EventFactory(model.graph().name(), model.graph().sha256());
        buffer = new FrameBuffer(settings.batchSize());
        batchImages = new byte[settings.batchSize()][];
        batchWidths = new int[settings.batchSize()];
        batchHeights = new int[settings.batchSize()];
        metrics = new InferenceMetrics(getMetricGroup(), settings.batchSize());
        carried.keepOnly(events.modelSha256());
        if (settings.overlap()) {
            inferenceThread = new InferenceThread(
                    "framewise-inference " + getRuntimeContext().getTaskInfo().getTaskNameWithSubtasks(),
                    getContainingTask().getMailboxExecutorFactory().createExecutor(getOperatorConfig().getChainIndex()));
        }
    }

    @Override
    public void processElement(StreamRecord<ModelFrame> element) throws Exception {
        if (inferenceThread != null && inferenceThread.done()) {
            awaitInFlight();
        }
        ModelFrame f = element.getValue();
        if (f.pixels().length != model.imageBytes()) {
            metrics.deadLetter(DeadLetterReason.MODEL_REJECTED);
            output.collect(DeadLetters.TAG, new StreamRecord<>(events.rejected(f, model.input().width(),
                    model.input().height(), model.imageBytes(), System.currentTimeMillis())));
            return;
        }
        boolean waiting = buffer.waiting(f.camera());
        if (!f.infer() && !waiting && carried.has(f.camera())) {
            emit(events.carried(f, carried.get(f.camera()), System.currentTimeMillis()), element);
            return;
        }
        boolean infer = f.infer() || (!waiting && !carried.has(f.camera()));
        buffer.add(infer == f.infer() ? f : EventFactory.withInfer(f), element,
                getProcessingTimeService().getCurrentProcessingTime());
        if (infer) {
            if (buffer.toInfer() == 1) {
                startTimer();
            }
            if (buffer.toInfer() >= settings.batchSize()) {
                flush();
            }
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flushAndWait();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        if (buffered() > 0) {
            // prepareSnapshotPreBarrier always runs first; frames here would be lost on recovery.
            throw new IllegalStateException(buffered() + " frames buffered at snapshot time");
        }
        carried.snapshot();
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (idle()) {
            super.processWatermark(mark);
        } else {
            heldWatermark = mark;
        }
    }

    @Override
    public void endInput() throws Exception {
        flushAndWait();
    }

    @Override
    public void finish() throws Exception {
        flushAndWait();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        if (inferenceThread != null) {
            inferenceThread.close();
            inferenceThread = null;
        }
        if (task != null) {
            task.close();
            task = null;
        }
        super.close();
    }

    /** This instance's metrics (tests). */
    public InferenceMetrics metrics() {
        return metrics;
    }

    /** Frames waiting for a batch or in the batch in flight (tests and metrics). */
    public int buffered() {
        return buffer.size() + (inferenceThread == null ? 0 : inferenceThread.inFlightFrames());
    }

    private boolean idle() {
        return buffer.isEmpty() && (inferenceThread == null || !inferenceThread.busy());
    }

    private void startTimer() {
        long gen = ++timerGeneration;
        long due = getProcessingTimeService().getCurrentProcessingTime() + settings.batchTimeoutMs();
        timer = getProcessingTimeService().registerTimer(due, t -> {
            if (gen == timerGeneration) {
                flush();
            }
        });
    }

    private void flushAndWait() throws Exception {
        flush();
        awaitInFlight();
    }

    /** Starts a batch of what is buffered: on the inference thread with overlap, else here. */
    private void flush() throws Exception {
        if (buffer.isEmpty()) {
            return;
        }
        timerGeneration++;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        awaitInFlight(); // one batch in flight at most: the classifier, its results and batchImages are reused
        if (buffer.isEmpty()) {
            return; // only frames that waited for the batch in flight, now out
        }
        int count = buffer.gather(batchImages);
        long startedAt = getProcessingTimeService().getCurrentProcessingTime();
        for (int i = 0; i < buffer.size(); i++) {
            metrics.waited(buffer.waitedMs(i, startedAt));
        }
        List<StreamRecord<ModelFrame>> frames = buffer.take();
        int d = 0;
        for (StreamRecord<ModelFrame> r : frames) {
            if (r.getValue().infer()) {
                batchWidths[d] = r.getValue().srcWidth();
                batchHeights[d++] = r.getValue().srcHeight();
            }
        }
        long startMs = System.currentTimeMillis();
        if (inferenceThread == null) {
            complete(frames, run(count, startMs));
        } else {
            inferenceThread.start(frames, () -> run(count, startMs), this::awaitInFlight);
        }
    }

    /** One batch's results ({@link TaskModel#run}), made on the inference thread with overlap. */
    private record Batch(Object[] results, int size, long startMs, long nanos) {
    }

    private Batch run(int n, long startMs) {
        long t0 = System.nanoTime();
        Object[] results = task.run(batchImages, n, batchWidths, batchHeights);
        return new Batch(results, n, startMs, System.nanoTime() - t0);
    }

    /** Waits for the batch in flight, if any, and emits its events, then the frames that waited for it. */
    private void awaitInFlight() throws Exception {
        InferenceThread.Done<Batch> done = inferenceThread == null ? null : inferenceThread.take();
        if (done == null) {
            return;
        }
        complete(done.frames(), done.batch());
        if (buffer.toInfer() == 0 && !buffer.isEmpty()) {
            // frames to carry whose camera had frames in flight: their result is known now
            complete(buffer.take(), null);
        }
    }

    /** Emits the events of {@code frames} in order; {@code batch} is null when none of them is inferred. */
    private void complete(List<StreamRecord<ModelFrame>> frames, Batch batch) throws Exception {
        String batchId = null;
        double inferenceMs = 0;
        if (batch != null) {
            inferenceMs = batch.nanos() / 1e6;
            metrics.batch(batch.size(), batch.nanos());
            batchId = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() + "-" + (++batches);
        }
        long now = System.currentTimeMillis();
        int j = 0;
        for (StreamRecord<ModelFrame> r : frames) {
            ModelFrame f = r.getValue();
            LabeledEvent e;
            if (f.infer()) {
                e = TaskModel.event(events, f, batch.results()[j++], batchId, batch.size(), batch.startMs(),
                        inferenceMs, now);
                carried.put(e);
            } else {
                e = events.carried(f, carried.get(f.camera()), now);
            }
            buffer.released(f.camera());
            emit(e, r);
        }
        if (batch != null) {
            Arrays.fill(batchImages, 0, batch.size(), null);
        }
        if (heldWatermark != null && idle()) {
            Watermark w = heldWatermark;
            heldWatermark = null;
            super.processWatermark(w);
        }
    }

    private void emit(LabeledEvent e, StreamRecord<ModelFrame> source) {
        metrics.event(Math.round(e.latency().endToEndMs()));
        output.collect(source.hasTimestamp() ? new StreamRecord<>(e, source.getTimestamp()) : new StreamRecord<>(e));
    }
}
