package io.framewise.pipeline.produce.encode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/**
 * Cuts the source's compressed packets into segments at keyframes, without decoding. Each segment
 * is a fresh muxer, so it carries its own headers (for MPEG-TS the muxer's automatic
 * h264_mp4toannexb filter repeats SPS/PPS before the first IDR) and timestamps starting at 0.
 */
final class RemuxSegmenter implements MediaReader {

    private final VideoSource source;
    private final SegmentOptions options;
    private final AVRational timeBase;
    private final double fps;
    private final long frameMicros;
    private AVPacket pending;
    private long firstPts = Long.MIN_VALUE;
    private boolean ended;

    RemuxSegmenter(String location, SegmentOptions options) throws IOException {
        this.source = VideoSource.open(location);
        this.options = options;
        this.timeBase = source.grabber().getFormatContext().streams(source.grabber().getVideoStream()).time_base();
        this.fps = source.frameRate();
        this.frameMicros = fps > 0 ? Math.round(1_000_000.0 / fps) : 0;
    }

    @Override
    public MediaChunk next() throws IOException {
        if (ended) {
            return null;
        }
        // A packet carried over from the previous segment is our clone, to free once written; the others
        // belong to the grabber, which reuses one packet.
        AVPacket clone = pending;
        AVPacket p = clone != null ? clone : source.grabVideoPacket();
        pending = null;
        if (p == null) {
            ended = true;
            return null;
        }
        long segStartPts = relMicros(p);
        long shift = p.dts() != avutil.AV_NOPTS_VALUE ? p.dts() : p.pts();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out, source.width(), source.height(), 0);
        options.container().configure(rec);
        int frames = 0;
        try {
            rec.start(source.grabber().getFormatContext());
            while (p != null) {
                long pts = relMicros(p);
                boolean key = (p.flags() & avcodec.AV_PKT_FLAG_KEY) != 0;
                if (frames > 0 && key && SegmentCuts.due(pts - segStartPts, options.cutMicros(), frameMicros)) {
                    pending = avcodec.av_packet_clone(p);
                    break;
                }
                shift(p, shift);
                rec.recordPacket(p);
                if (p == clone) {
                    avcodec.av_packet_free(new PointerPointer<>(p));
                    clone = null;
                }
                frames++;
                p = source.grabVideoPacket();
            }
            rec.stop();
        } catch (FFmpegFrameRecorder.Exception e) {
            throw new IOException("cannot remux a segment of '" + source.location() + "': " + e.getMessage(), e);
        } finally {
            release(rec);
            if (clone != null) {
                avcodec.av_packet_free(new PointerPointer<>(clone));
            }
        }
        if (p == null) {
            ended = true;
        }
        return new MediaChunk(out.toByteArray(), options.container().codec(), segStartPts, frames,
                frames * frameMicros, source.width(), source.height());
    }

    private long relMicros(AVPacket p) {
        long raw = p.pts() != avutil.AV_NOPTS_VALUE ? p.pts() : p.dts();
        long us = KeyframeScan.micros(raw, timeBase);
        if (firstPts == Long.MIN_VALUE) {
            firstPts = us;
        }
        return us - firstPts;
    }

    private static void shift(AVPacket p, long by) {
        if (p.pts() != avutil.AV_NOPTS_VALUE) {
            p.pts(p.pts() - by);
        }
        if (p.dts() != avutil.AV_NOPTS_VALUE) {
            p.dts(p.dts() - by);
        }
    }

    private static void release(FFmpegFrameRecorder rec) {
        try {
            rec.release();
        } catch (FFmpegFrameRecorder.Exception ignored) {
            // freeing native memory failed: nothing to recover, the segment is complete or already failed
        }
    }

    @Override
    public double frameRate() {
        return fps;
    }

    @Override
    public boolean live() {
        return false;
    }

    @Override
    public long expectedFrames() {
        return source.lengthInFrames();
    }

    @Override
    public void close() {
        if (pending != null) {
            avcodec.av_packet_free(new PointerPointer<>(pending));
            pending = null;
        }
        source.close();
    }
}
