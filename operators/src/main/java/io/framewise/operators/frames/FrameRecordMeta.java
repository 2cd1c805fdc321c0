package io.framewise.operators.frames;

import java.nio.charset.StandardCharsets;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The parsed headers of one frame record (see {@link FrameHeaders}).
 *
 * @param version        format version (only {@link FrameHeaders#CURRENT_VERSION} is accepted)
 * @param codec          from {@code fw-codec}, or sniffed from the value's magic bytes
 * @param codecSniffed   true when the header was missing and {@link MagicSniffer} chose the codec
 * @param captureTsMs    capture time of the (first) frame, epoch milliseconds
 * @param sequence       per-camera record sequence number, {@code >= 0}
 * @param fps            optional source frame rate
 * @param width          declared width (required for raw-rgb24)
 * @param height         declared height (required for raw-rgb24)
 */
public record FrameRecordMeta(int version, Codec codec, boolean codecSniffed, long captureTsMs, long sequence,
                              OptionalDouble fps, OptionalInt width, OptionalInt height) {

    /**
     * Reads the headers of a record; the value is only looked at to sniff a missing codec.
     *
     * @throws FrameFormatException with a {@link FrameFormatException.Problem} for every malformed input
     */
    public static FrameRecordMeta parse(Headers headers, byte[] value) throws FrameFormatException {
        String versionText = last(headers, FrameHeaders.VERSION);
        int version = 1; // the format says: no version header means version 1
        if (versionText != null) {
            if (!FrameHeaders.CURRENT_VERSION.equals(versionText.trim())) {
                throw new FrameFormatException(FrameFormatException.Problem.UNSUPPORTED_VERSION,
                        "unsupported " + FrameHeaders.VERSION + " '" + clip(versionText) + "' (this reader knows "
                                + FrameHeaders.CURRENT_VERSION + ")");
            }
            version = Integer.parseInt(FrameHeaders.CURRENT_VERSION);
        }

        String codecText = last(headers, FrameHeaders.CODEC);
        Codec codec;
        boolean sniffed = false;
        if (codecText != null) {
            codec = Codec.fromWireName(codecText).orElseThrow(() -> new FrameFormatException(
                    FrameFormatException.Problem.UNKNOWN_CODEC, "unknown " + FrameHeaders.CODEC + " '" + clip(codecText) + "'"));
        } else {
            codec = MagicSniffer.sniff(value).orElseThrow(() -> new FrameFormatException(
                    FrameFormatException.Problem.UNKNOWN_CODEC, "no " + FrameHeaders.CODEC
                            + " header and the value matches no known signature"));
            sniffed = true;
        }

        long ts = requiredLong(headers, FrameHeaders.CAPTURE_TS, 0);
        long seq = requiredLong(headers, FrameHeaders.SEQUENCE, 0);
        OptionalDouble fps = optionalFps(headers);
        OptionalInt width = optionalDimension(headers, FrameHeaders.WIDTH);
        OptionalInt height = optionalDimension(headers, FrameHeaders.HEIGHT);
        if (codec == Codec.RAW_RGB24 && (width.isEmpty() || height.isEmpty())) {
            throw new FrameFormatException(FrameFormatException.Problem.BAD_HEADER,
                    "raw-rgb24 needs " + FrameHeaders.WIDTH + " and " + FrameHeaders.HEIGHT);
        }
        return new FrameRecordMeta(version, codec, sniffed, ts, seq, fps, width, height);
    }

    /** Metadata for a record built in code (tests, the producer's self-check). */
    public static FrameRecordMeta of(Codec codec, long captureTsMs, long sequence) {
        return new FrameRecordMeta(1, codec, false, captureTsMs, sequence, OptionalDouble.empty(),
                OptionalInt.empty(), OptionalInt.empty());
    }

    public FrameRecordMeta withSize(int w, int h) {
        return new FrameRecordMeta(version, codec, codecSniffed, captureTsMs, sequence, fps, OptionalInt.of(w),
                OptionalInt.of(h));
    }

    private static long requiredLong(Headers headers, String name, long min) throws FrameFormatException {
        String text = last(headers, name);
        if (text == null) {
            throw new FrameFormatException(FrameFormatException.Problem.BAD_HEADER, "missing header " + name);
        }
        long v;
        try {
            v = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new FrameFormatException(FrameFormatException.Problem.BAD_HEADER,
                    "header " + name + " is not a decimal integer: '" + clip(text) + "'");
        }
        if (v < min) {
            throw new FrameFormatException(FrameFormatException.Problem.BAD_HEADER,
                    "header " + name + " must be >= " + min + ", got " + v);
        }
        return v;
    }

    private static OptionalDouble optionalFps(Headers headers) throws FrameFormatException {
        String text = last(headers, FrameHeaders.FPS);
        if (text == null) {
            return OptionalDouble.empty();
        }
        try {
            double v = Double.parseDouble(text.trim());
            if (Double.isFinite(v) && v > 0 && v <= 1000) {
                return OptionalDouble.of(v);
            }
        } catch (NumberFormatException e) {
            // fall through to the typed failure
        }
        throw new FrameFormatException(FrameFormatException.Problem.BAD_HEADER,
                "header " + FrameHeaders.FPS + " is not a frame rate in (0, 1000]: '" + clip(text) + "'");
    }

    private static OptionalInt optionalDimension(Headers headers, String name) throws FrameFormatException {
        String text = last(headers, name);
        if (text == null) {
            return OptionalInt.empty();
        }
        try {
            int v = Integer.parseInt(text.trim());
            if (v > 0) {
                return OptionalInt.of(v);
            }
        } catch (NumberFormatException e) {
            // fall through to the typed failure
        }
        throw new FrameFormatException(FrameFormatException.Problem.BAD_HEADER,
                "header " + name + " is not a positive integer: '" + clip(text) + "'");
    }

    private static String last(Headers headers, String name) {
        if (headers == null) {
            return null;
        }
        Header h = headers.lastHeader(name);
        if (h == null || h.value() == null) {
            return null;
        }
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Header text echoed into messages is attacker-controlled: keep it short. */
    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
