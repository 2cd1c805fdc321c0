package io.framewise.operators.deadletter;

import io.framewise.operators.records.DeadLetterReason;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Dead letters of one operator: {@code deadLetters} in total and {@code reason.deadLetters} per
 * reason. The reasons are those of the operator's stage, registered up front (so every series exists
 * from the start, at 0, and the label's cardinality is bounded); a reason of another stage counts in
 * the total only.
 */
public final class DeadLetterMetrics {

    /** Name of the per-reason group; in Prometheus the {@code reason} label. */
    public static final String REASON_GROUP = "reason";
    public static final String DEAD_LETTERS = "deadLetters";

    private final Counter total;
    private final Map<DeadLetterReason, Counter> byReason = new EnumMap<>(DeadLetterReason.class);

    public DeadLetterMetrics(MetricGroup operator, DeadLetterReason.Stage stage) {
        total = operator.counter(DEAD_LETTERS);
        for (DeadLetterReason r : DeadLetterReason.of(stage)) {
            byReason.put(r, operator.addGroup(REASON_GROUP, r.name()).counter(DEAD_LETTERS));
        }
    }

    public void count(DeadLetterReason reason) {
        total.inc();
        Counter c = byReason.get(reason);
        if (c != null) {
            c.inc();
        }
    }

    public long total() {
        return total.getCount();
    }

    /** Dead letters with this reason (0 for a reason of another stage). */
    public long of(DeadLetterReason reason) {
        Counter c = byReason.get(reason);
        return c == null ? 0 : c.getCount();
    }
}
