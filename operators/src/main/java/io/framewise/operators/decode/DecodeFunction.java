package io.framewise.operators.decode;

import io.framewise.operators.deadletter.DeadLetters;
import io.framewise.operators.frames.FrameFormatException;
import io.framewise.operators.frames.FrameRecordMeta;
import io.framewise.operators.gate.ChangeGate;
import io.framewise.operators.gate.GateSettings;
import io.framewise.operators.isolate.CrashQuarantine;
import io.framewise.operators.isolate.DecodeWatchdog;
import io.framewise.operators.isolate.IsolationSettings;
import io.framewise.operators.isolate.TestFaults;
import io.framewise.operators.records.GateReading;
import io.framewise.operators.records.DeadLetter;
import io.framewise.operators.records.DeadLetterReason;
import io.framewise.operators.records.FrameRecord;
import io.framewise.operators.records.ModelFrame;
import io.framewise.operators.state.CameraStateTtl;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.kafka.common.header.Headers;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import static io.framewise.operators.state.CameraStateTtl.expiring;

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
 *
 * <p>Isolation (docs/decoder-isolation.md): native decoding runs on a decode thread under a
 * {@link DecodeWatchdog} (a record that takes longer than the decode timeout is a {@code DECODE_TIMEOUT}
 * dead letter), and each record is marked in a {@link CrashQuarantine} while it decodes, so the record
 * that killed the process is a {@code DECODER_CRASH} dead letter when the restarted job replays it.
 */
public final class DecodeFunction extends KeyedProcessFunction<String, FrameRecord, ModelFrame> {

    private static final Logger LOG = LoggerFactory.getLogger(DecodeFunction.class);

    private static final long serialVersionUID = 1L;

    private final DecodeSettings settings;
    private final int metricsMaxCameras;
    private final GateSettings gateSettings;
    private final IsolationSettings isolation;
    private final long cameraStateTtlMs;

    private transient DecodeWatchdog<FrameDecoder> decoder;
    private transient CrashQuarantine quarantine;
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
        this(settings, metricsMaxCameras, gate, IsolationSettings.defaults("default"));
    }

    public DecodeFunction(DecodeSettings settings, int metricsMaxCameras, GateSettings gate,
                          IsolationSettings isolation) {
        this(settings, metricsMaxCameras, gate, isolation, CameraStateTtl.DEFAULT_MS);
    }

    /** @param cameraStateTtlMs a camera's sampling, sequence and gate state expires after this long unseen */
    public DecodeFunction(DecodeSettings settings, int metricsMaxCameras, GateSettings gate,
                          IsolationSettings isolation, long cameraStateTtlMs) {
        CameraStateTtl.config(cameraStateTtlMs); // validates
        this.cameraStateTtlMs = cameraStateTtlMs;
        this.settings = settings;
        this.metricsMaxCameras = metricsMaxCameras;
        this.gateSettings = gate;
        this.isolation = isolation;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        close(); // opened twice (test harnesses do): no second decode thread or marker left behind
        metrics = new DecodeMetrics(getRuntimeContext().getMetricGroup(), metricsMaxCameras, System::currentTimeMillis);
        String thread = "framewise-decode-" + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        decoder = new DecodeWatchdog<>(thread,
                () -> new FrameDecoder(settings.modelWidth(), settings.modelHeight(), settings.limits()),
                isolation.timeoutMs(), isolation.maxStuckThreads(), metrics::threadAbandoned);
        quarantine = CrashQuarantine.open(isolation.markerDir());
        // same names as before the TTL: restore migrates the old entries (CameraStateTtl)
        long ttl = cameraStateTtlMs;
        framesSeen = getRuntimeContext().getState(expiring(new ValueStateDescriptor<>("frames-seen", Types.LONG), ttl));
        lastInferredPts = getRuntimeContext().getState(
                expiring(new ValueStateDescriptor<>("last-inferred-pts", Types.LONG), ttl));
        lastSequence = getRuntimeContext().getState(expiring(new ValueStateDescriptor<>("last-sequence", Types.LONG), ttl));
        if (gateSettings.enabled()) {
            gate = new ChangeGate(gateSettings);
            gateThumbnail = getRuntimeContext().getState(expiring(
                    new ValueStateDescriptor<>("gate-thumbnail", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO), ttl));
            gatePts = getRuntimeContext().getState(expiring(new ValueStateDescriptor<>("gate-pts", Types.LONG), ttl));
        }
    }

    @Override
    public void processElement(FrameRecord r, Context ctx, Collector<ModelFrame> out) throws Exception {
        long t0 = System.nanoTime();
        Headers headers = r.kafkaHeaders();
        FrameRecordMeta parsed;
        try {
            parsed = FrameRecordMeta.parse(headers, r.value());
        } catch (FrameFormatException e) {
            parsed = null; // the decoder maps header problems to reason codes
        }
        FrameRecordMeta meta = parsed;
        DecodeResult result;
        CrashQuarantine.Suspicion suspicion = r.topic() == null ? null
                : quarantine.takeSuspect(r.topic(), r.partition(), r.offset());
        if (suspicion != null && suspicion.convicted(isolation.crashStrikes())) {
            result = DecodeResult.failed(DeadLetterReason.DECODER_CRASH, crashMessage(suspicion));
        } else {
            if (suspicion != null) {
                LOG.warn("A TaskManager died while decoding {}@{}@{} (camera {}) and left no fatal error report: killed"
                        + " from outside or a silent crash. Decoding it again (death {} of the {} that make it a"
                        + " DECODER_CRASH dead letter).", r.topic(), r.partition(), r.offset(), r.camera(),
                        suspicion.deaths(), isolation.crashStrikes());
            }
            result = isolatedDecode(r, meta, headers, suspicion == null ? 0 : suspicion.deaths());
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

    private static String crashMessage(CrashQuarantine.Suspicion s) {
        if (s.crashReport() != null) {
            return "a process crashed while decoding this record (its quarantine marker outlived it; fatal error"
                    + " report " + s.crashReport() + "): not decoded again";
        }
        return s.deaths() + " processes died while decoding this record (its quarantine marker outlived them;"
                + " no fatal error report, so each could have been killed from outside): not decoded again";
    }

    /** Decodes on the watchdog's decode thread, the record marked in the quarantine meanwhile. */
    private DecodeResult isolatedDecode(FrameRecord r, FrameRecordMeta meta, Headers headers, int deaths)
            throws InterruptedException {
        CrashQuarantine.Marker marker = r.topic() == null ? null
                : quarantine.mark(r.topic(), r.partition(), r.offset(), deaths);
        try {
            DecodeWatchdog.Outcome<DecodeResult> o = decoder.run(d -> {
                TestFaults.apply(r.headers());
                return meta != null ? d.decode(meta, r.value()) : d.decode(headers, r.value());
            });
            return o.timedOut()
                    ? DecodeResult.failed(DeadLetterReason.DECODE_TIMEOUT, "decoding took longer than "
                            + isolation.timeoutMs() + " ms; the decode thread was abandoned")
                    : o.value();
        } finally {
            if (marker != null) {
                marker.close();
            }
        }
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
    public void close() throws Exception {
        if (quarantine != null) {
            quarantine.close();
            quarantine = null;
        }
        if (decoder != null) {
            DecodeWatchdog<FrameDecoder> d = decoder;
            decoder = null;
            d.close();
        }
    }

    private static long valueOr(Long v, long dflt) {
        return v == null ? dflt : v;
    }
}
