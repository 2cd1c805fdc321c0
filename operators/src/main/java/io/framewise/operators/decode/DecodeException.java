package io.framewise.operators.decode;

import io.framewise.operators.records.DeadLetterReason;

/**
 * Internal control flow for a failed decode; {@link FrameDecoder} turns it into a {@link DecodeResult}
 * so nothing escapes {@code decode}.
 */
final class DecodeException extends Exception {

    private final DeadLetterReason reason;

    DecodeException(DeadLetterReason reason, String message) {
        super(message, null, false, false); // bad input is expected traffic: no stack trace
        this.reason = reason;
    }

    DeadLetterReason reason() {
        return reason;
    }
}
