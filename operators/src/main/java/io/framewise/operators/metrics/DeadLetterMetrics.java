package io.framewise.operators.metrics;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Dead letters of one operator: {@code deadLetters} in total and {@code reason.deadLetters} per
 * reason. The reasons are a fixed set registered up front (so every series exists from the start,
 * at 0, and the label's cardinality is bounded); an unexpected reason counts in the total only.
 */
public final class DeadLetterMetrics {

    /** Name of the per-reason group; in Prometheus the {@code reason} label. */
    public static final String REASON_GROUP = "reason";
    public static final String DEAD_LETTERS = "deadLetters";

    private final Counter total;
    private final Map<String, Counter> byReason = new LinkedHashMap<>();

    public DeadLetterMetrics(MetricGroup operator, Collection<String> reasons) {
        total = operator.counter(DEAD_LETTERS);
        for (String r : reasons) {
            byReason.put(r, operator.addGroup(REASON_GROUP, r).counter(DEAD_LETTERS));
        }
    }

    public void count(String reason) {
        total.inc();
        Counter c = byReason.get(reason);
        if (c != null) {
            c.inc();
        }
    }

    public long total() {
        return total.getCount();
    }

    /** Dead letters with this reason (0 for a reason outside the fixed set). */
    public long of(String reason) {
        Counter c = byReason.get(reason);
        return c == null ? 0 : c.getCount();
    }
}
