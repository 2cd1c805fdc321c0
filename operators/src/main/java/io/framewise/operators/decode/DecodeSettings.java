package io.framewise.operators.decode;

import java.io.Serializable;

/**
 * What {@link DecodeFunction} needs, shipped with the job graph (hence plain serializable values).
 *
 * @param modelWidth          model input width: frames are resized to it
 * @param modelHeight         model input height
 * @param maxEncodedBytes     see {@link DecodeLimits}
 * @param maxWidth            see {@link DecodeLimits}
 * @param maxHeight           see {@link DecodeLimits}
 * @param maxPixels           see {@link DecodeLimits}
 * @param maxFramesPerSegment see {@link DecodeLimits}
 * @param inferenceInterval   run the model on every Nth frame of a camera (1: every frame)
 * @param maxFps              at most this many inferred frames per second of a camera's presentation
 *                            time; 0 or less: no limit
 */
public record DecodeSettings(int modelWidth, int modelHeight, int maxEncodedBytes, int maxWidth, int maxHeight,
                             long maxPixels, int maxFramesPerSegment, int inferenceInterval, double maxFps)
        implements Serializable {

    public DecodeSettings {
        if (modelWidth <= 0 || modelHeight <= 0) {
            throw new IllegalArgumentException("model input size must be positive: " + modelWidth + "x" + modelHeight);
        }
        if (inferenceInterval < 1) {
            throw new IllegalArgumentException("inferenceInterval must be >= 1, got " + inferenceInterval);
        }
        if (Double.isNaN(maxFps)) {
            throw new IllegalArgumentException("maxFps is NaN");
        }
        limits(maxEncodedBytes, maxWidth, maxHeight, maxPixels, maxFramesPerSegment); // validates
    }

    public static DecodeSettings of(int modelWidth, int modelHeight, DecodeLimits limits, int inferenceInterval,
                                    double maxFps) {
        return new DecodeSettings(modelWidth, modelHeight, limits.maxEncodedBytes(), limits.maxWidth(),
                limits.maxHeight(), limits.maxPixels(), limits.maxFramesPerSegment(), inferenceInterval, maxFps);
    }

    /** Every frame inferred, default limits. */
    public static DecodeSettings defaults(int modelWidth, int modelHeight) {
        return of(modelWidth, modelHeight, DecodeLimits.DEFAULTS, 1, 0);
    }

    public DecodeLimits limits() {
        return limits(maxEncodedBytes, maxWidth, maxHeight, maxPixels, maxFramesPerSegment);
    }

    /** Smallest gap in presentation time between two inferred frames of one camera; 0 without a limit. */
    public double minInferGapMs() {
        return maxFps > 0 ? 1000.0 / maxFps : 0;
    }

    private static DecodeLimits limits(int bytes, int w, int h, long pixels, int frames) {
        return new DecodeLimits(bytes, w, h, pixels, frames);
    }
}
