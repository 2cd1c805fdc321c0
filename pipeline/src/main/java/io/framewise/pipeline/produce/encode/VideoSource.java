package io.framewise.pipeline.produce.encode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * A video file or a network stream (rtsp://, http://, ...) opened with FFmpeg through JavaCV.
 *
 * <p>Presentation times are reported relative to the first frame (or packet) read, so sources whose
 * clock starts elsewhere (MPEG-TS starts around 1.4 s, cameras at arbitrary values) all start at 0.
 */
public final class VideoSource implements AutoCloseable {

    private static final Pattern URL = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");
    /** Network reads give up after this long so a dead camera fails instead of hanging the producer. */
    private static final long NETWORK_TIMEOUT_MICROS = 15_000_000L;

    static {
        // av_dump_format and the demuxers print a screenful per open at INFO; keep stderr for errors.
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    private final String location;
    private final boolean live;
    private final FFmpegFrameGrabber grabber;
    private long firstTimestamp = Long.MIN_VALUE;

    private VideoSource(String location, boolean live, FFmpegFrameGrabber grabber) {
        this.location = location;
        this.live = live;
        this.grabber = grabber;
    }

    /** True when {@code location} is a URL (scheme://...) rather than a local path. */
    public static boolean isUrl(String location) {
        return URL.matcher(location).matches();
    }

    public static VideoSource open(String location) throws IOException {
        boolean live = isUrl(location);
        if (!live && !Files.isRegularFile(Path.of(location))) {
            throw new IOException("video file not found: " + location);
        }
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(location);
        g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
        if (live) {
            String scheme = location.substring(0, location.indexOf(':')).toLowerCase(Locale.ROOT);
            if (scheme.startsWith("rtsp")) {
                // UDP loses packets through NAT and firewalls; TCP interleaving is what cameras support best.
                g.setOption("rtsp_transport", "tcp");
                g.setOption("timeout", Long.toString(NETWORK_TIMEOUT_MICROS));
            } else {
                g.setOption("rw_timeout", Long.toString(NETWORK_TIMEOUT_MICROS));
            }
        }
        try {
            g.start();
        } catch (FrameGrabber.Exception e) {
            try {
                g.release();
            } catch (FrameGrabber.Exception ignored) {
                // the open failure is the one worth reporting
            }
            throw new IOException("cannot open video source '" + location + "': " + withoutHints(e.getMessage()), e);
        }
        if (g.getVideoStream() < 0 || g.getImageWidth() <= 0) {
            close(g);
            throw new IOException("no video stream in '" + location + "'");
        }
        return new VideoSource(location, live, g);
    }

    /** JavaCV appends developer hints ("Has setFormat() been called?") that mean nothing to a user. */
    static String withoutHints(String javacvMessage) {
        if (javacvMessage == null) {
            return "";
        }
        String m = javacvMessage;
        for (String hint : new String[] {" (Has ", " (For more details"}) {
            int i = m.indexOf(hint);
            if (i >= 0) {
                m = m.substring(0, i);
            }
        }
        return m.trim();
    }

    public String location() {
        return location;
    }

    public boolean live() {
        return live;
    }

    public double frameRate() {
        double fps = grabber.getFrameRate();
        return Double.isFinite(fps) && fps > 0 && fps < 1000 ? fps : 0;
    }

    public int width() {
        return grabber.getImageWidth();
    }

    public int height() {
        return grabber.getImageHeight();
    }

    public boolean isH264() {
        return grabber.getVideoCodec() == avcodec.AV_CODEC_ID_H264;
    }

    /** Frames in the file as the container reports them, -1 for live or unknown. */
    public long lengthInFrames() {
        if (live) {
            return -1;
        }
        int n = grabber.getLengthInFrames();
        return n > 0 ? n : -1;
    }

    /** The next decoded picture (BGR24), or null at the end. Its buffer is reused by the next call. */
    public Frame grabImage() throws IOException {
        try {
            Frame f = grabber.grabImage();
            if (f != null && firstTimestamp == Long.MIN_VALUE) {
                firstTimestamp = f.timestamp;
            }
            return f;
        } catch (FrameGrabber.Exception e) {
            throw new IOException("cannot decode '" + location + "': " + e.getMessage(), e);
        }
    }

    /** Presentation time of a grabbed frame relative to the first one. */
    public long relativeMicros(Frame f) {
        return f.timestamp - firstTimestamp;
    }

    /**
     * The next packet of the video stream (other streams skipped), or null at the end. The packet is
     * owned by the grabber and reused by the next call.
     */
    public AVPacket grabVideoPacket() throws IOException {
        try {
            AVPacket p;
            while ((p = grabber.grabPacket()) != null) {
                if (p.stream_index() == grabber.getVideoStream()) {
                    return p;
                }
            }
            return null;
        } catch (FrameGrabber.Exception e) {
            throw new IOException("cannot read '" + location + "': " + e.getMessage(), e);
        }
    }

    FFmpegFrameGrabber grabber() {
        return grabber;
    }

    @Override
    public void close() {
        close(grabber);
    }

    private static void close(FFmpegFrameGrabber g) {
        try {
            g.close();
        } catch (FrameGrabber.Exception ignored) {
            // nothing useful to do with a failure to free native memory at the end
        }
    }
}
