package io.framewise.operators.decode;

import io.framewise.operators.frames.Codec;
import io.framewise.operators.frames.FrameFormatException;
import io.framewise.operators.frames.FrameRecordMeta;
import io.framewise.operators.records.DeadLetterReason;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * Decodes frame records into model-ready pixels: {@code [H][W][3]} RGB at the model input size,
 * resized with the inference module's {@code ResizePlan} (bit-identical to classify's own resize of
 * the same decoded RGB).
 *
 * <p>{@link #decode} never throws for bad input: every failure is a {@link DecodeResult} with a
 * {@link DeadLetterReason}, and the decoder stays usable afterwards. One instance per thread (one per
 * Flink subtask): it owns native FFmpeg contexts that {@link #close()} releases.
 *
 * <p>State: the still-image codec contexts, the colour converter and the resize plan (cached per
 * source size) are reused across records. Segments keep no state between records (each is
 * self-contained, see {@link SegmentDecoder}); nothing is kept per camera.
 */
public final class FrameDecoder implements AutoCloseable {

    static {
        // Failures are reported through DeadLetterReason; FFmpeg's own stderr chatter about the same bad
        // bytes would flood task manager logs. This is process-wide.
        avutil.av_log_set_level(avutil.AV_LOG_FATAL);
    }

    private final DecodeLimits limits;
    private final ModelPixels pixels;
    private final StillImageDecoder stills;
    private final SegmentDecoder segments;
    private boolean closed;

    public FrameDecoder(int modelWidth, int modelHeight, DecodeLimits limits) {
        this.limits = limits;
        this.pixels = new ModelPixels(modelWidth, modelHeight);
        this.stills = new StillImageDecoder(limits, pixels);
        this.segments = new SegmentDecoder(limits, pixels);
    }

    public FrameDecoder(int modelWidth, int modelHeight) {
        this(modelWidth, modelHeight, DecodeLimits.DEFAULTS);
    }

    public DecodeLimits limits() {
        return limits;
    }

    /** Parses the record headers, then decodes; header problems become failures too. */
    public DecodeResult decode(Headers headers, byte[] value) {
        FrameRecordMeta meta;
        try {
            meta = FrameRecordMeta.parse(headers, value);
        } catch (FrameFormatException e) {
            DeadLetterReason reason = switch (e.problem()) {
                case UNSUPPORTED_VERSION -> DeadLetterReason.UNSUPPORTED_VERSION;
                case UNKNOWN_CODEC -> value == null || value.length == 0 ? DeadLetterReason.EMPTY : DeadLetterReason.UNKNOWN_CODEC;
                case BAD_HEADER -> DeadLetterReason.BAD_HEADER;
            };
            return DecodeResult.failed(reason, e.getMessage());
        }
        return decode(meta, value);
    }

    public DecodeResult decode(FrameRecordMeta meta, byte[] value) {
        if (closed) {
            throw new IllegalStateException("decoder closed");
        }
        if (value == null || value.length == 0) {
            return DecodeResult.failed(DeadLetterReason.EMPTY, "record value is empty");
        }
        if (value.length > limits.maxEncodedBytes()) {
            return DecodeResult.failed(DeadLetterReason.TOO_LARGE, "record value of " + value.length
                    + " bytes over the limit " + limits.maxEncodedBytes());
        }
        try {
            Codec codec = meta.codec();
            return switch (codec) {
                case JPEG, PNG, BMP -> DecodeResult.ok(List.of(stills.decode(codec, value, meta.captureTsMs())));
                case RAW_RGB24 -> DecodeResult.ok(List.of(rawRgb(meta, value)));
                case H264, HEVC, MPEGTS, MP4, MKV -> DecodeResult.ok(segments.decode(meta, value));
            };
        } catch (DecodeException e) {
            return DecodeResult.failed(e.reason(), e.getMessage());
        } catch (RuntimeException e) {
            // A bug or an FFmpeg binding surprise: still a typed failure, never an escaped exception.
            return DecodeResult.failed(DeadLetterReason.DECODER_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private DecodedFrame rawRgb(FrameRecordMeta meta, byte[] value) throws DecodeException {
        if (meta.width().isEmpty() || meta.height().isEmpty()) {
            throw new DecodeException(DeadLetterReason.BAD_HEADER, "raw-rgb24 record without width/height headers");
        }
        int w = meta.width().getAsInt();
        int h = meta.height().getAsInt();
        String violation = limits.sizeViolation(w, h);
        if (violation != null) {
            throw new DecodeException(DeadLetterReason.DIMENSIONS_TOO_LARGE, "raw-rgb24 headers declare " + violation);
        }
        if ((long) w * h * 3 != value.length) {
            throw new DecodeException(DeadLetterReason.DIMENSION_MISMATCH, "raw-rgb24 " + w + "x" + h + "x3 = "
                    + (long) w * h * 3 + " bytes, value has " + value.length);
        }
        return new DecodedFrame(pixels.toModelRgb(value, w, h), pixels.outWidth(), pixels.outHeight(), w, h,
                meta.captureTsMs(), 0, true);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            stills.close();
            pixels.close();
        }
    }
}
