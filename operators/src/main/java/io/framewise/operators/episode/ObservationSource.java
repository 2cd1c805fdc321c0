package io.framewise.operators.episode;

import io.framewise.operators.records.LabeledEvent;
import java.io.Serializable;
import java.util.List;

/**
 * Turns an event into the classes it observes. {@link TopClassObservations} reads classification
 * results; a segmentation event's per-class areas and boxes become observations the same way, through
 * another implementation, without changing {@link EpisodeFunction}.
 */
@FunctionalInterface
public interface ObservationSource extends Serializable {

    /** The classes present in {@code event}'s frame, at most one per label. */
    List<Observation> observe(LabeledEvent event);
}
