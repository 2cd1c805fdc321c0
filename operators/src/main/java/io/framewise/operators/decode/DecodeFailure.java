package io.framewise.operators.decode;

import io.framewise.operators.records.DeadLetterReason;
import java.util.Objects;

/** A typed decode failure: a stable {@link DeadLetterReason} plus a human-readable message. */
public record DecodeFailure(DeadLetterReason reason, String message) {

    public DecodeFailure {
        Objects.requireNonNull(reason, "reason");
        message = message == null ? "" : message;
    }
}
