package io.framewise.operators.route;

import io.framewise.operators.deadletter.DeadLetterMetrics;
import io.framewise.operators.records.DeadLetterReason;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** Metrics of {@code RecordRouting}: every record read from Kafka passes it once. */
public final class RoutingMetrics {

    public static final String FRAMES_IN = "framesIn";

    private final Counter framesIn;
    private final DeadLetterMetrics deadLetters;

    public RoutingMetrics(MetricGroup operator) {
        framesIn = operator.counter(FRAMES_IN);
        deadLetters = new DeadLetterMetrics(operator, DeadLetterReason.Stage.ROUTE);
    }

    /** A record read (good or bad): frames in counts records, a segment counts once. */
    public void recordIn() {
        framesIn.inc();
    }

    public void deadLetter(DeadLetterReason reason) {
        deadLetters.count(reason);
    }

    public long framesIn() {
        return framesIn.getCount();
    }

    public DeadLetterMetrics deadLetters() {
        return deadLetters;
    }
}
