package io.framewise.pipeline.bench;

import java.util.Arrays;

/**
 * Per-round figures of one bench setting: framewise and peer images/s of each interleaved round
 * pair, with the median, the spread and the ratio computed per pair. Machine noise slows both
 * engines of a pair alike and cancels in the pair's ratio; a framewise-only slump does not.
 *
 * @param fw   framewise images/s per round
 * @param peer peer images/s per round (empty without a peer)
 */
public record RoundStats(double[] fw, double[] peer) {

    /** A spread (max − min over median) above this is reported as unsteady. */
    public static final double STEADY_SPREAD = 0.10;

    public RoundStats {
        if (fw.length == 0 || (peer.length != 0 && peer.length != fw.length)) {
            throw new IllegalArgumentException("need >= 1 round and as many peer rounds as framewise rounds");
        }
    }

    public boolean hasPeer() {
        return peer.length > 0;
    }

    /** framewise / peer of each round pair. */
    public double[] ratios() {
        double[] r = new double[hasPeer() ? fw.length : 0];
        for (int i = 0; i < r.length; i++) {
            r[i] = fw[i] / peer[i];
        }
        return r;
    }

    public double fwMedian() {
        return median(fw);
    }

    public double peerMedian() {
        return hasPeer() ? median(peer) : Double.NaN;
    }

    public double ratioMedian() {
        return hasPeer() ? median(ratios()) : Double.NaN;
    }

    /** (max − min) / median; 0 for one round, NaN for none. */
    public static double spread(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double lo = Arrays.stream(v).min().orElseThrow();
        double hi = Arrays.stream(v).max().orElseThrow();
        return (hi - lo) / median(v);
    }

    public static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    /**
     * What the rounds say about the run: "steady", "machine noise" (both engines moved together:
     * the pair ratios are steady), or "framewise-only variation" (the ratios moved, the peer did not).
     */
    public String verdict() {
        double fwSpread = spread(fw);
        if (fwSpread <= STEADY_SPREAD) {
            return "steady";
        }
        if (!hasPeer()) {
            return "unsteady (no peer to tell machine noise apart)";
        }
        double ratioSpread = spread(ratios());
        if (ratioSpread <= STEADY_SPREAD) {
            return "machine noise (both engines moved; ratio steady)";
        }
        return spread(peer) <= STEADY_SPREAD ? "FRAMEWISE-ONLY VARIATION (peer steady, ratio moved)"
                : "noisy (both moved, ratio moved too)";
    }
}
