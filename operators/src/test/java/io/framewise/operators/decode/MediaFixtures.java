package io.framewise.operators.decode;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;

/** Builds test inputs at test time from ../shared: image encodings and video segments in memory. */
public final class MediaFixtures {

    public static final String CAR_VIDEO = "car-detection.mp4";

    private MediaFixtures() {
    }

    public static BufferedImage readImage(String name) {
        try {
            BufferedImage img = ImageIO.read(SharedData.image(name).toFile());
            if (img == null) {
                throw new IllegalStateException("ImageIO cannot read " + name);
            }
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The raster's raw samples as packed {@code [H][W][3]} RGB, as the reference decoded them. */
    public static byte[] rgbSamples(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int bands = img.getRaster().getNumBands();
        if (bands < 3) {
            throw new IllegalArgumentException("expected an RGB raster, got " + bands + " band(s)");
        }
        int[] px = img.getRaster().getPixels(0, 0, w, h, (int[]) null);
        byte[] out = new byte[w * h * 3];
        for (int i = 0, o = 0; i < px.length; i += bands, o += 3) {
            out[o] = (byte) px[i];
            out[o + 1] = (byte) px[i + 1];
            out[o + 2] = (byte) px[i + 2];
        }
        return out;
    }

    public static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            if (!ImageIO.write(img, format, bos)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] jpeg(BufferedImage img, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream bos = new ByteArrayOutputStream();
             MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(bos)) {
            writer.setOutput(ios);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            writer.write(null, new IIOImage(img, null, null), p);
            ios.flush();
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    public static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Frames {@code [first, first+count)} of a shared video as JPEGs (the JPEG-per-record layout). */
    public static List<byte[]> jpegFrames(String video, int first, int count, float quality) throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(SharedData.video(video).toFile());
             Java2DFrameConverter conv = new Java2DFrameConverter()) {
            g.start();
            Frame f;
            int i = 0;
            while (out.size() < count && (f = g.grabImage()) != null) {
                if (i++ >= first) {
                    out.add(jpeg(conv.convert(f), quality));
                }
            }
        }
        return out;
    }

    /**
     * Re-encodes frames {@code [first, first+count)} of a shared video into one in-memory segment
     * (H.264, keyframe first) of the given container: "mpegts", "mp4" (fragmented), "matroska", "h264".
     */
    public static byte[] segment(String video, String format, int first, int count, int gop) throws Exception {
        return segment(SharedData.video(video), format, first, count, gop);
    }

    /** The same from any video file. */
    public static byte[] segment(Path video, String format, int first, int count, int gop) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile())) {
            g.start();
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            FFmpegFrameRecorder r = recorder(bos, format, g.getImageWidth(), g.getImageHeight(), g.getFrameRate(), gop);
            r.start();
            Frame f;
            int i = 0;
            int written = 0;
            while (written < count && (f = g.grabImage()) != null) {
                if (i++ >= first) {
                    r.record(f);
                    written++;
                }
            }
            r.stop();
            r.release();
            return bos.toByteArray();
        }
    }

    /** A labeled synthetic video: each image held for {@code hold} frames, in order. */
    public static byte[] slideshow(List<BufferedImage> images, int hold, String format, int w, int h, double fps, int gop)
            throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        FFmpegFrameRecorder r = recorder(bos, format, w, h, fps, gop);
        r.setVideoBitrate(4_000_000); // colours must survive: the test tells images apart by their content
        r.start();
        try (Java2DFrameConverter conv = new Java2DFrameConverter()) {
            for (BufferedImage img : images) {
                BufferedImage bgr = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
                bgr.getGraphics().drawImage(img, 0, 0, null);
                Frame f = conv.convert(bgr);
                for (int k = 0; k < hold; k++) {
                    r.record(f); // the recorder scales to w x h
                }
            }
        }
        r.stop();
        r.release();
        return bos.toByteArray();
    }

    private static FFmpegFrameRecorder recorder(ByteArrayOutputStream bos, String format, int w, int h, double fps,
                                                int gop) {
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(bos, w, h, 0);
        r.setFormat(format);
        r.setVideoCodec(avcodec.AV_CODEC_ID_H264);
        r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        r.setFrameRate(fps);
        r.setGopSize(gop);
        r.setVideoBitrate(1_500_000);
        if ("mp4".equals(format)) {
            // An OutputStream cannot seek back to write the moov atom: fragmented MP4 writes it up front.
            r.setOption("movflags", "frag_keyframe+empty_moov");
        }
        return r;
    }

    public static Path carVideo() {
        return SharedData.video(CAR_VIDEO);
    }
}
