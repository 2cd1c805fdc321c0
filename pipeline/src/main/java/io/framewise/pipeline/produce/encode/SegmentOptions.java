package io.framewise.pipeline.produce.encode;

/**
 * How to cut video into segments.
 *
 * @param seconds   target segment length; every segment starts on a keyframe
 * @param container output container of each segment
 * @param maxFps    frame-rate cap (forces re-encoding when below the source rate), 0 for none
 */
public record SegmentOptions(double seconds, Container container, double maxFps) {

    public SegmentOptions {
        if (!(seconds > 0) || seconds > 3600) {
            throw new IllegalArgumentException("segment length must be in (0, 3600] seconds, got " + seconds);
        }
        if (container == null) {
            throw new IllegalArgumentException("container is required");
        }
    }

    long cutMicros() {
        return Math.round(seconds * 1_000_000.0);
    }
}
