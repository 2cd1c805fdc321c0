package io.framewise.operators.decode;

/** Why a record did not decode. Stable names: they end up in metrics and dead-letter records. */
public enum ReasonCode {
    /** Zero-length value. */
    EMPTY,
    /** Encoded value over {@link DecodeLimits#maxEncodedBytes()}. */
    TOO_LARGE,
    /** Codec header names no known codec, or it is missing and no signature matches. */
    UNKNOWN_CODEC,
    /** {@code fw-version} names a version this reader does not know. */
    UNSUPPORTED_VERSION,
    /** A required header is missing or malformed (numbers, raw-rgb24 size). */
    BAD_HEADER,
    /** The bytes are not an image of the declared codec, or the codec rejected the data. */
    CORRUPT_IMAGE,
    /** The segment's container or bitstream is invalid (demuxer or decoder rejected it mid-stream). */
    CORRUPT_SEGMENT,
    /** The image or segment ends before its declared content does. */
    TRUNCATED,
    /** Width, height or width*height over {@link DecodeLimits}; checked before any pixel buffer exists. */
    DIMENSIONS_TOO_LARGE,
    /** raw-rgb24 value length differs from width*height*3. */
    DIMENSION_MISMATCH,
    /** A segment whose first decoded frame is not a keyframe (not self-contained). */
    NO_KEYFRAME,
    /** A segment with more frames than {@link DecodeLimits#maxFramesPerSegment()}. */
    TOO_MANY_FRAMES,
    /** A segment with no video stream, or one that decoded to no frame at all. */
    NO_VIDEO,
    /** FFmpeg failed in a way not attributable to the input (allocation, internal error). */
    DECODER_ERROR,
    /** The same {@code fw-seq} as the camera's last accepted record: a resend, already labeled. */
    DUPLICATE_SEQUENCE,
    /** {@code fw-ts} further than {@link StreamChecks#MAX_CLOCK_SKEW_MS} from the Kafka record timestamp. */
    TIMESTAMP_OUT_OF_RANGE
}
