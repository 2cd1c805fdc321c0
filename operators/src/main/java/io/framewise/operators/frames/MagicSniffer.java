package io.framewise.operators.frames;

import java.util.Optional;

/**
 * Guesses a record's codec from its first bytes when the {@code fw-codec} header is missing.
 *
 * <p>Only signatures that are unambiguous at offset 0 are used; MPEG-TS needs the 0x47 sync byte at
 * every 188-byte packet start (up to five packets) because a lone 0x47 is too common to trust.
 * Raw RGB has no signature and is never sniffed.
 */
public final class MagicSniffer {

    static final int TS_PACKET = 188;
    private static final int TS_PACKETS_CHECKED = 5;

    private MagicSniffer() {
    }

    public static Optional<Codec> sniff(byte[] b) {
        if (b == null || b.length < 3) {
            return Optional.empty();
        }
        if (at(b, 0, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(Codec.JPEG);
        }
        if (at(b, 0, 0x89, 0x50, 0x4E, 0x47)) {
            return Optional.of(Codec.PNG);
        }
        if (at(b, 0, 0x1A, 0x45, 0xDF, 0xA3)) {
            return Optional.of(Codec.MKV);
        }
        if (at(b, 4, 'f', 't', 'y', 'p')) {
            return Optional.of(Codec.MP4);
        }
        if (isTransportStream(b)) {
            return Optional.of(Codec.MPEGTS);
        }
        Optional<Codec> annexB = annexB(b);
        if (annexB.isPresent()) {
            return annexB;
        }
        // "BM" last: two ASCII letters are the weakest signature; require the BMP file-size field to be
        // plausible as well (at least the 14+12 byte headers).
        if (b.length >= 26 && at(b, 0, 'B', 'M')) {
            return Optional.of(Codec.BMP);
        }
        return Optional.empty();
    }

    private static boolean isTransportStream(byte[] b) {
        if (b.length < TS_PACKET || (b[0] & 0xFF) != 0x47) {
            return false;
        }
        int packets = Math.min(TS_PACKETS_CHECKED, b.length / TS_PACKET);
        for (int p = 1; p < packets; p++) {
            if ((b[p * TS_PACKET] & 0xFF) != 0x47) {
                return false;
            }
        }
        return true;
    }

    /**
     * Annex-B byte stream: a 00 00 01 or 00 00 00 01 start code followed by a NAL header whose
     * forbidden bit is 0. H.264 streams start with an AUD (9), SPS (7), PPS (8), SEI (6) or IDR (5);
     * HEVC's two-byte header carries the type in bits 1..6 of the first byte: VPS 32, SPS 33, PPS 34,
     * AUD 35, prefix SEI 39, IDR/CRA 16..21 — and its second byte (layer id low bits + temporal id)
     * is 0x01 for base-layer NALs.
     */
    private static Optional<Codec> annexB(byte[] b) {
        int nal;
        if (at(b, 0, 0, 0, 0, 1) && b.length > 5) {
            nal = 4;
        } else if (at(b, 0, 0, 0, 1) && b.length > 4) {
            nal = 3;
        } else {
            return Optional.empty();
        }
        int h0 = b[nal] & 0xFF;
        if ((h0 & 0x80) != 0) {
            return Optional.empty();
        }
        int hevcType = (h0 >> 1) & 0x3F;
        int h1 = b[nal + 1] & 0xFF;
        if (h1 == 0x01 && (h0 & 0x01) == 0 && (hevcType >= 32 && hevcType <= 40 || hevcType >= 16 && hevcType <= 21)) {
            return Optional.of(Codec.HEVC);
        }
        int avcType = h0 & 0x1F;
        if (avcType == 9 || avcType == 7 || avcType == 8 || avcType == 6 || avcType == 5 || avcType == 1) {
            return Optional.of(Codec.H264);
        }
        return Optional.empty();
    }

    private static boolean at(byte[] b, int off, int... sig) {
        if (b.length < off + sig.length) {
            return false;
        }
        for (int i = 0; i < sig.length; i++) {
            if ((b[off + i] & 0xFF) != sig[i]) {
                return false;
            }
        }
        return true;
    }
}
