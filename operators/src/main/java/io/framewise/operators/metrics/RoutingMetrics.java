package io.framewise.operators.metrics;

import io.framewise.operators.records.DeadLetter;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** Metrics of {@code RecordRouting}: every record read from Kafka passes it once. */
public final class RoutingMetrics {

    public static final String FRAMES_IN = "framesIn";

    private final Counter framesIn;
    private final DeadLetterMetrics deadLetters;

    public RoutingMetrics(MetricGroup operator) {
        framesIn = operator.counter(FRAMES_IN);
        deadLetters = new DeadLetterMetrics(operator, List.of(DeadLetter.MISSING_KEY));
    }

    /** A record read (good or bad): frames in counts records, a segment counts once. */
    public void recordIn() {
        framesIn.inc();
    }

    public void deadLetter(String reason) {
        deadLetters.count(reason);
    }

    public long framesIn() {
        return framesIn.getCount();
    }

    public DeadLetterMetrics deadLetters() {
        return deadLetters;
    }
}
