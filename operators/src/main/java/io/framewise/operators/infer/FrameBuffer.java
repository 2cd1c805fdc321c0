package io.framewise.operators.infer;

import io.framewise.operators.records.ModelFrame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Frames waiting for a batch, in arrival order, with how many of them the model runs on and how many
 * each camera has waiting (buffered or in the batch in flight: a frame to carry waits behind them).
 */
final class FrameBuffer {

    private List<StreamRecord<ModelFrame>> frames = new ArrayList<>(); // arrival order
    private final Map<String, Integer> perCamera = new HashMap<>(); // buffered + in flight
    private long[] arrivedMs; // [buffer index] processing time the frame entered the buffer
    private int toInfer;

    FrameBuffer(int batchSize) {
        arrivedMs = new long[batchSize];
    }

    /** Keeps {@code f} (in a record of our own: the caller may reuse its StreamRecord for the next element). */
    void add(ModelFrame f, StreamRecord<ModelFrame> source, long nowMs) {
        if (frames.size() == arrivedMs.length) {
            arrivedMs = Arrays.copyOf(arrivedMs, 2 * arrivedMs.length);
        }
        arrivedMs[frames.size()] = nowMs;
        frames.add(source.hasTimestamp() ? new StreamRecord<>(f, source.getTimestamp()) : new StreamRecord<>(f));
        perCamera.merge(f.camera(), 1, Integer::sum);
        if (f.infer()) {
            toInfer++;
        }
    }

    /** Frames of {@code camera} buffered or in flight. */
    boolean waiting(String camera) {
        return perCamera.getOrDefault(camera, 0) > 0;
    }

    /** One frame of {@code camera} left the operator as an event. */
    void released(String camera) {
        perCamera.computeIfPresent(camera, (c, k) -> k > 1 ? k - 1 : null);
    }

    int toInfer() {
        return toInfer;
    }

    boolean isEmpty() {
        return frames.isEmpty();
    }

    int size() {
        return frames.size();
    }

    /** Puts the pixels of the frames to infer into {@code images}, in order; returns how many. */
    int gather(byte[][] images) {
        int n = 0;
        for (StreamRecord<ModelFrame> r : frames) {
            if (r.getValue().infer()) {
                images[n++] = r.getValue().pixels();
            }
        }
        return n;
    }

    /** How long the frame at {@code i} has waited at {@code nowMs}. */
    long waitedMs(int i, long nowMs) {
        return Math.max(0, nowMs - arrivedMs[i]);
    }

    /** Empties the buffer, returning its frames in arrival order (their cameras still count as waiting). */
    List<StreamRecord<ModelFrame>> take() {
        List<StreamRecord<ModelFrame>> taken = frames;
        frames = new ArrayList<>();
        toInfer = 0;
        return taken;
    }
}
