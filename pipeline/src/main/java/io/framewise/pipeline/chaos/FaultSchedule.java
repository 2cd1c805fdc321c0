package io.framewise.pipeline.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * When which fault hits, drawn from a seed, so a run that went wrong can be run again with the same
 * faults in the same order at the same offsets. Nothing happens in the warm-up (the job must have
 * made its first checkpoints: a fault before any is a restart from nothing, which proves little);
 * faults start at least {@link #MIN_GAP} apart, so the cluster has recovered from one before the next;
 * every allowed kind comes once before any comes twice, and the schedule fills the run's length.
 */
public final class FaultSchedule {

    public static final Duration WARM_UP = Duration.ofSeconds(30);
    public static final Duration MIN_GAP = Duration.ofSeconds(20);

    /** One fault at {@code at} after the producers started. */
    public record Fault(Duration at, FaultKind kind) {
        @Override
        public String toString() {
            return kind.id() + " at " + at.toSeconds() + " s";
        }
    }

    private final List<Fault> faults;

    private FaultSchedule(List<Fault> faults) {
        this.faults = List.copyOf(faults);
    }

    /**
     * @param length the run's length (producers on); the last fault starts at least {@link #MIN_GAP} before its end
     * @param kinds  the kinds allowed (at least one)
     */
    public static FaultSchedule draw(long seed, Duration length, List<FaultKind> kinds) {
        return draw(seed, length, kinds, MIN_GAP);
    }

    /**
     * As {@link #draw(long, Duration, List)} with faults at least {@code minGap} apart: a soak's load test
     * spaces them minutes apart so most of the run is steady load, not recovery.
     */
    public static FaultSchedule draw(long seed, Duration length, List<FaultKind> kinds, Duration minGap) {
        if (minGap.compareTo(MIN_GAP) < 0) {
            throw new IllegalArgumentException("faults must be at least " + MIN_GAP.toSeconds() + " s apart");
        }
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("no fault kinds to draw from");
        }
        Random random = new Random(seed);
        long first = WARM_UP.toMillis();
        long gap = minGap.toMillis();
        long last = length.toMillis() - gap;
        // as many faults as fit at the minimum gap, but every kind at least once when the run is too short
        int slots = last < first ? 0 : (int) ((last - first) / gap) + 1;
        int n = Math.max(slots, kinds.size());
        List<Fault> out = new ArrayList<>();
        List<FaultKind> bag = new ArrayList<>();
        // the slack (time not needed for the minimum gaps) spread at random between the faults
        long slack = Math.max(0, last - first - (long) (n - 1) * gap);
        long[] extra = new long[n];
        for (int i = 0; i < n; i++) {
            extra[i] = slack == 0 ? 0 : (long) (random.nextDouble() * slack);
        }
        java.util.Arrays.sort(extra);
        for (int i = 0; i < n; i++) {
            if (bag.isEmpty()) {
                bag.addAll(kinds);
                Collections.shuffle(bag, random);
            }
            out.add(new Fault(Duration.ofMillis(first + (long) i * gap + extra[i]), bag.remove(bag.size() - 1)));
        }
        return new FaultSchedule(out);
    }

    public List<Fault> faults() {
        return faults;
    }

    @Override
    public String toString() {
        return faults.toString();
    }
}
