package io.framewise.operators.decode;

import static io.framewise.operators.decode.HostileMedia.cut;
import static io.framewise.operators.decode.HostileMedia.cutMidLastNal;
import static io.framewise.operators.decode.HostileMedia.pngBomb;
import static io.framewise.operators.decode.HostileMedia.random;
import static io.framewise.operators.decode.HostileMedia.withoutFirstIdr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.frames.Codec;
import io.framewise.operators.frames.FrameHeaders;
import io.framewise.operators.records.DeadLetterReason;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table of malformed records (docs/bad-inputs.md lists the same table): each must fail with its
 * reason code, and the same decoder must decode a good JPEG right after.
 */
class BadInputsTest {

    private static FrameDecoder decoder;
    private static byte[] goodJpeg;
    private static byte[] goodPng;
    private static byte[] goodBmp;
    private static byte[] h264;     // Annex-B, 6 frames, keyframe every 3
    private static byte[] h264Long; // Annex-B, 8 frames
    private static byte[] goodTs;   // MPEG-TS, 8 frames

    /** One row: what it is, the record, the expected reason. */
    record Case(String name, Supplier<Headers> headers, Supplier<byte[]> value, DeadLetterReason expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void fixtures() throws Exception {
        decoder = new FrameDecoder(224, 224, DecodeLimits.DEFAULTS.withMaxFramesPerSegment(6));
        BufferedImage cat = MediaFixtures.readImage("cat.bmp");
        goodJpeg = MediaFixtures.jpeg(cat, 0.9f);
        goodPng = MediaFixtures.encode(cat, "png");
        goodBmp = MediaFixtures.encode(cat, "bmp");
        h264 = MediaFixtures.segment(MediaFixtures.CAR_VIDEO, "h264", 0, 6, 3);
        h264Long = MediaFixtures.segment(MediaFixtures.CAR_VIDEO, "h264", 0, 8, 4);
        goodTs = MediaFixtures.segment(MediaFixtures.CAR_VIDEO, "mpegts", 0, 5, 25);
    }

    @AfterAll
    static void close() {
        decoder.close();
    }

    static Headers headers(String codec) {
        return headers(codec, "1", "1700000000000", "7");
    }

    static Headers headers(String codec, String version, String ts, String seq) {
        RecordHeaders h = new RecordHeaders();
        if (version != null) {
            h.add(FrameHeaders.VERSION, version.getBytes(StandardCharsets.UTF_8));
        }
        if (codec != null) {
            h.add(FrameHeaders.CODEC, codec.getBytes(StandardCharsets.UTF_8));
        }
        h.add(FrameHeaders.CAPTURE_TS, ts.getBytes(StandardCharsets.UTF_8));
        h.add(FrameHeaders.SEQUENCE, seq.getBytes(StandardCharsets.UTF_8));
        return h;
    }

    static Headers rawHeaders(int w, int h) {
        Headers hs = headers(Codec.RAW_RGB24.wireName());
        hs.add(FrameHeaders.WIDTH, Integer.toString(w).getBytes(StandardCharsets.UTF_8));
        hs.add(FrameHeaders.HEIGHT, Integer.toString(h).getBytes(StandardCharsets.UTF_8));
        return hs;
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("zero bytes", () -> headers("jpeg"), () -> new byte[0], DeadLetterReason.EMPTY));
        c.add(new Case("zero bytes, no codec header", () -> headers(null), () -> new byte[0], DeadLetterReason.EMPTY));
        c.add(new Case("random bytes as jpeg", () -> headers("jpeg"), () -> random(4096, 1), DeadLetterReason.CORRUPT_IMAGE));
        c.add(new Case("random bytes, no codec header", () -> headers(null), () -> random(4096, 2), DeadLetterReason.UNKNOWN_CODEC));
        c.add(new Case("random bytes as mpegts", () -> headers("mpegts"), () -> random(8192, 3), DeadLetterReason.CORRUPT_SEGMENT));
        c.add(new Case("jpeg truncated at 10%", () -> headers("jpeg"), () -> cut(goodJpeg, 0.10), DeadLetterReason.TRUNCATED));
        c.add(new Case("jpeg truncated at 50%", () -> headers("jpeg"), () -> cut(goodJpeg, 0.50), DeadLetterReason.TRUNCATED));
        c.add(new Case("jpeg truncated at 90%", () -> headers("jpeg"), () -> cut(goodJpeg, 0.90), DeadLetterReason.TRUNCATED));
        c.add(new Case("jpeg with corrupted Huffman table", () -> headers("jpeg"), () -> HostileMedia.badHuffman(goodJpeg),
                DeadLetterReason.CORRUPT_IMAGE));
        c.add(new Case("jpeg SOF declaring 0x0", () -> headers("jpeg"), () -> HostileMedia.jpegSize(goodJpeg, 0, 0), DeadLetterReason.CORRUPT_IMAGE));
        c.add(new Case("jpeg SOF declaring 60000x60000", () -> headers("jpeg"), () -> HostileMedia.jpegSize(goodJpeg, 60000, 60000),
                DeadLetterReason.DIMENSIONS_TOO_LARGE));
        c.add(new Case("png header claiming 20000x20000", () -> headers("png"), () -> pngBomb(20000, 20000),
                DeadLetterReason.DIMENSIONS_TOO_LARGE));
        c.add(new Case("png header claiming 65535x65535", () -> headers("png"), () -> pngBomb(65535, 65535),
                DeadLetterReason.DIMENSIONS_TOO_LARGE));
        c.add(new Case("png header claiming 65535x65535, no codec header", () -> headers(null),
                () -> pngBomb(65535, 65535), DeadLetterReason.DIMENSIONS_TOO_LARGE));
        c.add(new Case("png truncated at 60%", () -> headers("png"), () -> cut(goodPng, 0.60), DeadLetterReason.TRUNCATED));
        c.add(new Case("png with a flipped byte in IDAT (CRC)", () -> headers("png"), BadInputsTest::pngFlipped,
                DeadLetterReason.CORRUPT_IMAGE));
        c.add(new Case("bmp with lying header (4000x3000, data for the real size)", () -> headers("bmp"),
                BadInputsTest::bmpLying, DeadLetterReason.TRUNCATED));
        c.add(new Case("bmp header claiming 100000x100000", () -> headers("bmp"), BadInputsTest::bmpHuge,
                DeadLetterReason.DIMENSIONS_TOO_LARGE));
        c.add(new Case("png bytes labelled jpeg (wrong codec header)", () -> headers("jpeg"), () -> goodPng,
                DeadLetterReason.CORRUPT_IMAGE));
        c.add(new Case("jpeg bytes labelled h264 (wrong codec header)", () -> headers("h264"), () -> goodJpeg,
                DeadLetterReason.CORRUPT_SEGMENT));
        c.add(new Case("unknown codec name", () -> headers("webp"), () -> goodJpeg, DeadLetterReason.UNKNOWN_CODEC));
        c.add(new Case("unknown version", () -> headers("jpeg", "2", "1", "1"), () -> goodJpeg,
                DeadLetterReason.UNSUPPORTED_VERSION));
        c.add(new Case("non-numeric timestamp", () -> headers("jpeg", "1", "yesterday", "1"), () -> goodJpeg,
                DeadLetterReason.BAD_HEADER));
        c.add(new Case("negative sequence number", () -> headers("jpeg", "1", "1", "-4"), () -> goodJpeg,
                DeadLetterReason.BAD_HEADER));
        c.add(new Case("raw-rgb24 with wrong length", () -> rawHeaders(64, 48), () -> new byte[64 * 48 * 3 - 1],
                DeadLetterReason.DIMENSION_MISMATCH));
        c.add(new Case("raw-rgb24 without width/height", () -> headers("raw-rgb24"), () -> new byte[12],
                DeadLetterReason.BAD_HEADER));
        c.add(new Case("raw-rgb24 claiming 9000x9000", () -> rawHeaders(9000, 9000), () -> new byte[300],
                DeadLetterReason.DIMENSIONS_TOO_LARGE));
        c.add(new Case("over the encoded size limit", () -> headers("jpeg"), () -> oversized(goodJpeg),
                DeadLetterReason.TOO_LARGE));
        c.add(new Case("h264 cut mid-NAL", () -> headers("h264"), () -> cutMidLastNal(h264), DeadLetterReason.TRUNCATED));
        c.add(new Case("h264 segment without keyframe at start", () -> headers("h264"), () -> withoutFirstIdr(h264),
                DeadLetterReason.NO_KEYFRAME));
        c.add(new Case("segment with more frames than the limit (8 > 6)", () -> headers("h264"), () -> h264Long,
                DeadLetterReason.TOO_MANY_FRAMES));
        c.add(new Case("mpegts truncated to its first 2 packets", () -> headers("mpegts"),
                () -> Arrays.copyOf(goodTs, 376), DeadLetterReason.CORRUPT_SEGMENT));
        c.add(new Case("mpegts cut at 50%", () -> headers("mpegts"), () -> cut(goodTs, 0.5), DeadLetterReason.TRUNCATED));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void failsWithItsReasonAndDecoderStaysUsable(Case bad) {
        DecodeResult res = decoder.decode(bad.headers().get(), bad.value().get());
        assertEquals(bad.expected(), res.reasonOrNull(), () -> bad.name() + ": " + res);
        assertTrue(!res.failure().message().isEmpty());

        DecodeResult good = decoder.decode(headers("jpeg"), goodJpeg);
        assertTrue(good.isOk(), () -> "good JPEG after '" + bad.name() + "': " + good);
        assertEquals(1700000000000L, good.frames().get(0).ptsMs());
    }

    @Test
    void goodInputsOfEveryStillKindDecode() {
        for (byte[] v : List.of(goodJpeg, goodPng, goodBmp)) {
            DecodeResult r = decoder.decode(headers(null), v); // sniffed codec
            assertTrue(r.isOk(), r::toString);
        }
        assertTrue(decoder.decode(headers("mpegts"), goodTs).isOk());
        DecodeResult h = decoder.decode(headers("h264"), h264);
        assertTrue(h.isOk(), h::toString);
        assertEquals(6, h.frames().size());
    }

    @Test
    void heapAndNativeMemoryStayBoundedOverALoopOfBadInputs() {
        List<Case> all = cases().toList();
        Runtime rt = Runtime.getRuntime();
        for (Case bad : all) { // first round outside the measurement: contexts and caches get created
            decoder.decode(bad.headers().get(), bad.value().get());
        }
        long before = usedAfterGc(rt);
        long rssBefore = Pointer.physicalBytes();
        int rounds = 30;
        for (int round = 0; round < rounds; round++) {
            for (Case bad : all) {
                assertEquals(bad.expected(), decoder.decode(bad.headers().get(), bad.value().get()).reasonOrNull());
            }
            assertTrue(decoder.decode(headers("mpegts"), goodTs).isOk());
        }
        long grown = usedAfterGc(rt) - before;
        long rssGrown = Pointer.physicalBytes() - rssBefore;
        assertTrue(grown < 32L << 20, "heap grew by " + (grown >> 20) + " MiB over " + rounds * all.size() + " bad records");
        // A leaked grabber or codec context per record would be ~1 MiB each: 1000+ records would show.
        assertTrue(rssGrown < 128L << 20, "resident memory grew by " + (rssGrown >> 20) + " MiB over "
                + rounds * all.size() + " bad records");
        assertTrue(decoder.decode(headers("jpeg"), goodJpeg).isOk());
    }

    @Test
    void segmentOverThePixelLimitIsRejectedBeforeItsFramesAreDecoded() {
        try (FrameDecoder small = new FrameDecoder(224, 224, DecodeLimits.DEFAULTS.withMaxSize(640, 480, 640L * 480))) {
            DecodeResult r = small.decode(headers("mpegts"), goodTs); // 768x432 > 640 wide
            assertEquals(DeadLetterReason.DIMENSIONS_TOO_LARGE, r.reasonOrNull(), r::toString);
            DecodeResult j = small.decode(headers("jpeg"), MediaFixtures.jpeg(MediaFixtures.readImage("grace_hopper.bmp"), 0.9f));
            assertEquals(DeadLetterReason.DIMENSIONS_TOO_LARGE, j.reasonOrNull(), j::toString); // 512x600 > 480 high
            assertTrue(small.decode(headers("jpeg"), goodJpeg).isOk()); // cat is 512x341
        }
    }

    private static long usedAfterGc(Runtime rt) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    // --- builders of bad inputs ---

    static byte[] oversized(byte[] jpeg) {
        return Arrays.copyOf(jpeg, (16 << 20) + 1); // a valid JPEG start, padded past 16 MiB
    }

    static byte[] pngFlipped() {
        byte[] b = goodPng.clone();
        b[b.length / 2] ^= 0x5A;
        return b;
    }

    /** A real BMP whose info header claims 4000x3000: the pixel rows it promises are not there. */
    static byte[] bmpLying() {
        byte[] b = goodBmp.clone();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(18, 4000);
        bb.putInt(22, 3000);
        return b;
    }

    static byte[] bmpHuge() {
        byte[] b = goodBmp.clone();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(18, 100000);
        bb.putInt(22, 100000);
        return b;
    }
}
