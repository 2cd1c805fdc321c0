package io.framewise.inference.exec;

import java.util.Arrays;

/**
 * The result for one image: top-k classes by score (ties: lower index first) and, on request, the
 * whole probability vector. Instances are owned by a {@link Classifier} and overwritten by its next
 * call (that is what keeps {@code classify} allocation-free); {@link #copy()} keeps one.
 */
public final class Classification {

    private final int[] topIndex;    // [k]
    private final float[] topScore;  // [k]
    private final String[] topLabel; // [k]
    private final float[] scores;    // [classes], or empty when not requested
    private int k;

    Classification(int k, int classes, boolean keepScores) {
        this.topIndex = new int[k];
        this.topScore = new float[k];
        this.topLabel = new String[k];
        this.scores = new float[keepScores ? classes : 0];
        this.k = k;
    }

    private Classification(int[] i, float[] s, String[] l, float[] all, int k) {
        this.topIndex = i;
        this.topScore = s;
        this.topLabel = l;
        this.scores = all;
        this.k = k;
    }

    /** Fills this result from {@code out[off..off+classes)}; allocation-free. */
    void fill(float[] out, int off, int classes, LabelLookup labels) {
        int kk = Math.min(topIndex.length, classes);
        for (int r = 0; r < kk; r++) {
            int best = -1;
            float bestScore = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                float v = out[off + c];
                if ((v > bestScore || best < 0) && !taken(c, r)) {
                    best = c;
                    bestScore = v;
                }
            }
            topIndex[r] = best;
            topScore[r] = bestScore;
            topLabel[r] = labels.label(best);
        }
        this.k = kk;
        if (scores.length > 0) {
            System.arraycopy(out, off, scores, 0, classes);
        }
    }

    private boolean taken(int c, int upTo) {
        for (int i = 0; i < upTo; i++) {
            if (topIndex[i] == c) {
                return true;
            }
        }
        return false;
    }

    public int k() {
        return k;
    }

    public int index(int rank) {
        return topIndex[rank];
    }

    public float score(int rank) {
        return topScore[rank];
    }

    public String label(int rank) {
        return topLabel[rank];
    }

    /** The full output vector (probabilities when the model ends in softmax); empty unless requested. */
    public float[] scores() {
        return scores;
    }

    public Classification copy() {
        return new Classification(Arrays.copyOf(topIndex, k), Arrays.copyOf(topScore, k), Arrays.copyOf(topLabel, k),
                scores.clone(), k);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int r = 0; r < k; r++) {
            b.append(r == 0 ? "" : ", ").append(topIndex[r]).append(' ').append(topLabel[r]).append('=')
                    .append(String.format("%.4f", topScore[r]));
        }
        return b.append(']').toString();
    }

    /** Class index to label, allocation-free. */
    @FunctionalInterface
    public interface LabelLookup {
        String label(int index);
    }
}
