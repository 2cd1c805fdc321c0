package io.framewise.operators.decode;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Byte surgery that turns good media into hostile input: the decoder-level table ({@link BadInputsTest})
 * and the end-to-end catalog (the pipeline's {@code HostileInputITCase}, through this module's test jar)
 * damage their inputs the same way.
 */
public final class HostileMedia {

    private HostileMedia() {
    }

    public static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        b[0] = 0x11; // no signature starts with 0x11
        return b;
    }

    public static byte[] cut(byte[] b, double fraction) {
        return Arrays.copyOf(b, (int) (b.length * fraction));
    }

    /** The JPEG with its first DHT's table class set to 2 (only 0 = DC and 1 = AC exist). */
    public static byte[] badHuffman(byte[] jpeg) {
        byte[] b = jpeg.clone();
        int p = markerOffset(b, 0xC4);
        b[p + 4] = (byte) (0x20 | (b[p + 4] & 0x0F));
        return b;
    }

    /** The JPEG with its SOF0 patched to declare another size. */
    public static byte[] jpegSize(byte[] jpeg, int w, int h) {
        byte[] b = jpeg.clone();
        int p = markerOffset(b, 0xC0);
        b[p + 5] = (byte) (h >> 8);
        b[p + 6] = (byte) h;
        b[p + 7] = (byte) (w >> 8);
        b[p + 8] = (byte) w;
        return b;
    }

    /** Offset of the 0xFF of the first marker {@code m} in the header part of a JPEG. */
    static int markerOffset(byte[] b, int m) {
        int p = 2;
        while (p + 4 < b.length) {
            int marker = b[p + 1] & 0xFF;
            if (marker == m) {
                return p;
            }
            p += 2 + (((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF));
        }
        throw new IllegalStateException("marker " + Integer.toHexString(m) + " not found");
    }

    /** A well-formed PNG (signature, IHDR, a tiny IDAT, IEND) whose IHDR declares w x h. */
    public static byte[] pngBomb(int w, int h) {
        byte[] b = MediaFixtures.encode(new BufferedImage(8, 8, BufferedImage.TYPE_3BYTE_BGR), "png");
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
        bb.putInt(16, w);
        bb.putInt(20, h);
        CRC32 crc = new CRC32();
        crc.update(b, 12, 17); // chunk type + 13 data bytes
        bb.putInt(29, (int) crc.getValue());
        return b;
    }

    // --- Annex-B surgery ---

    /** The NAL units of an Annex-B stream: {start code offset, NAL header offset}. */
    static List<int[]> nals(byte[] b) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i + 3 < b.length; i++) {
            if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
                int start = i > 0 && b[i - 1] == 0 ? i - 1 : i;
                out.add(new int[] {start, i + 3});
                i += 2;
            }
        }
        return out;
    }

    public static byte[] cutMidLastNal(byte[] b) {
        List<int[]> n = nals(b);
        int last = n.get(n.size() - 1)[1];
        return Arrays.copyOf(b, last + (b.length - last) / 2);
    }

    /** Drops every NAL from the first IDR slice up to the next non-IDR slice; keeps SPS/PPS. */
    public static byte[] withoutFirstIdr(byte[] b) {
        List<int[]> n = nals(b);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean seenIdr = false;
        boolean dropping = true;
        for (int k = 0; k < n.size(); k++) {
            int start = n.get(k)[0];
            int end = k + 1 < n.size() ? n.get(k + 1)[0] : b.length;
            int type = b[n.get(k)[1]] & 0x1F;
            if (type == 5) {
                seenIdr = true;
            }
            if (seenIdr && type == 1) {
                dropping = false;
            }
            boolean keep = type == 7 || type == 8 || !dropping && type != 5;
            if (keep) {
                out.write(b, start, end - start);
            }
        }
        return out.toByteArray();
    }
}
