package io.framewise.operators.decode;

import io.framewise.operators.frames.Codec;
import io.framewise.operators.records.DeadLetterReason;

/**
 * Reads an image's dimensions from its header — JPEG SOF marker, PNG IHDR, BMP info header — and
 * checks them against {@link DecodeLimits} before any decoder sees the bytes, so an image bomb (a
 * small file declaring 65535x65535) is rejected without allocating its picture.
 *
 * <p>It also checks the cheap structural signs of truncation FFmpeg would paper over (its MJPEG
 * decoder "emulates" a missing EOI and returns a half-grey picture): a JPEG must have an EOI after
 * its first SOS, a PNG must end in IEND, an uncompressed BMP must hold all the rows it declares.
 */
final class ImageHeaderProbe {

    /** Width and height from the header. */
    record Geometry(int width, int height) {
    }

    private ImageHeaderProbe() {
    }

    static Geometry probe(Codec codec, byte[] b, DecodeLimits limits) throws DecodeException {
        return switch (codec) {
            case JPEG -> jpeg(b, limits);
            case PNG -> png(b, limits);
            case BMP -> bmp(b, limits);
            default -> throw new DecodeException(DeadLetterReason.UNKNOWN_CODEC, codec + " is not a still image codec");
        };
    }

    /** Size limits come before the truncation checks: a bomb is reported as one even when cut short. */
    private static void checkSize(String what, long w, long h, DecodeLimits limits) throws DecodeException {
        String violation = limits.sizeViolation(w, h);
        if (violation != null) {
            throw new DecodeException(DeadLetterReason.DIMENSIONS_TOO_LARGE, what + " header declares " + violation);
        }
    }

    // --- JPEG: walk the marker segments up to SOFn, then to SOS, then look for EOI ---

    static Geometry jpeg(byte[] b, DecodeLimits limits) throws DecodeException {
        if (b.length < 4 || u8(b, 0) != 0xFF || u8(b, 1) != 0xD8) {
            throw new DecodeException(DeadLetterReason.CORRUPT_IMAGE, "not a JPEG: no SOI marker");
        }
        int p = 2;
        Geometry g = null;
        while (true) {
            if (p >= b.length) {
                throw new DecodeException(DeadLetterReason.TRUNCATED, "JPEG ends inside its headers at byte " + p);
            }
            if (u8(b, p) != 0xFF) {
                throw new DecodeException(DeadLetterReason.CORRUPT_IMAGE, "JPEG: expected a marker at byte " + p);
            }
            while (p < b.length && u8(b, p) == 0xFF) {
                p++; // fill bytes
            }
            if (p >= b.length) {
                throw new DecodeException(DeadLetterReason.TRUNCATED, "JPEG ends inside a marker");
            }
            int m = u8(b, p++);
            if (m == 0x01 || m >= 0xD0 && m <= 0xD7) {
                continue; // TEM, RSTn: no length
            }
            if (m == 0xD8 || m == 0xD9) {
                throw new DecodeException(DeadLetterReason.CORRUPT_IMAGE, "JPEG: unexpected marker FF" + hex(m) + " before image data");
            }
            if (p + 2 > b.length) {
                throw new DecodeException(DeadLetterReason.TRUNCATED, "JPEG ends inside a marker length");
            }
            int len = u16be(b, p);
            if (len < 2) {
                throw new DecodeException(DeadLetterReason.CORRUPT_IMAGE, "JPEG: marker FF" + hex(m) + " with length " + len);
            }
            if (p + len > b.length) {
                throw new DecodeException(DeadLetterReason.TRUNCATED, "JPEG ends inside marker FF" + hex(m));
            }
            boolean sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
            if (sof && g == null) {
                if (len < 8) {
                    throw new DecodeException(DeadLetterReason.CORRUPT_IMAGE, "JPEG: short SOF segment");
                }
                int h = u16be(b, p + 3);
                int w = u16be(b, p + 5);
                if (w == 0 || h == 0) {
                    throw new DecodeException(DeadLetterReason.CORRUPT_IMAGE, "JPEG: SOF declares " + w + "x" + h
                            + " (DNL-defined heights are not supported)");
                }
                checkSize("JPEG", w, h, limits);
                g = new Geometry(w, h);
            }
            if (m == 0xDA) {
                if (g == null) {
                    throw new DecodeException(DeadLetterReason.CORRUPT_IMAGE, "JPEG: scan data before any SOF marker");
                }
                // In entropy-coded data 0xFF is always followed by 0x00 or RSTn, so FF D9 can only be EOI.
                if (!containsEoi(b, p + len)) {
                    throw new DecodeException(DeadLetterReason.TRUNCATED, "JPEG has no EOI marker after its scan data ("
                            + b.length + " bytes)");
                }
                return g;
            }
            p += len;
        }
    }

    private static boolean containsEoi(byte[] b, int from) {
        for (int i = b.length - 2; i >= from; i--) {
            if (b[i] == (byte) 0xFF && b[i + 1] == (byte) 0xD9) {
                return true;
            }
        }
        return false;
    }

    // --- PNG: IHDR must be the first chunk ---

    static Geometry png(byte[] b, DecodeLimits limits) throws DecodeException {
        if (b.length < 8 || u8(b, 0) != 0x89 || b[1] != 'P' || b[2] != 'N' || b[3] != 'G') {
            throw new DecodeException(DeadLetterReason.CORRUPT_IMAGE, "not a PNG: bad signature");
        }
        if (b.length < 33) { // signature 8 + IHDR chunk 25
            throw new DecodeException(DeadLetterReason.TRUNCATED, "PNG ends inside its IHDR chunk (" + b.length + " bytes)");
        }
        if (u32be(b, 8) != 13 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            throw new DecodeException(DeadLetterReason.CORRUPT_IMAGE, "PNG: first chunk is not a 13-byte IHDR");
        }
        long w = u32be(b, 16);
        long h = u32be(b, 20);
        if (w == 0 || h == 0 || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
            throw new DecodeException(DeadLetterReason.CORRUPT_IMAGE, "PNG: IHDR declares invalid size " + w + "x" + h);
        }
        checkSize("PNG", w, h, limits);
        if (!endsWithIend(b)) {
            throw new DecodeException(DeadLetterReason.TRUNCATED, "PNG does not end with an IEND chunk (" + b.length + " bytes)");
        }
        return new Geometry((int) w, (int) h);
    }

    private static boolean endsWithIend(byte[] b) {
        // IEND is length 0, type "IEND", CRC: the last 12 bytes. Tolerate a little trailing padding.
        int lo = Math.max(33, b.length - 64);
        for (int i = b.length - 8; i >= lo; i--) {
            if (b[i] == 'I' && b[i + 1] == 'E' && b[i + 2] == 'N' && b[i + 3] == 'D') {
                return true;
            }
        }
        return false;
    }

    // --- BMP: file header + info header; uncompressed rows must all be present ---

    static Geometry bmp(byte[] b, DecodeLimits limits) throws DecodeException {
        if (b.length < 2 || b[0] != 'B' || b[1] != 'M') {
            throw new DecodeException(DeadLetterReason.CORRUPT_IMAGE, "not a BMP: no 'BM' signature");
        }
        if (b.length < 26) {
            throw new DecodeException(DeadLetterReason.TRUNCATED, "BMP ends inside its headers (" + b.length + " bytes)");
        }
        long pixelOffset = u32le(b, 10);
        long dib = u32le(b, 14);
        long w;
        long h;
        int bpp;
        long compression = 0;
        if (dib == 12) {
            w = u16le(b, 18);
            h = (short) u16le(b, 20);
            bpp = u16le(b, 24);
        } else if (dib >= 40 && dib <= 124) {
            if (b.length < 14 + 40) {
                throw new DecodeException(DeadLetterReason.TRUNCATED, "BMP ends inside its info header");
            }
            w = (int) u32le(b, 18);
            h = (int) u32le(b, 22);
            bpp = u16le(b, 28);
            compression = u32le(b, 30);
        } else {
            throw new DecodeException(DeadLetterReason.CORRUPT_IMAGE, "BMP: unknown info header size " + dib);
        }
        h = Math.abs(h); // negative height = top-down rows
        if (w <= 0 || h <= 0) {
            throw new DecodeException(DeadLetterReason.CORRUPT_IMAGE, "BMP: header declares invalid size " + w + "x" + h);
        }
        checkSize("BMP", w, h, limits);
        if (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32) {
            throw new DecodeException(DeadLetterReason.CORRUPT_IMAGE, "BMP: unsupported bits per pixel " + bpp);
        }
        if (pixelOffset < 14 + dib || pixelOffset > b.length) {
            throw new DecodeException(pixelOffset > b.length ? DeadLetterReason.TRUNCATED : DeadLetterReason.CORRUPT_IMAGE,
                    "BMP: pixel data offset " + pixelOffset + " outside the file (" + b.length + " bytes)");
        }
        boolean uncompressed = compression == 0 || compression == 3; // BI_RGB, BI_BITFIELDS
        if (uncompressed && w <= Integer.MAX_VALUE && h <= Integer.MAX_VALUE) {
            long rowBytes = (w * bpp + 31) / 32 * 4;
            long need = pixelOffset + rowBytes * h;
            if (need > b.length) {
                throw new DecodeException(DeadLetterReason.TRUNCATED, "BMP header declares " + w + "x" + h + "x" + bpp
                        + " bpp (" + need + " bytes) but the file has " + b.length);
            }
        }
        return new Geometry((int) Math.min(w, Integer.MAX_VALUE), (int) Math.min(h, Integer.MAX_VALUE));
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static int u16be(byte[] b, int i) {
        return (u8(b, i) << 8) | u8(b, i + 1);
    }

    private static int u16le(byte[] b, int i) {
        return u8(b, i) | (u8(b, i + 1) << 8);
    }

    private static long u32be(byte[] b, int i) {
        return ((long) u8(b, i) << 24) | (u8(b, i + 1) << 16) | (u8(b, i + 2) << 8) | u8(b, i + 3);
    }

    private static long u32le(byte[] b, int i) {
        return u8(b, i) | (u8(b, i + 1) << 8) | (u8(b, i + 2) << 16) | ((long) u8(b, i + 3) << 24);
    }

    private static String hex(int m) {
        return String.format("%02X", m);
    }
}
