package io.framewise.operators.decode;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;

/**
 * Per-camera series under {@code camera.<id>}: decoded frames, frames the change gate skipped, frames/s
 * and the age of the camera's last record. Camera ids are open-ended input, so only the first
 * {@code maxCameras} a subtask sees get their own group; every later one is folded into one group named {@link #OTHER}, which keeps
 * the number of series bounded whatever the producers send. A camera keeps its group while the
 * operator runs: a silent camera shows as a growing last-seen age, the signal an alert wants.
 */
public final class CameraMetrics {

    public static final String CAMERA_GROUP = "camera";
    /** The group of cameras past the limit; a camera literally named "other" is counted in it too. */
    public static final String OTHER = "other";
    public static final String FRAMES = "frames";
    public static final String FRAMES_GATED = "framesGated";
    public static final String FRAMES_PER_SECOND = "framesPerSecond";
    public static final String LAST_SEEN_AGE_MS = "lastSeenAgeMs";
    /** Default of {@code framewise.metrics-max-cameras}. */
    public static final int DEFAULT_MAX_CAMERAS = 16;
    /** The meter's averaging window: short enough to show a camera stopping within a scrape or two. */
    static final int RATE_SECONDS = 10;

    private final MetricGroup operator;
    private final int maxCameras;
    private final LongSupplier clockMs;
    private final Map<String, Camera> cameras = new HashMap<>();
    private Camera other;

    /**
     * @param clockMs wall clock for the last-seen age (the operator's processing time)
     */
    public CameraMetrics(MetricGroup operator, int maxCameras, LongSupplier clockMs) {
        if (maxCameras < 0) {
            throw new IllegalArgumentException("maxCameras must be >= 0, got " + maxCameras);
        }
        this.operator = operator;
        this.maxCameras = maxCameras;
        this.clockMs = clockMs;
    }

    /** A record of {@code camera} arrived (decodable or not). */
    public void seen(String camera) {
        group(camera).lastSeenMs = clockMs.getAsLong();
    }

    /** {@code n} frames of {@code camera} decoded. */
    public void frames(String camera, int n) {
        group(camera).frames.inc(n);
    }

    /** A frame of {@code camera} the change gate let skip inference. */
    public void gated(String camera) {
        group(camera).gated.inc();
    }

    /** Frames the gate skipped for {@code camera}'s group; 0 if never seen. */
    public long gatedOf(String camera) {
        Camera c = cameras.containsKey(camera) ? cameras.get(camera) : other;
        return c == null ? 0 : c.gated.getCount();
    }

    /** Cameras with a group of their own (at most maxCameras). */
    public int tracked() {
        return cameras.size();
    }

    /** Frames counted for {@code camera}'s group (the "other" group's for an untracked camera); 0 if never seen. */
    public long framesOf(String camera) {
        Camera c = cameras.containsKey(camera) ? cameras.get(camera) : other;
        return c == null ? 0 : c.frames.getCount();
    }

    private Camera group(String camera) {
        Camera c = cameras.get(camera);
        if (c != null) {
            return c;
        }
        if (cameras.size() < maxCameras && !OTHER.equals(camera)) {
            c = new Camera(operator.addGroup(CAMERA_GROUP, camera));
            cameras.put(camera, c);
            return c;
        }
        if (other == null) {
            other = new Camera(operator.addGroup(CAMERA_GROUP, OTHER));
        }
        return other;
    }

    private final class Camera {
        final Counter frames;
        final Counter gated;
        long lastSeenMs;

        Camera(MetricGroup g) {
            frames = g.counter(FRAMES);
            gated = g.counter(FRAMES_GATED);
            g.meter(FRAMES_PER_SECOND, new MeterView(frames, RATE_SECONDS));
            lastSeenMs = clockMs.getAsLong();
            g.gauge(LAST_SEEN_AGE_MS, (Gauge<Long>) () -> Math.max(0, clockMs.getAsLong() - lastSeenMs));
        }
    }
}
