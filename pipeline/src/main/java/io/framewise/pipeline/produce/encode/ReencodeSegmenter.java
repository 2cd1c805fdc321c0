package io.framewise.pipeline.produce.encode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the source and encodes each segment with a fresh H.264 encoder, so every segment opens with
 * an IDR frame and needs nothing from its neighbours. The GOP equals the segment length: one keyframe
 * per segment.
 */
final class ReencodeSegmenter implements MediaReader {

    private static final Logger LOG = LoggerFactory.getLogger(ReencodeSegmenter.class);
    /**
     * The bytedeco FFmpeg build is LGPL: no libx264. OpenH264 (BSD, bundled) is the H.264 encoder it
     * has; libx264 is preferred if a GPL build is on the class path; MPEG-4 part 2 is the last resort.
     */
    private static final String[] ENCODERS = {"libx264", "libopenh264", "mpeg4"};
    /** Bits per pixel per frame: about 500 kbit/s at 768x432, 12.5 fps, enough for analytics. */
    private static final double BITS_PER_PIXEL = 0.12;
    private static final int MIN_BITRATE = 200_000;

    private final VideoSource source;
    private final SegmentOptions options;
    private final FrameSampler sampler;
    private final double fps;
    private final long frameMicros;
    private final String encoder;
    private Frame pending;
    private long pendingPts;
    private boolean ended;

    ReencodeSegmenter(String location, SegmentOptions options) throws IOException {
        this.source = VideoSource.open(location);
        this.options = options;
        this.sampler = new FrameSampler(options.maxFps());
        // Live sources often report no rate; 25 fps is the common camera default for the encoder clock.
        double rate = FrameSampler.effectiveRate(source.frameRate(), options.maxFps());
        this.fps = rate > 0 ? rate : 25;
        this.frameMicros = Math.round(1_000_000.0 / fps);
        this.encoder = encoderName();
    }

    /** The encoder this build will use: libx264, libopenh264 or mpeg4, first one present. */
    static String encoderName() {
        for (String name : ENCODERS) {
            AVCodec c = avcodec.avcodec_find_encoder_by_name(name);
            if (c != null && !c.isNull()) {
                return name;
            }
        }
        throw new IllegalStateException("FFmpeg build has none of the encoders " + String.join(", ", ENCODERS));
    }

    @Override
    public MediaChunk next() throws IOException {
        if (ended) {
            return null;
        }
        Frame f;
        long segStart;
        if (pending != null) {
            f = pending;
            segStart = pendingPts;
        } else {
            f = nextSampled();
            if (f == null) {
                ended = true;
                return null;
            }
            segStart = source.relativeMicros(f);
        }
        int w = f.imageWidth;
        int h = f.imageHeight;
        int framesPerSegment = (int) Math.max(1, Math.round(options.seconds() * fps));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out, w, h, 0);
        options.container().configure(rec);
        rec.setVideoCodecName(encoder);
        rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        rec.setFrameRate(fps);
        rec.setGopSize(framesPerSegment);
        rec.setMaxBFrames(0);
        rec.setVideoBitrate((int) Math.max(MIN_BITRATE, BITS_PER_PIXEL * w * h * fps));
        int frames = 0;
        try {
            rec.start();
            while (f != null) {
                long pts = f == pending ? pendingPts : source.relativeMicros(f);
                if (frames > 0 && SegmentCuts.due(pts - segStart, options.cutMicros(), frameMicros)) {
                    Frame carry = f.clone();
                    releasePending();
                    pending = carry;
                    pendingPts = pts;
                    break;
                }
                rec.record(f);
                frames++;
                if (f == pending) {
                    releasePending();
                }
                f = nextSampled();
            }
            rec.stop();
        } catch (FFmpegFrameRecorder.Exception e) {
            throw new IOException("cannot encode a segment of '" + source.location() + "' with " + encoder + ": "
                    + e.getMessage(), e);
        } finally {
            try {
                rec.release();
            } catch (FFmpegFrameRecorder.Exception ignored) {
                // native cleanup failure after the segment is complete: nothing to recover
            }
        }
        if (f == null) {
            ended = true;
        }
        LOG.debug("segment at {} us: {} frames, {} bytes ({})", segStart, frames, out.size(), encoder);
        return new MediaChunk(out.toByteArray(), options.container().codec(), segStart, frames,
                frames * frameMicros, w, h);
    }

    private Frame nextSampled() throws IOException {
        Frame f;
        while ((f = source.grabImage()) != null) {
            if (sampler.keep(source.relativeMicros(f))) {
                return f;
            }
        }
        return null;
    }

    private void releasePending() {
        if (pending != null) {
            pending.close();
            pending = null;
        }
    }

    @Override
    public double frameRate() {
        return fps;
    }

    @Override
    public boolean live() {
        return source.live();
    }

    @Override
    public long expectedFrames() {
        return FrameSampler.expectedFrames(source.lengthInFrames(), source.frameRate(), fps);
    }

    @Override
    public void close() {
        releasePending();
        source.close();
    }
}
