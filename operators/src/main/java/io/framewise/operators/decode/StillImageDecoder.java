package io.framewise.operators.decode;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_BMP;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PNG;
import static org.bytedeco.ffmpeg.global.avcodec.AV_EF_CRCCHECK;
import static org.bytedeco.ffmpeg.global.avcodec.AV_EF_EXPLODE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_INVALIDDATA;

import io.framewise.operators.frames.Codec;
import io.framewise.operators.records.DeadLetterReason;
import java.util.EnumMap;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * JPEG / PNG / BMP through FFmpeg's own decoders with one {@link AVCodecContext} per codec, opened
 * on first use and kept: opening a context (or a whole {@code FFmpegFrameGrabber}) per image costs
 * more than the decode itself (see docs/benchmarks.md "Decode").
 *
 * <p>Per image: header probe (size limits, truncation) → send packet → receive frame →
 * {@link ModelPixels}. After every image, good or bad, the context is flushed, so a corrupt image
 * leaves no state behind for the next one. Single-threaded contexts: parallelism comes from Flink
 * subtasks, each with its own decoder. Not thread-safe.
 */
final class StillImageDecoder implements AutoCloseable {

    static final int AVERROR_EAGAIN = -11; // AVERROR(EAGAIN) on Linux; the presets do not export it
    private static final int AVERROR_ENOMEM = -12;

    private final DecodeLimits limits;
    private final ModelPixels pixels;
    private final Map<Codec, AVCodecContext> contexts = new EnumMap<>(Codec.class);
    private final AVPacket packet;
    private final AVFrame frame;
    private BytePointer packetData; // [capacity] encoded bytes + zeroed AV_INPUT_BUFFER_PADDING_SIZE
    private boolean closed;

    StillImageDecoder(DecodeLimits limits, ModelPixels pixels) {
        this.limits = limits;
        this.pixels = pixels;
        this.packet = avcodec.av_packet_alloc();
        this.frame = avutil.av_frame_alloc();
        if (packet == null || frame == null) {
            throw new IllegalStateException("av_packet_alloc / av_frame_alloc failed");
        }
    }

    DecodedFrame decode(Codec codec, byte[] data, long ptsMs) throws DecodeException {
        if (closed) {
            throw new IllegalStateException("decoder closed");
        }
        ImageHeaderProbe.Geometry g = ImageHeaderProbe.probe(codec, data, limits);
        AVCodecContext ctx = context(codec);
        try {
            setPacket(data);
            int ret = avcodec.avcodec_send_packet(ctx, packet);
            if (ret < 0) {
                throw failure(ret, codec, "avcodec_send_packet");
            }
            ret = avcodec.avcodec_receive_frame(ctx, frame);
            if (ret == AVERROR_EAGAIN) {
                // Decoder holds the picture back until drained (frame-threaded or delayed decoders).
                avcodec.avcodec_send_packet(ctx, null);
                ret = avcodec.avcodec_receive_frame(ctx, frame);
            }
            if (ret < 0) {
                throw failure(ret, codec, "avcodec_receive_frame");
            }
            if (frame.width() != g.width() || frame.height() != g.height()) {
                throw new DecodeException(DeadLetterReason.CORRUPT_IMAGE, codec.wireName() + " header says " + g.width()
                        + "x" + g.height() + " but the decoder produced " + frame.width() + "x" + frame.height());
            }
            if ((frame.decode_error_flags() != 0 || (frame.flags() & 1 /* AV_FRAME_FLAG_CORRUPT */) != 0)) {
                throw new DecodeException(DeadLetterReason.CORRUPT_IMAGE, codec.wireName() + " decoded with errors (flags "
                        + frame.decode_error_flags() + ")");
            }
            byte[] rgb = pixels.toModelRgb(frame);
            return new DecodedFrame(rgb, pixels.outWidth(), pixels.outHeight(), frame.width(), frame.height(),
                    ptsMs, 0, true);
        } finally {
            avutil.av_frame_unref(frame);
            avcodec.avcodec_flush_buffers(ctx);
        }
    }

    private static DecodeException failure(int ret, Codec codec, String where) {
        DeadLetterReason reason = ret == AVERROR_ENOMEM ? DeadLetterReason.DECODER_ERROR
                : ret == AVERROR_INVALIDDATA || ret == AVERROR_EOF || ret < 0 ? DeadLetterReason.CORRUPT_IMAGE
                : DeadLetterReason.DECODER_ERROR;
        return new DecodeException(reason, codec.wireName() + ": " + where + " failed: " + errorText(ret));
    }

    static String errorText(int ret) {
        try (BytePointer buf = new BytePointer(128)) {
            avutil.av_strerror(ret, buf, 128);
            String text = buf.getString();
            int nul = text.indexOf('\0'); // getString reads the whole 128-byte buffer
            return (nul >= 0 ? text.substring(0, nul) : text) + " (" + ret + ")";
        }
    }

    private void setPacket(byte[] data) {
        long need = (long) data.length + AV_INPUT_BUFFER_PADDING_SIZE;
        if (packetData == null || packetData.capacity() < need) {
            if (packetData != null) {
                packetData.close();
            }
            packetData = new BytePointer(Math.max(need, 64 * 1024));
        }
        packetData.position(0).put(data, 0, data.length);
        // FFmpeg's bitstream readers may over-read into the padding: it must be zero.
        for (int i = 0; i < AV_INPUT_BUFFER_PADDING_SIZE; i++) {
            packetData.put((long) data.length + i, (byte) 0);
        }
        avcodec.av_packet_unref(packet);
        packet.data(packetData.position(0));
        packet.size(data.length);
    }

    private AVCodecContext context(Codec codec) throws DecodeException {
        AVCodecContext ctx = contexts.get(codec);
        if (ctx != null) {
            return ctx;
        }
        int id = switch (codec) {
            case JPEG -> AV_CODEC_ID_MJPEG;
            case PNG -> AV_CODEC_ID_PNG;
            case BMP -> AV_CODEC_ID_BMP;
            default -> throw new DecodeException(DeadLetterReason.UNKNOWN_CODEC, codec + " is not a still image codec");
        };
        AVCodec dec = avcodec.avcodec_find_decoder(id);
        if (dec == null) {
            throw new DecodeException(DeadLetterReason.DECODER_ERROR, "FFmpeg build has no decoder for " + codec);
        }
        ctx = avcodec.avcodec_alloc_context3(dec);
        if (ctx == null) {
            throw new DecodeException(DeadLetterReason.DECODER_ERROR, "avcodec_alloc_context3 failed for " + codec);
        }
        ctx.thread_count(1);
        // Second line of defence behind ImageHeaderProbe: FFmpeg refuses larger pictures itself.
        ctx.max_pixels(limits.maxPixels());
        // Report broken data as errors instead of concealing it: a half-grey frame is worse than none.
        ctx.err_recognition(ctx.err_recognition() | AV_EF_EXPLODE | AV_EF_CRCCHECK);
        int ret = avcodec.avcodec_open2(ctx, dec, (PointerPointer<?>) null);
        if (ret < 0) {
            avcodec.avcodec_free_context(ctx);
            throw new DecodeException(DeadLetterReason.DECODER_ERROR, "avcodec_open2 failed for " + codec + ": " + errorText(ret));
        }
        contexts.put(codec, ctx);
        return ctx;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AVCodecContext ctx : contexts.values()) {
            avcodec.avcodec_free_context(ctx);
        }
        contexts.clear();
        avcodec.av_packet_free(packet);
        avutil.av_frame_free(frame);
        if (packetData != null) {
            packetData.close();
        }
    }
}
