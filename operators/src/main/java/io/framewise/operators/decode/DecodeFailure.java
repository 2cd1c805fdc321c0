package io.framewise.operators.decode;

import java.util.Objects;

/** A typed decode failure: a stable {@link ReasonCode} plus a human-readable message. */
public record DecodeFailure(ReasonCode reason, String message) {

    public DecodeFailure {
        Objects.requireNonNull(reason, "reason");
        message = message == null ? "" : message;
    }
}
