package io.framewise.operators.decode;

import io.framewise.operators.records.DeadLetterReason;
import java.util.List;
import java.util.NoSuchElementException;

/** Either the frames of a record (one for stills, N for segments) or a {@link DecodeFailure}. */
public final class DecodeResult {

    private final List<DecodedFrame> frames;
    private final DecodeFailure failure;

    private DecodeResult(List<DecodedFrame> frames, DecodeFailure failure) {
        this.frames = frames;
        this.failure = failure;
    }

    public static DecodeResult ok(List<DecodedFrame> frames) {
        return new DecodeResult(List.copyOf(frames), null);
    }

    public static DecodeResult failed(DeadLetterReason reason, String message) {
        return new DecodeResult(null, new DecodeFailure(reason, message));
    }

    public boolean isOk() {
        return failure == null;
    }

    /** The decoded frames, in presentation order; throws on a failed result. */
    public List<DecodedFrame> frames() {
        if (failure != null) {
            throw new NoSuchElementException("decode failed: " + failure);
        }
        return frames;
    }

    /** The failure; throws on a successful result. */
    public DecodeFailure failure() {
        if (failure == null) {
            throw new NoSuchElementException("decode succeeded with " + frames.size() + " frame(s)");
        }
        return failure;
    }

    /** The reason code, or null on success (handy in assertions and metrics). */
    public DeadLetterReason reasonOrNull() {
        return failure == null ? null : failure.reason();
    }

    @Override
    public String toString() {
        return failure == null ? "DecodeResult[ok, " + frames.size() + " frame(s)]" : "DecodeResult[" + failure + "]";
    }
}
