package io.framewise.operators.decode;

import io.framewise.operators.deadletter.DeadLetterMetrics;
import io.framewise.operators.records.DeadLetterReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Metrics of {@code DecodeFunction}: frames decoded, failures per {@link DeadLetterReason} (all of them
 * registered up front: a fixed, bounded label set) and per-camera rates ({@link CameraMetrics}).
 */
public final class DecodeMetrics {

    public static final String FRAMES_DECODED = "framesDecoded";
    public static final String DECODE_FAILURES = "decodeFailures";
    public static final String DECODE_THREADS_ABANDONED = "decodeThreadsAbandoned";

    private final Counter framesDecoded;
    private final Counter failures;
    private final Counter threadsAbandoned;
    private final Map<DeadLetterReason, Counter> failuresByReason = new EnumMap<>(DeadLetterReason.class);
    private final DeadLetterMetrics deadLetters;
    private final CameraMetrics cameras;

    public DecodeMetrics(MetricGroup operator, int maxCameras, LongSupplier clockMs) {
        framesDecoded = operator.counter(FRAMES_DECODED);
        failures = operator.counter(DECODE_FAILURES);
        threadsAbandoned = operator.counter(DECODE_THREADS_ABANDONED);
        for (DeadLetterReason r : DeadLetterReason.of(DeadLetterReason.Stage.DECODE)) {
            failuresByReason.put(r, operator.addGroup(DeadLetterMetrics.REASON_GROUP, r.name()).counter(DECODE_FAILURES));
        }
        deadLetters = new DeadLetterMetrics(operator, DeadLetterReason.Stage.DECODE);
        cameras = new CameraMetrics(operator, maxCameras, clockMs);
    }

    /** A record of {@code camera} decoded to {@code frames} frames. */
    public void decoded(String camera, int frames) {
        framesDecoded.inc(frames);
        cameras.seen(camera);
        cameras.frames(camera, frames);
    }

    /** A record of {@code camera} failed to decode: it becomes one dead letter. */
    public void failed(String camera, DeadLetterReason reason) {
        failures.inc();
        failuresByReason.get(reason).inc();
        deadLetters.count(reason);
        cameras.seen(camera);
    }

    /** A decode thread stuck past the decode timeout was abandoned. */
    public void threadAbandoned() {
        threadsAbandoned.inc();
    }

    public long threadsAbandoned() {
        return threadsAbandoned.getCount();
    }

    /** A frame of {@code camera} the change gate let skip inference. */
    public void gated(String camera) {
        cameras.gated(camera);
    }

    public long framesDecoded() {
        return framesDecoded.getCount();
    }

    public long failures() {
        return failures.getCount();
    }

    public long failures(DeadLetterReason reason) {
        return failuresByReason.get(reason).getCount();
    }

    public DeadLetterMetrics deadLetters() {
        return deadLetters;
    }

    public CameraMetrics cameras() {
        return cameras;
    }
}
