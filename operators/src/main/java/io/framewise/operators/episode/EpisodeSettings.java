package io.framewise.operators.episode;

import java.io.Serializable;

/**
 * The episode operator's options ({@code framewise.episode.*}).
 *
 * @param minFrames   consecutive frames (of the camera, in event time) with the class before an episode opens
 * @param gapMs       event time without the class after which its episode closes: an observation at
 *                    exactly {@code last + gapMs} starts a new episode
 * @param cameraTtlMs state of a camera not written for this long (processing time) is dropped
 * @param maxPending  frames of one camera held for the watermark at most; past it the oldest half is
 *                    applied without waiting (the bound on a camera's state when partitions drift apart)
 */
public record EpisodeSettings(int minFrames, long gapMs, long cameraTtlMs, int maxPending) implements Serializable {

    /** 100 s of a 30 fps camera; the watermark's usual lag (out-of-orderness 500 ms) holds ~15. */
    public static final int DEFAULT_MAX_PENDING = 3000;

    public EpisodeSettings {
        if (minFrames < 1 || gapMs < 1 || cameraTtlMs < 1 || maxPending < 2) {
            throw new IllegalArgumentException("episode min-frames, gap-ms and camera-ttl-ms must be positive and"
                    + " max-pending-frames at least 2: " + minFrames + ", " + gapMs + ", " + cameraTtlMs + ", "
                    + maxPending);
        }
    }

    public EpisodeSettings(int minFrames, long gapMs, long cameraTtlMs) {
        this(minFrames, gapMs, cameraTtlMs, DEFAULT_MAX_PENDING);
    }
}
