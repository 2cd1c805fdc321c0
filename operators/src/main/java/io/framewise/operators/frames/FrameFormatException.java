package io.framewise.operators.frames;

/** A record whose headers break the frame record format; {@link #problem()} says how. */
public final class FrameFormatException extends Exception {

    /** What is wrong with the headers. */
    public enum Problem {
        /** {@code fw-version} names a version this reader does not know. */
        UNSUPPORTED_VERSION,
        /** {@code fw-codec} is not a known wire name, or it is missing and the bytes match no signature. */
        UNKNOWN_CODEC,
        /** A required header is missing, or a number does not parse / is out of range. */
        BAD_HEADER
    }

    private final Problem problem;

    public FrameFormatException(Problem problem, String message) {
        super(message, null, false, false); // typed control flow for bad input: no stack trace needed
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
