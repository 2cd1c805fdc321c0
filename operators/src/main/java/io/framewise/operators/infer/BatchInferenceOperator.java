package io.framewise.operators.infer;

import io.framewise.inference.exec.Classification;
import io.framewise.inference.exec.Classifier;
import io.framewise.inference.exec.ClassifierOptions;
import io.framewise.inference.exec.CompiledModel;
import io.framewise.inference.exec.SharedModels;
import io.framewise.operators.decode.DecodeFunction;
import io.framewise.operators.metrics.InferenceMetrics;
import io.framewise.operators.records.DeadLetter;
import io.framewise.operators.records.LabeledEvent;
import io.framewise.operators.records.ModelFrame;
import io.framewise.operators.records.types.LabeledEventSerializer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Batches frames from every camera this subtask receives and runs the classifier on them (the
 * nvstreammux + nvinfer of this pipeline).
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
 */
public final class BatchInferenceOperator extends AbstractStreamOperator<LabeledEvent>
        implements OneInputStreamOperator<ModelFrame, LabeledEvent>, BoundedOneInput {

    private static final long serialVersionUID = 1L;

    /** Frames the model cannot take (reason {@link DeadLetter#MODEL_REJECTED}); the same tag as decoding's. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = DecodeFunction.DEAD_LETTERS;

    private final InferenceSettings settings;

    private transient CompiledModel model;
    private transient Classifier classifier;
    private transient String modelName;
    private transient String modelSha256;

    private transient List<StreamRecord<ModelFrame>> buffer; // arrival order
    private transient Map<String, Integer> bufferedPerCamera;
    private transient byte[][] batchImages; // [batchSize] views of the buffered frames' pixels
    private transient int toInfer;
    private transient ScheduledFuture<?> timer;
    private transient long timerGeneration;
    private transient long batches;
    private transient Watermark heldWatermark;
    private transient InferenceMetrics metrics;
    private transient long[] arrivedMs; // [buffer index] processing time the frame entered the buffer

    private transient ExecutorService inferenceThread; // overlap only
    private transient Future<Batch> inFlight;
    private transient List<StreamRecord<ModelFrame>> inFlightFrames; // arrival order
    private transient long inFlightGeneration;
    private transient MailboxExecutor mailbox; // runs a finished batch's emission on the task thread

    private transient Map<String, LabeledEvent> lastResult; // camera -> last inferred event
    private transient ListState<LabeledEvent> lastResultState;

    public BatchInferenceOperator(InferenceSettings settings) {
        this.settings = settings;
    }

    public InferenceSettings settings() {
        return settings;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        lastResult = new HashMap<>();
        // Union, not split: a split list is dealt out round-robin on rescale, so a camera's last result
        // would land on a subtask that never sees the camera. Every subtask gets all entries and keeps
        // those of the cameras keyBy(camera) routes to it.
        lastResultState = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("last-result-per-camera", LabeledEventSerializer.TYPE_INFO));
        TaskInfo task = getRuntimeContext().getTaskInfo();
        for (LabeledEvent e : lastResultState.get()) {
            if (KeyGroupRangeAssignment.assignKeyToParallelOperator(e.camera(), task.getMaxNumberOfParallelSubtasks(),
                    task.getNumberOfParallelSubtasks()) == task.getIndexOfThisSubtask()) {
                lastResult.put(e.camera(), e);
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        model = SharedModels.load(settings.model(), settings.labels());
        classifier = new Classifier(model, new ClassifierOptions(settings.topK(), settings.batchSize(),
                settings.threads(), false));
        modelName = model.graph().name();
        modelSha256 = model.graph().sha256();
        buffer = new ArrayList<>();
        bufferedPerCamera = new HashMap<>();
        batchImages = new byte[settings.batchSize()][];
        metrics = new InferenceMetrics(getMetricGroup(), settings.batchSize());
        arrivedMs = new long[settings.batchSize()];
        if (lastResult == null) {
            lastResult = new HashMap<>();
        }
        // Restored with another model: an old result carried under the new model's name and checksum
        // would mislabel events, so each camera's next frame is inferred with the new model instead.
        lastResult.values().removeIf(e -> !modelSha256.equals(e.modelSha256()));
        if (settings.overlap()) {
            String name = "framewise-inference " + getRuntimeContext().getTaskInfo().getTaskNameWithSubtasks();
            mailbox = getContainingTask().getMailboxExecutorFactory()
                    .createExecutor(getOperatorConfig().getChainIndex());
            inferenceThread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }
    }

    @Override
    public void processElement(StreamRecord<ModelFrame> element) throws Exception {
        if (inFlight != null && inFlight.isDone()) {
            awaitInFlight();
        }
        ModelFrame f = element.getValue();
        if (f.pixels().length != model.imageBytes()) {
            reject(f);
            return;
        }
        boolean waiting = bufferedPerCamera.getOrDefault(f.camera(), 0) > 0;
        if (!f.infer() && !waiting && lastResult.containsKey(f.camera())) {
            emit(carried(f, lastResult.get(f.camera()), System.currentTimeMillis()), element);
            return;
        }
        boolean infer = f.infer() || (!waiting && !lastResult.containsKey(f.camera()));
        ModelFrame kept = infer == f.infer() ? f : withInfer(f);
        // The caller may reuse its StreamRecord for the next element: keep our own.
        if (buffer.size() == arrivedMs.length) {
            arrivedMs = Arrays.copyOf(arrivedMs, 2 * arrivedMs.length);
        }
        arrivedMs[buffer.size()] = getProcessingTimeService().getCurrentProcessingTime();
        buffer.add(element.hasTimestamp() ? new StreamRecord<>(kept, element.getTimestamp()) : new StreamRecord<>(kept));
        bufferedPerCamera.merge(f.camera(), 1, Integer::sum);
        if (infer) {
            toInfer++;
            if (toInfer == 1) {
                startTimer();
            }
            if (toInfer >= settings.batchSize()) {
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
        if (!buffer.isEmpty() || inFlight != null) {
            // prepareSnapshotPreBarrier always runs first; frames here would be lost on recovery.
            throw new IllegalStateException(buffered() + " frames buffered at snapshot time");
        }
        lastResultState.update(new ArrayList<>(lastResult.values()));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (buffer.isEmpty() && inFlight == null) {
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
            // the classifier must not be closed under a batch that is still running
            inferenceThread.shutdownNow();
            inferenceThread.awaitTermination(30, TimeUnit.SECONDS);
            inferenceThread = null;
        }
        if (classifier != null) {
            classifier.close();
            classifier = null;
        }
        super.close();
    }

    /** This instance's metrics (tests). */
    public InferenceMetrics metrics() {
        return metrics;
    }

    /** Frames waiting for a batch or in the batch in flight (tests and metrics). */
    public int buffered() {
        return buffer.size() + (inFlight == null ? 0 : inFlightFrames.size());
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
        int n = 0;
        for (StreamRecord<ModelFrame> r : buffer) {
            if (r.getValue().infer()) {
                batchImages[n++] = r.getValue().pixels();
            }
        }
        long startedAt = getProcessingTimeService().getCurrentProcessingTime();
        for (int i = 0; i < buffer.size(); i++) {
            metrics.waited(Math.max(0, startedAt - arrivedMs[i]));
        }
        List<StreamRecord<ModelFrame>> frames = buffer;
        buffer = new ArrayList<>();
        toInfer = 0;
        int count = n;
        long startMs = System.currentTimeMillis();
        if (inferenceThread == null) {
            complete(frames, run(count, startMs));
            return;
        }
        inFlightFrames = frames;
        long gen = ++inFlightGeneration;
        CompletableFuture<Batch> batch = CompletableFuture.supplyAsync(() -> run(count, startMs), inferenceThread);
        inFlight = batch;
        batch.whenComplete((b, e) -> {
            try {
                // a later generation: the batch was already emitted by whoever waited for it
                mailbox.execute(() -> {
                    if (gen == inFlightGeneration) {
                        awaitInFlight();
                    }
                }, "emit batch %s", gen);
            } catch (RejectedExecutionException closed) {
                // the task is shutting down: its finish() or cancellation owns the batch
            }
        });
    }

    /** One batch's classifications, made on the inference thread with overlap. */
    private record Batch(Classification[] results, int size, long startMs, long nanos) {
    }

    private Batch run(int n, long startMs) {
        long t0 = System.nanoTime();
        Classification[] results = classifier.classify(batchImages, n);
        return new Batch(results, n, startMs, System.nanoTime() - t0);
    }

    /** Waits for the batch in flight, if any, and emits its events, then the frames that waited for it. */
    private void awaitInFlight() throws Exception {
        if (inFlight == null) {
            return;
        }
        Batch done;
        try {
            done = inFlight.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        List<StreamRecord<ModelFrame>> frames = inFlightFrames;
        inFlight = null;
        inFlightFrames = null;
        inFlightGeneration++;
        complete(frames, done);
        if (toInfer == 0 && !buffer.isEmpty()) {
            // frames to carry whose camera had frames in flight: their result is known now
            List<StreamRecord<ModelFrame>> carried = buffer;
            buffer = new ArrayList<>();
            complete(carried, null);
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
                e = inferred(f, batch.results()[j++], batchId, batch.size(), batch.startMs(), inferenceMs, now);
                lastResult.put(f.camera(), e);
            } else {
                e = carried(f, lastResult.get(f.camera()), now);
            }
            bufferedPerCamera.computeIfPresent(f.camera(), (c, k) -> k > 1 ? k - 1 : null);
            emit(e, r);
        }
        if (batch != null) {
            Arrays.fill(batchImages, 0, batch.size(), null);
        }
        if (heldWatermark != null && buffer.isEmpty() && inFlight == null) {
            Watermark w = heldWatermark;
            heldWatermark = null;
            super.processWatermark(w);
        }
    }

    private LabeledEvent inferred(ModelFrame f, Classification c, String batchId, int batchSize, long startMs,
                                  double inferenceMs, long now) {
        List<LabeledEvent.Top> top = new ArrayList<>(c.k());
        for (int r = 0; r < c.k(); r++) {
            top.add(new LabeledEvent.Top(c.index(r), c.label(r), c.score(r)));
        }
        return event(f, top, true, batchId, batchSize, Math.max(0, startMs - f.decodedAtMs()), inferenceMs, now);
    }

    private LabeledEvent carried(ModelFrame f, LabeledEvent last, long now) {
        return event(f, last.top(), false, last.batchId(), last.batchSize(), Math.max(0, now - f.decodedAtMs()), 0,
                now);
    }

    private LabeledEvent event(ModelFrame f, List<LabeledEvent.Top> top, boolean inferred, String batchId,
                               int batchSize, double queueMs, double inferenceMs, long now) {
        LabeledEvent.Latency latency = new LabeledEvent.Latency(f.decodeNanos() / 1e6, queueMs, inferenceMs,
                now - f.captureTsMs());
        return new LabeledEvent(f.camera(), f.sequence(), f.indexInSegment(), f.captureTsMs(), f.ptsMs(), f.topic(),
                f.partition(), f.offset(), modelName, modelSha256, top, inferred, batchId, batchSize, latency);
    }

    private void emit(LabeledEvent e, StreamRecord<ModelFrame> source) {
        metrics.event(Math.round(e.latency().endToEndMs()));
        output.collect(source.hasTimestamp() ? new StreamRecord<>(e, source.getTimestamp()) : new StreamRecord<>(e));
    }

    private void reject(ModelFrame f) {
        String message = "frame of " + f.pixels().length + " bytes; " + modelName + " takes "
                + model.input().width() + "x" + model.input().height() + "x3 = " + model.imageBytes() + " bytes";
        metrics.deadLetter(DeadLetter.MODEL_REJECTED);
        // The encoded record is gone by now: the dead letter keeps the key and the source coordinates.
        output.collect(DEAD_LETTERS, new StreamRecord<>(new DeadLetter(f.camera().getBytes(StandardCharsets.UTF_8),
                null, Map.of(), DeadLetter.MODEL_REJECTED, message, f.topic(), f.partition(), f.offset(), f.camera(),
                System.currentTimeMillis())));
    }

    private static ModelFrame withInfer(ModelFrame f) {
        return new ModelFrame(f.camera(), f.sequence(), f.indexInSegment(), f.framesInSegment(), f.captureTsMs(),
                f.ptsMs(), f.topic(), f.partition(), f.offset(), f.pixels(), f.srcWidth(), f.srcHeight(),
                f.decodeNanos(), f.decodedAtMs(), true);
    }
}
