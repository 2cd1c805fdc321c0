package io.framewise.operators.episode;

import io.framewise.inference.exec.Segmentation;
import io.framewise.operators.records.Box;
import io.framewise.operators.records.LabeledEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Segmentation: every class but the background (class 0, as in PASCAL VOC) covering at least
 * {@code minArea} of the class map, measured by its area fraction, with the box covering all its pixels
 * (normalized). A classification event observes nothing here.
 */
public final class ClassAreaObservations implements ObservationSource {

    private static final long serialVersionUID = 1L;

    private final double minArea;

    public ClassAreaObservations(double minArea) {
        this.minArea = minArea;
    }

    @Override
    public List<Observation> observe(LabeledEvent e) {
        if (e.classes() == null) {
            return List.of();
        }
        List<Observation> out = new ArrayList<>(2);
        for (Segmentation.ClassArea c : e.classes()) {
            if (c.index() != 0 && c.fraction() >= minArea) {
                double[] b = c.boxFraction();
                out.add(new Observation(e.camera(), c.label(), Observation.AREA, c.fraction(),
                        new Box((float) b[0], (float) b[1], (float) b[2], (float) b[3])));
            }
        }
        return out;
    }
}
