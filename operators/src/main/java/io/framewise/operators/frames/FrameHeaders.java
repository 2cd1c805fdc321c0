package io.framewise.operators.frames;

/**
 * The Kafka frame record format, version 1 (documented in README "Frame record format").
 *
 * <p>Key: camera id, UTF-8. Value: the media bytes, unchanged. Headers: UTF-8 strings; numbers in
 * decimal. Only {@link #CODEC} may be missing (then the decoder sniffs magic bytes); a record
 * without {@link #VERSION} is read as version 1.
 */
public final class FrameHeaders {

    /** Format version; readers reject versions they do not know. */
    public static final String VERSION = "fw-version";
    public static final String CURRENT_VERSION = "1";

    /** Codec/container: one of {@link Codec#wireName()}. */
    public static final String CODEC = "fw-codec";
    /** Capture timestamp of the (first) frame, epoch milliseconds. */
    public static final String CAPTURE_TS = "fw-ts";
    /** Per-camera sequence number of the record, starting at 0, +1 per record. */
    public static final String SEQUENCE = "fw-seq";
    /** Optional source frame rate (decimal, e.g. {@code 12.5}). */
    public static final String FPS = "fw-fps";
    /** Width and height in pixels; required for {@code raw-rgb24}, informative otherwise. */
    public static final String WIDTH = "fw-width";
    public static final String HEIGHT = "fw-height";

    private FrameHeaders() {
    }
}
