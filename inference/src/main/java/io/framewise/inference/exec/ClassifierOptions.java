package io.framewise.inference.exec;

/**
 * @param topK          classes reported per image
 * @param maxBatch      images one forward pass takes; a larger request is refused (the caller batches)
 * @param threads       threads per forward pass (default 1: Flink already gives each slot its own thread);
 *                      batches of at least this many images are split by image, smaller ones per layer
 * @param keepScores    also return the full probability vector of each image
 */
public record ClassifierOptions(int topK, int maxBatch, int threads, boolean keepScores) {

    public ClassifierOptions {
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be >= 1, got " + topK);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    public static ClassifierOptions defaults() {
        return new ClassifierOptions(5, 8, 1, false);
    }

    public ClassifierOptions withMaxBatch(int b) {
        return new ClassifierOptions(topK, b, threads, keepScores);
    }

    public ClassifierOptions withThreads(int t) {
        return new ClassifierOptions(topK, maxBatch, t, keepScores);
    }

    public ClassifierOptions withScores(boolean keep) {
        return new ClassifierOptions(topK, maxBatch, threads, keep);
    }
}
