package io.framewise.operators.decode;

import io.framewise.operators.frames.Codec;
import io.framewise.operators.frames.FrameRecordMeta;
import io.framewise.operators.records.DeadLetterReason;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Self-contained video segments (H.264 / HEVC Annex-B, MPEG-TS, MP4, Matroska) through JavaCV's
 * {@link FFmpegFrameGrabber} reading the record's bytes from memory (no temp files).
 *
 * <p>State kept between records: none. Every segment must start with a keyframe and carry its own
 * parameter sets (SPS/PPS, or the container's codec config), so each record gets a fresh grabber
 * and nothing leaks from a bad segment into the next. The cost is one demuxer+decoder open per
 * segment (~1 ms), small against a 2 s segment's 25 frames.
 *
 * <p>The grabber runs in {@code RAW} image mode so it never allocates an RGB picture of the
 * stream's declared size; the width/height the demuxer found are checked against
 * {@link DecodeLimits} before the first frame is pulled, and every frame's size again after it is
 * decoded (a mid-stream SPS may change it). Not thread-safe.
 */
final class SegmentDecoder {

    private static final int AV_FRAME_FLAG_CORRUPT = 1;

    private final DecodeLimits limits;
    private final ModelPixels pixels;

    SegmentDecoder(DecodeLimits limits, ModelPixels pixels) {
        this.limits = limits;
        this.pixels = pixels;
    }

    static String demuxerName(Codec codec) {
        return switch (codec) {
            case H264 -> "h264";
            case HEVC -> "hevc";
            case MPEGTS -> "mpegts";
            case MP4 -> "mp4";
            case MKV -> "matroska";
            default -> throw new IllegalArgumentException(codec + " is not a segment codec");
        };
    }

    List<DecodedFrame> decode(FrameRecordMeta meta, byte[] data) throws DecodeException {
        Codec codec = meta.codec();
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(new ByteArrayInputStream(data), data.length);
        g.setFormat(demuxerName(codec)); // forced, never probed: HLS/concat/image2 demuxers are unreachable
        // The bytes come from memory (custom I/O, not subject to the list); anything a demuxer might open
        // besides them (an MP4 data reference, say) names a protocol, and none is allowed.
        g.setOption("protocol_whitelist", "none");
        g.setImageMode(FrameGrabber.ImageMode.RAW);
        g.setVideoOption("threads", "1"); // parallelism comes from Flink subtasks
        // No "max_pixels" codec option here: avcodec_open2 then fails with a bare EINVAL that cannot be
        // told apart from other open failures; the explicit check after start() reports it properly.
        // Without showall the H.264/HEVC decoders silently drop everything before the first keyframe,
        // and a segment that does not start with one would look empty instead of NO_KEYFRAME.
        g.setVideoOption("flags2", "+showall");
        if ((codec == Codec.H264 || codec == Codec.HEVC) && meta.fps().isPresent()) {
            // Elementary streams carry no timestamps: the raw demuxer invents them from this rate (default 25).
            g.setOption("framerate", String.format(Locale.ROOT, "%.6f", meta.fps().getAsDouble()));
        }
        try {
            try {
                g.start();
            } catch (FrameGrabber.Exception | RuntimeException e) {
                throw new DecodeException(DeadLetterReason.CORRUPT_SEGMENT, codec.wireName() + ": cannot open segment: "
                        + e.getMessage());
            }
            if (!g.hasVideo()) {
                throw new DecodeException(DeadLetterReason.NO_VIDEO, codec.wireName() + " segment has no video stream");
            }
            if (g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
                throw new DecodeException(DeadLetterReason.CORRUPT_SEGMENT, codec.wireName()
                        + ": the demuxer found no picture size (not " + codec.wireName() + " data?)");
            }
            String violation = limits.sizeViolation(g.getImageWidth(), g.getImageHeight());
            if (violation != null) {
                throw new DecodeException(DeadLetterReason.DIMENSIONS_TOO_LARGE, codec.wireName() + " stream declares " + violation);
            }
            return frames(g, meta, data.length);
        } finally {
            try {
                g.close();
            } catch (FrameGrabber.Exception | RuntimeException e) {
                // releasing a failed grabber: the result is already decided
            }
        }
    }

    private List<DecodedFrame> frames(FFmpegFrameGrabber g, FrameRecordMeta meta, int bytes) throws DecodeException {
        Codec codec = meta.codec();
        // Elementary streams carry no timestamps (the grabber reports 0 for every frame): frame
        // times come from the record's fps header, else the rate the demuxer assumed.
        boolean elementary = codec == Codec.H264 || codec == Codec.HEVC;
        double fps = meta.fps().orElse(g.getFrameRate() > 0 ? g.getFrameRate() : 25.0);
        List<DecodedFrame> out = new ArrayList<>();
        long firstTs = Long.MIN_VALUE;
        int damaged = -1;
        while (true) {
            Frame f;
            try {
                f = g.grabImage();
            } catch (FrameGrabber.Exception | RuntimeException e) {
                throw new DecodeException(out.isEmpty() ? DeadLetterReason.CORRUPT_SEGMENT : DeadLetterReason.TRUNCATED,
                        codec.wireName() + ": decoding failed after " + out.size() + " frame(s): " + e.getMessage());
            }
            if (f == null) {
                break;
            }
            if (!(f.opaque instanceof AVFrame av)) {
                throw new DecodeException(DeadLetterReason.DECODER_ERROR, "grabber returned no native frame in RAW mode");
            }
            if (out.isEmpty() && !f.keyFrame) {
                throw new DecodeException(DeadLetterReason.NO_KEYFRAME, codec.wireName()
                        + ": first decoded frame is not a keyframe (segment is not self-contained)");
            }
            if (out.size() >= limits.maxFramesPerSegment()) {
                throw new DecodeException(DeadLetterReason.TOO_MANY_FRAMES, codec.wireName() + " segment has more than "
                        + limits.maxFramesPerSegment() + " frames");
            }
            String violation = limits.sizeViolation(av.width(), av.height());
            if (violation != null) {
                throw new DecodeException(DeadLetterReason.DIMENSIONS_TOO_LARGE, codec.wireName() + " frame " + out.size()
                        + " has " + violation);
            }
            if (damaged < 0 && (av.decode_error_flags() != 0 || (av.flags() & AV_FRAME_FLAG_CORRUPT) != 0)) {
                damaged = out.size();
            }
            if (firstTs == Long.MIN_VALUE) {
                firstTs = f.timestamp;
            }
            long offsetMs = elementary ? Math.round(out.size() * 1000.0 / fps)
                    : Math.round((f.timestamp - firstTs) / 1000.0); // grabber timestamps are microseconds
            byte[] rgb = pixels.toModelRgb(av);
            out.add(new DecodedFrame(rgb, pixels.outWidth(), pixels.outHeight(), av.width(), av.height(),
                    meta.captureTsMs() + offsetMs, out.size(), f.keyFrame));
        }
        if (out.isEmpty()) {
            throw new DecodeException(DeadLetterReason.NO_VIDEO, codec.wireName() + " segment of " + bytes
                    + " bytes decoded to no frame");
        }
        if (damaged >= 0) {
            // FFmpeg conceals damage and keeps going; a concealed frame is not what the camera saw.
            boolean atEnd = damaged == out.size() - 1;
            throw new DecodeException(atEnd ? DeadLetterReason.TRUNCATED : DeadLetterReason.CORRUPT_SEGMENT, codec.wireName()
                    + ": frame " + damaged + " of " + out.size() + " decoded with errors"
                    + (atEnd ? " (segment cut short)" : ""));
        }
        return out;
    }
}
