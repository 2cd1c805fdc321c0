package io.framewise.pipeline.job;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Byte surgery for the hostile-input catalog run end to end ({@link HostileInputITCase}); the same
 * kinds of damage as the decoder-level table (operators' {@code BadInputsTest}), built here from the
 * pipeline's own fixtures because test classes are not shared between modules.
 */
final class HostileRecords {

    private HostileRecords() {
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        b[0] = 0x11; // no known signature starts with 0x11
        return b;
    }

    static byte[] cut(byte[] b, double fraction) {
        return Arrays.copyOf(b, (int) (b.length * fraction));
    }

    static byte[] encode(BufferedImage img, String format) {
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

    /** The first DHT's table class set to 2 (only 0 = DC and 1 = AC exist). */
    static byte[] badHuffman(byte[] jpeg) {
        byte[] b = jpeg.clone();
        int p = markerOffset(b, 0xC4);
        b[p + 4] = (byte) (0x20 | (b[p + 4] & 0x0F));
        return b;
    }

    /** The JPEG with its SOF0 declaring another size. */
    static byte[] jpegSize(byte[] jpeg, int w, int h) {
        byte[] b = jpeg.clone();
        int p = markerOffset(b, 0xC0);
        b[p + 5] = (byte) (h >> 8);
        b[p + 6] = (byte) h;
        b[p + 7] = (byte) (w >> 8);
        b[p + 8] = (byte) w;
        return b;
    }

    private static int markerOffset(byte[] b, int m) {
        int p = 2;
        while (p + 4 < b.length) {
            if ((b[p + 1] & 0xFF) == m) {
                return p;
            }
            p += 2 + (((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF));
        }
        throw new IllegalStateException("marker " + Integer.toHexString(m) + " not found");
    }

    /** A well-formed 8x8 PNG whose IHDR (with a valid CRC) declares w x h. */
    static byte[] pngBomb(int w, int h) {
        byte[] b = encode(new BufferedImage(8, 8, BufferedImage.TYPE_3BYTE_BGR), "png");
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
        bb.putInt(16, w);
        bb.putInt(20, h);
        CRC32 crc = new CRC32();
        crc.update(b, 12, 17);
        bb.putInt(29, (int) crc.getValue());
        return b;
    }

    /** Frames {@code [0, count)} of a video re-encoded as one H.264 Annex-B segment, keyframe every {@code gop}. */
    static byte[] h264(Path video, int count, int gop) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile())) {
            g.start();
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            FFmpegFrameRecorder r = new FFmpegFrameRecorder(bos, g.getImageWidth(), g.getImageHeight(), 0);
            r.setFormat("h264");
            r.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            r.setFrameRate(g.getFrameRate());
            r.setGopSize(gop);
            r.start();
            Frame f;
            for (int i = 0; i < count && (f = g.grabImage()) != null; i++) {
                r.record(f);
            }
            r.stop();
            r.release();
            return bos.toByteArray();
        }
    }

    /** Start-code offsets and NAL header offsets of an Annex-B stream. */
    private static List<int[]> nals(byte[] b) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i + 3 < b.length; i++) {
            if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
                out.add(new int[] {i > 0 && b[i - 1] == 0 ? i - 1 : i, i + 3});
                i += 2;
            }
        }
        return out;
    }

    static byte[] cutMidLastNal(byte[] b) {
        List<int[]> n = nals(b);
        int last = n.get(n.size() - 1)[1];
        return Arrays.copyOf(b, last + (b.length - last) / 2);
    }

    /** Drops the NALs from the first IDR slice up to the next non-IDR slice; keeps SPS/PPS. */
    static byte[] withoutFirstIdr(byte[] b) {
        List<int[]> n = nals(b);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean seenIdr = false;
        boolean dropping = true;
        for (int k = 0; k < n.size(); k++) {
            int start = n.get(k)[0];
            int end = k + 1 < n.size() ? n.get(k + 1)[0] : b.length;
            int type = b[n.get(k)[1]] & 0x1F;
            seenIdr |= type == 5;
            if (seenIdr && type == 1) {
                dropping = false;
            }
            if (type == 7 || type == 8 || !dropping && type != 5) {
                out.write(b, start, end - start);
            }
        }
        return out.toByteArray();
    }
}
