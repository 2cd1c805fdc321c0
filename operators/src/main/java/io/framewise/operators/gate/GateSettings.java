package io.framewise.operators.gate;

import java.io.Serializable;

/**
 * The change gate's options ({@code framewise.gate.*}).
 *
 * @param enabled        off: every frame sampling picks is inferred
 * @param meanThreshold  mean absolute difference of the grayscale thumbnails (0..255) below which a
 *                       frame may be skipped
 * @param blockThreshold largest mean absolute difference of one block (the thumbnail cut into
 *                       {@link ChangeGate#GRID} x {@link ChangeGate#GRID} blocks) below which a frame may
 *                       be skipped: a small object entering one block is not averaged away
 * @param maxSkipMs      a frame at least this much event time after the camera's last inferred frame is
 *                       inferred whatever the difference
 */
public record GateSettings(boolean enabled, double meanThreshold, double blockThreshold, long maxSkipMs)
        implements Serializable {

    public static final GateSettings OFF = new GateSettings(false, 0, 0, 0);

    public GateSettings {
        if (enabled && (!(meanThreshold >= 0) || !(blockThreshold >= 0) || maxSkipMs <= 0)) {
            throw new IllegalArgumentException("gate thresholds must be >= 0 and max-skip-ms > 0: mean "
                    + meanThreshold + ", block " + blockThreshold + ", max-skip-ms " + maxSkipMs);
        }
    }
}
