package io.framewise.operators.episode;

import io.framewise.operators.records.Box;
import java.util.Objects;

/**
 * A class present in one frame of a camera: what the episode operator consumes, whatever the model.
 *
 * @param measure {@link #SCORE} (classification top-1 score) or {@link #AREA} (segmentation area fraction)
 * @param value   the score or area fraction, 0..1
 * @param box     where in the picture (normalized), null when the model does not say
 */
public record Observation(String camera, String label, String measure, double value, Box box) {

    public static final String SCORE = "score";
    public static final String AREA = "area";

    public Observation {
        Objects.requireNonNull(camera, "camera");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(measure, "measure");
    }
}
