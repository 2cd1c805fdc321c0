package io.framewise.operators.records;

import java.util.Arrays;
import java.util.List;

/**
 * Why a record or frame became a dead letter: the one vocabulary of routing, decoding,
 * inference and the camera-config reader.
 * Stable names: they end up in the {@code fw-dlq-reason} header, the {@code reason} metric label and
 * the dead-letter JSON Schema. Each reason belongs to the stage that raises it, so each stage
 * registers a bounded set of metric series (its own reasons) up front.
 */
public enum DeadLetterReason {
    /** The key is missing, empty, not UTF-8 or too long to be a camera id (routing, before keyBy). */
    MISSING_KEY(Stage.ROUTE),
    /** A decoded frame the model cannot take: its pixels do not match the model input (inference). */
    MODEL_REJECTED(Stage.INFER),
    /** Zero-length value. */
    EMPTY(Stage.DECODE),
    /** Encoded value over {@code DecodeLimits.maxEncodedBytes()}. */
    TOO_LARGE(Stage.DECODE),
    /** Codec header names no known codec, or it is missing and no signature matches. */
    UNKNOWN_CODEC(Stage.DECODE),
    /** {@code fw-version} names a version this reader does not know. */
    UNSUPPORTED_VERSION(Stage.DECODE),
    /** A required header is missing or malformed (numbers, raw-rgb24 size). */
    BAD_HEADER(Stage.DECODE),
    /** The bytes are not an image of the declared codec, or the codec rejected the data. */
    CORRUPT_IMAGE(Stage.DECODE),
    /** The segment's container or bitstream is invalid (demuxer or decoder rejected it mid-stream). */
    CORRUPT_SEGMENT(Stage.DECODE),
    /** The image or segment ends before its declared content does. */
    TRUNCATED(Stage.DECODE),
    /** Width, height or width*height over {@link DecodeLimits}; checked before any pixel buffer exists. */
    DIMENSIONS_TOO_LARGE(Stage.DECODE),
    /** raw-rgb24 value length differs from width*height*3. */
    DIMENSION_MISMATCH(Stage.DECODE),
    /** A segment whose first decoded frame is not a keyframe (not self-contained). */
    NO_KEYFRAME(Stage.DECODE),
    /** A segment with more frames than {@code DecodeLimits.maxFramesPerSegment()}. */
    TOO_MANY_FRAMES(Stage.DECODE),
    /** A segment with no video stream, or one that decoded to no frame at all. */
    NO_VIDEO(Stage.DECODE),
    /** FFmpeg failed in a way not attributable to the input (allocation, internal error). */
    DECODER_ERROR(Stage.DECODE),
    /** Decoding took longer than the decode timeout; its decode thread was abandoned (docs/decoder-isolation.md). */
    DECODE_TIMEOUT(Stage.DECODE),
    /** The process died while decoding this record; its replay is dead-lettered, not decoded again. */
    DECODER_CRASH(Stage.DECODE),
    /** The same {@code fw-seq} as the camera's last accepted record: a resend, already labeled. */
    DUPLICATE_SEQUENCE(Stage.DECODE),
    /** {@code fw-ts} further than {@code StreamChecks.MAX_CLOCK_SKEW_MS} from the Kafka record timestamp. */
    TIMESTAMP_OUT_OF_RANGE(Stage.DECODE),
    /** A {@code camera-config} record that is no camera configuration: no usable key, not JSON, a bad zone. */
    BAD_CAMERA_CONFIG(Stage.CONFIG);

    /** The operator that raises a reason. */
    public enum Stage { ROUTE, DECODE, INFER, CONFIG }

    private final Stage stage;

    DeadLetterReason(Stage stage) {
        this.stage = stage;
    }

    public Stage stage() {
        return stage;
    }

    /** The reasons {@code stage} raises, in declaration order. */
    public static List<DeadLetterReason> of(Stage stage) {
        return Arrays.stream(values()).filter(r -> r.stage == stage).toList();
    }
}
