package io.framewise.operators.episode;

import java.io.Serializable;

/**
 * The episode operator's options ({@code framewise.episode.*}).
 *
 * @param minFrames   consecutive frames (of the camera, in event time) with the class before an episode opens
 * @param gapMs       event time without the class after which its episode closes: an observation at
 *                    exactly {@code last + gapMs} starts a new episode
 * @param cameraTtlMs state of a camera not written for this long (processing time) is dropped
 */
public record EpisodeSettings(int minFrames, long gapMs, long cameraTtlMs) implements Serializable {

    public EpisodeSettings {
        if (minFrames < 1 || gapMs < 1 || cameraTtlMs < 1) {
            throw new IllegalArgumentException("episode min-frames, gap-ms and camera-ttl-ms must be positive: "
                    + minFrames + ", " + gapMs + ", " + cameraTtlMs);
        }
    }
}
