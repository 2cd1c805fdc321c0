package io.framewise.pipeline.produce.encode;

/**
 * Caps a frame rate by dropping frames on the presentation clock: a frame is kept when it is due, and
 * the next one becomes due one target interval later. Works for any source rate, including variable
 * rates, without drift (the schedule advances by the interval, not by the kept frame's time).
 */
public final class FrameSampler {

    private final long intervalMicros;
    private long nextDue = Long.MIN_VALUE;

    /** @param maxFps the cap, or 0 / negative for none */
    public FrameSampler(double maxFps) {
        this.intervalMicros = maxFps > 0 ? Math.round(1_000_000.0 / maxFps) : 0;
    }

    /** The rate a source of {@code sourceFps} has after this sampler (0 when unknown). */
    public static double effectiveRate(double sourceFps, double maxFps) {
        if (maxFps <= 0) {
            return sourceFps;
        }
        return sourceFps > 0 ? Math.min(sourceFps, maxFps) : maxFps;
    }

    /**
     * Frames a source of {@code sourceFrames} frames at {@code sourceFps} gives at {@code keptFps}
     * after sampling; the source's own count when either rate or the count is unknown.
     */
    public static long expectedFrames(long sourceFrames, double sourceFps, double keptFps) {
        if (sourceFrames < 0 || keptFps <= 0 || sourceFps <= 0) {
            return sourceFrames;
        }
        return (long) Math.ceil(sourceFrames * keptFps / sourceFps);
    }

    public boolean keep(long ptsMicros) {
        if (intervalMicros == 0) {
            return true;
        }
        // Half a millisecond of slack: 30 fps sources sampled at 15 fps must not lose every other pick
        // to rounding of 33333/33334 µs timestamps.
        if (nextDue == Long.MIN_VALUE || ptsMicros >= nextDue - 500) {
            // After a gap (stalled stream) restart the schedule instead of letting a burst through.
            boolean behind = nextDue == Long.MIN_VALUE || ptsMicros - nextDue >= intervalMicros;
            nextDue = (behind ? ptsMicros : nextDue) + intervalMicros;
            return true;
        }
        return false;
    }
}
