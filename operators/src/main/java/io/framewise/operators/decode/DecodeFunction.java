package io.framewise.operators.decode;

import io.framewise.operators.deadletter.DeadLetters;
import io.framewise.operators.frames.FrameFormatException;
import io.framewise.operators.frames.FrameRecordMeta;
import io.framewise.operators.gate.ChangeGate;
import io.framewise.operators.gate.GateSettings;
import io.framewise.operators.records.GateReading;
import io.framewise.operators.records.DeadLetter;
import io.framewise.operators.records.FrameRecord;
import io.framewise.operators.records.ModelFrame;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.kafka.common.header.Headers;

/**
 * Decodes the frame records of each camera (keyed by camera id) into model-ready frames and decides,
 * per camera, which of them the model runs on.
 *
 * <p>Sampling state per camera: frames seen and the presentation time of the last inferred frame.
 * Frame {@code i} (counting from 0 across records) is a candidate when {@code i % inferenceInterval
 * == 0}; a candidate closer than {@code 1000 / maxFps} ms of presentation time to the last inferred
 * frame is skipped too. Skipped frames are still emitted with {@code infer=false}: downstream gives
 * them an event that carries the camera's last result. Presentation time, not wall clock, so a replay
 * after recovery samples exactly the same frames.
 *
 * <p>Change gate ({@link GateSettings}, off by default): a frame sampling picks is compared with the
 * camera's last inferred frame (its {@link ChangeGate} thumbnail and presentation time, keyed state, so
 * the comparison survives restarts and rescaling); when it barely differs it is emitted with
 * {@code infer=false} and its {@link GateReading}, and carries the last result like a sampled-out frame.
 *
 * <p>Every record that does not decode becomes one {@link DeadLetter} on {@link DeadLetters#TAG}; this
 * function never fails the job because of input.
 */
public final class DecodeFunction extends KeyedProcessFunction<String, FrameRecord, ModelFrame> {

    private static final long serialVersionUID = 1L;

    private final DecodeSettings settings;
    private final int metricsMaxCameras;
    private final GateSettings gateSettings;

    private transient FrameDecoder decoder;
    private transient ValueState<Long> framesSeen;
    private transient ValueState<Long> lastInferredPts;
    private transient ValueState<Long> lastSequence;
    private transient ChangeGate gate;
    private transient ValueState<byte[]> gateThumbnail; // of the camera's last inferred frame
    private transient ValueState<Long> gatePts;          // its presentation time

    private transient DecodeMetrics metrics;

    public DecodeFunction(DecodeSettings settings) {
        this(settings, CameraMetrics.DEFAULT_MAX_CAMERAS);
    }

    /** @param metricsMaxCameras cameras with their own metric series per subtask; the rest share one */
    public DecodeFunction(DecodeSettings settings, int metricsMaxCameras) {
        this(settings, metricsMaxCameras, GateSettings.OFF);
    }

    public DecodeFunction(DecodeSettings settings, int metricsMaxCameras, GateSettings gate) {
        this.settings = settings;
        this.metricsMaxCameras = metricsMaxCameras;
        this.gateSettings = gate;
    }

    @Override
    public void open(OpenContext openContext) {
        decoder = new FrameDecoder(settings.modelWidth(), settings.modelHeight(), settings.limits());
        metrics = new DecodeMetrics(getRuntimeContext().getMetricGroup(), metricsMaxCameras, System::currentTimeMillis);
        framesSeen = getRuntimeContext().getState(new ValueStateDescriptor<>("frames-seen", Types.LONG));
        lastInferredPts = getRuntimeContext().getState(new ValueStateDescriptor<>("last-inferred-pts", Types.LONG));
        lastSequence = getRuntimeContext().getState(new ValueStateDescriptor<>("last-sequence", Types.LONG));
        if (gateSettings.enabled()) {
            gate = new ChangeGate(gateSettings);
            gateThumbnail = getRuntimeContext().getState(
                    new ValueStateDescriptor<>("gate-thumbnail", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
            gatePts = getRuntimeContext().getState(new ValueStateDescriptor<>("gate-pts", Types.LONG));
        }
    }

    @Override
    public void processElement(FrameRecord r, Context ctx, Collector<ModelFrame> out) throws Exception {
        long t0 = System.nanoTime();
        Headers headers = r.kafkaHeaders();
        FrameRecordMeta meta;
        DecodeResult result;
        try {
            meta = FrameRecordMeta.parse(headers, r.value());
            result = decoder.decode(meta, r.value());
        } catch (FrameFormatException e) {
            meta = null;
            result = decoder.decode(headers, r.value()); // the decoder maps header problems to reason codes
        }
        long nanos = System.nanoTime() - t0;
        DecodeFailure anomaly = result.isOk() ? StreamChecks.check(meta, r.kafkaTimestamp(), lastSequence.value()) : null;
        if (anomaly != null) {
            result = DecodeResult.failed(anomaly.reason(), anomaly.message());
        }
        if (!result.isOk()) {
            DecodeFailure f = result.failure();
            metrics.failed(r.camera(), f.reason());
            DeadLetter d = DeadLetter.of(r, f.reason(), f.message(), System.currentTimeMillis());
            ctx.output(DeadLetters.TAG, d.withinRecordLimit(settings.maxEncodedBytes()));
            return;
        }
        List<DecodedFrame> frames = result.frames();
        metrics.decoded(r.camera(), frames.size());
        long decodedAt = System.currentTimeMillis();
        long perFrame = nanos / Math.max(1, frames.size());
        long seen = valueOr(framesSeen.value(), 0L);
        Long last = lastInferredPts.value();
        for (DecodedFrame f : frames) {
            boolean infer = seen % settings.inferenceInterval() == 0;
            // A pts before the last inferred one means the camera restarted its clock: start over.
            if (infer && last != null && f.ptsMs() >= last && f.ptsMs() - last < settings.minInferGapMs()) {
                infer = false;
            }
            GateReading gated = infer && gate != null ? gate(r.camera(), f) : null;
            if (gated != null) {
                infer = false;
            }
            if (infer) {
                last = f.ptsMs();
            }
            seen++;
            out.collect(new ModelFrame(r.camera(), meta.sequence(), f.index(), frames.size(), meta.captureTsMs(),
                    f.ptsMs(), r.topic(), r.partition(), r.offset(), f.rgb(), f.sourceWidth(), f.sourceHeight(),
                    perFrame, decodedAt, infer, gated));
        }
        framesSeen.update(seen);
        lastSequence.update(meta.sequence());
        lastInferredPts.update(last);
    }

    /**
     * The gate's verdict on a frame sampling picked: its reading when it may skip inference, else null
     * (and the frame becomes the camera's new reference).
     */
    private GateReading gate(String camera, DecodedFrame f) throws Exception {
        byte[] thumb = ChangeGate.thumbnail(f.rgb(), settings.modelWidth(), settings.modelHeight());
        ChangeGate.Decision d = gate.decide(thumb, f.ptsMs(), gateThumbnail.value(), gatePts.value());
        if (d.skip()) {
            metrics.gated(camera);
            return d.reading();
        }
        gateThumbnail.update(thumb);
        gatePts.update(f.ptsMs());
        return null;
    }

    /** This instance's metrics (tests). */
    public DecodeMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        if (decoder != null) {
            decoder.close();
            decoder = null;
        }
    }

    private static long valueOr(Long v, long dflt) {
        return v == null ? dflt : v;
    }
}
