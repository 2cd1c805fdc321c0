package io.framewise.operators.decode;

/**
 * Internal control flow for a failed decode; {@link FrameDecoder} turns it into a {@link DecodeResult}
 * so nothing escapes {@code decode}.
 */
final class DecodeException extends Exception {

    private final ReasonCode reason;

    DecodeException(ReasonCode reason, String message) {
        super(message, null, false, false); // bad input is expected traffic: no stack trace
        this.reason = reason;
    }

    ReasonCode reason() {
        return reason;
    }
}
