package io.framewise.operators.episode;

import io.framewise.operators.records.LabeledEvent;
import java.util.List;

/** Classification: the top-1 class when its score is at least {@code minScore}; no box. */
public final class TopClassObservations implements ObservationSource {

    private static final long serialVersionUID = 1L;

    private final double minScore;

    public TopClassObservations(double minScore) {
        this.minScore = minScore;
    }

    @Override
    public List<Observation> observe(LabeledEvent e) {
        if (e.top().isEmpty() || e.top().get(0).score() < minScore) {
            return List.of();
        }
        LabeledEvent.Top t = e.top().get(0);
        return List.of(new Observation(e.camera(), t.label(), Observation.SCORE, t.score(), null));
    }
}
