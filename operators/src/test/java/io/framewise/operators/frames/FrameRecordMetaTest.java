package io.framewise.operators.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrameRecordMetaTest {

    private static RecordHeaders headers(String... kv) {
        RecordHeaders h = new RecordHeaders();
        for (int i = 0; i < kv.length; i += 2) {
            h.add(kv[i], kv[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return h;
    }

    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0};

    @Test
    void parsesAllHeaders() throws Exception {
        FrameRecordMeta m = FrameRecordMeta.parse(headers(FrameHeaders.VERSION, "1", FrameHeaders.CODEC, "MPEGTS",
                FrameHeaders.CAPTURE_TS, "1700000000123", FrameHeaders.SEQUENCE, "42", FrameHeaders.FPS, "12.5",
                FrameHeaders.WIDTH, "768", FrameHeaders.HEIGHT, "432"), new byte[0]);
        assertEquals(1, m.version());
        assertEquals(Codec.MPEGTS, m.codec());
        assertFalse(m.codecSniffed());
        assertEquals(1700000000123L, m.captureTsMs());
        assertEquals(42L, m.sequence());
        assertEquals(12.5, m.fps().getAsDouble());
        assertEquals(768, m.width().getAsInt());
        assertEquals(432, m.height().getAsInt());
    }

    @Test
    void missingVersionIsVersionOneAndMissingCodecIsSniffed() throws Exception {
        FrameRecordMeta m = FrameRecordMeta.parse(headers(FrameHeaders.CAPTURE_TS, "5", FrameHeaders.SEQUENCE, "0"), JPEG);
        assertEquals(1, m.version());
        assertEquals(Codec.JPEG, m.codec());
        assertTrue(m.codecSniffed());
        assertTrue(m.fps().isEmpty());
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource({
        "fw-version, 2, UNSUPPORTED_VERSION",
        "fw-version, v1, UNSUPPORTED_VERSION",
        "fw-codec, gif, UNKNOWN_CODEC",
        "fw-ts, 12:00, BAD_HEADER",
        "fw-ts, 99999999999999999999, BAD_HEADER",
        "fw-ts, -1, BAD_HEADER",
        "fw-seq, one, BAD_HEADER",
        "fw-fps, NaN, BAD_HEADER",
        "fw-fps, 0, BAD_HEADER",
        "fw-width, -3, BAD_HEADER",
        "fw-height, 4.5, BAD_HEADER",
    })
    void malformedHeaderIsATypedFailure(String name, String value, FrameFormatException.Problem expected) {
        RecordHeaders h = headers(FrameHeaders.CODEC, "jpeg", FrameHeaders.CAPTURE_TS, "1", FrameHeaders.SEQUENCE, "1");
        h.remove(name);
        h.add(name, value.getBytes(StandardCharsets.UTF_8));
        FrameFormatException e = assertThrows(FrameFormatException.class, () -> FrameRecordMeta.parse(h, JPEG));
        assertEquals(expected, e.problem(), e.getMessage());
    }

    @Test
    void missingRequiredHeadersFail() {
        assertEquals(FrameFormatException.Problem.BAD_HEADER, assertThrows(FrameFormatException.class,
                () -> FrameRecordMeta.parse(headers(FrameHeaders.CODEC, "jpeg", FrameHeaders.SEQUENCE, "1"), JPEG)).problem());
        assertEquals(FrameFormatException.Problem.BAD_HEADER, assertThrows(FrameFormatException.class,
                () -> FrameRecordMeta.parse(headers(FrameHeaders.CODEC, "raw-rgb24", FrameHeaders.CAPTURE_TS, "1",
                        FrameHeaders.SEQUENCE, "1", FrameHeaders.WIDTH, "4"), new byte[48])).problem());
        assertEquals(FrameFormatException.Problem.UNKNOWN_CODEC, assertThrows(FrameFormatException.class,
                () -> FrameRecordMeta.parse(headers(FrameHeaders.CAPTURE_TS, "1", FrameHeaders.SEQUENCE, "1"),
                        new byte[] {1, 2, 3, 4})).problem());
    }

    @Test
    void snifferRecognisesEverySignature() {
        byte[] ts = new byte[188 * 3];
        ts[0] = 0x47;
        ts[188] = 0x47;
        ts[376] = 0x47;
        assertEquals(Optional.of(Codec.MPEGTS), MagicSniffer.sniff(ts));
        ts[188] = 0x48;
        assertEquals(Optional.empty(), MagicSniffer.sniff(ts), "a lone 0x47 is not a transport stream");
        assertEquals(Optional.of(Codec.JPEG), MagicSniffer.sniff(JPEG));
        assertEquals(Optional.of(Codec.PNG), MagicSniffer.sniff(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}));
        byte[] bmp = new byte[54];
        bmp[0] = 'B';
        bmp[1] = 'M';
        assertEquals(Optional.of(Codec.BMP), MagicSniffer.sniff(bmp));
        assertEquals(Optional.of(Codec.MP4), MagicSniffer.sniff(new byte[] {0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'}));
        assertEquals(Optional.of(Codec.MKV), MagicSniffer.sniff(new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, 0}));
        assertEquals(Optional.of(Codec.H264), MagicSniffer.sniff(new byte[] {0, 0, 0, 1, 0x67, 0x42, 0}));
        assertEquals(Optional.of(Codec.H264), MagicSniffer.sniff(new byte[] {0, 0, 1, 0x09, (byte) 0xF0, 0}));
        assertEquals(Optional.of(Codec.HEVC), MagicSniffer.sniff(new byte[] {0, 0, 0, 1, 0x40, 0x01, 0x0C}));
        assertEquals(Optional.empty(), MagicSniffer.sniff(new byte[] {0, 0, 0, 1, (byte) 0x80, 0}), "forbidden bit set");
        assertEquals(Optional.empty(), MagicSniffer.sniff(new byte[0]));
        assertEquals(Optional.empty(), MagicSniffer.sniff(null));
    }
}
