package io.framewise.inference.plan;

import java.util.Locale;

/**
 * How the planner runs the blocks it recognises.
 *
 * @param fusion         AUTO fuses a block when its expanded tensor is larger than {@code fuseAboveBytes}
 *                       per image (it would not stay in L2 between the three convolutions); ALWAYS and
 *                       NEVER force one path for every block (benchmarks compare the two)
 * @param fuseAboveBytes AUTO's threshold
 * @param tileBytes      budget for the expanded-row tile of a fused block; the tile should stay in L2
 *                       together with the block's weights
 */
public record PlanOptions(Fusion fusion, long fuseAboveBytes, long tileBytes) {

    public enum Fusion { AUTO, ALWAYS, NEVER }

    /** Zen 4 has 1 MiB of L2 per core; the thresholds are set from `./framewise bench --blocks`. */
    public static PlanOptions defaults() {
        return new PlanOptions(Fusion.AUTO, 1L << 20, 256L << 10);
    }

    /** Defaults, overridden by {@code -Dframewise.fusion=auto|always|never} and {@code -Dframewise.fusion.tileBytes=N}. */
    public static PlanOptions fromSystemProperties() {
        PlanOptions d = defaults();
        String f = System.getProperty("framewise.fusion");
        Fusion fusion = d.fusion();
        if (f != null) {
            try {
                fusion = Fusion.valueOf(f.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("framewise.fusion must be auto, always or never, got '" + f + "'");
            }
        }
        long tile = Long.getLong("framewise.fusion.tileBytes", d.tileBytes());
        long above = Long.getLong("framewise.fusion.aboveBytes", d.fuseAboveBytes());
        return new PlanOptions(fusion, above, tile);
    }

    public PlanOptions withFusion(Fusion f) {
        return new PlanOptions(f, fuseAboveBytes, tileBytes);
    }
}
