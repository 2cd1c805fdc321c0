package io.framewise.operators.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.framewise.operators.frames.Codec;
import io.framewise.operators.records.DeadLetterReason;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers that lie about themselves or point elsewhere. A record's bytes are only ever read from
 * memory: the demuxer is forced from {@code fw-codec} (never probed, so HLS, concat and friends are
 * unreachable) and a playlist or reference inside a record must not make FFmpeg open a file or URL.
 * "Opened" is observed, not assumed: the referenced file is a named pipe whose writer only gets
 * through when someone opens it for reading, and the URL points at a local HTTP server that counts
 * requests.
 */
@Timeout(120)
class HostileContainersTest {

    private static FrameDecoder decoder;
    private static byte[] fragmentedMp4; // 5 frames
    private static HttpServer http;
    private static final AtomicInteger requests = new AtomicInteger();

    @TempDir
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        decoder = new FrameDecoder(224, 224);
        fragmentedMp4 = MediaFixtures.segment(MediaFixtures.CAR_VIDEO, "mp4", 0, 5, 25);
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        http.start();
    }

    @AfterAll
    static void tearDown() {
        decoder.close();
        http.stop(0);
    }

    @Test
    void aFragmentClaimingMillionsOfSamplesDoesNotAllocateForThem() {
        assertTrue(decoder.decode(BadInputsTest.headers("mp4"), fragmentedMp4).isOk());
        for (int claimed : new int[] {1 << 20, 100_000_000, Integer.MAX_VALUE}) {
            byte[] b = withTrunSampleCount(fragmentedMp4, claimed);
            long rss = Pointer.physicalBytes();
            DecodeResult r = decoder.decode(BadInputsTest.headers("mp4"), b);
            long grown = Pointer.physicalBytes() - rss;
            // The claim is never trusted (the mov demuxer rejects a run longer than its box on open).
            assertEquals(DeadLetterReason.CORRUPT_SEGMENT, r.reasonOrNull(), claimed + ": " + r);
            assertTrue(grown < 256L << 20, claimed + " claimed samples grew resident memory by " + (grown >> 20) + " MiB");
        }
        assertTrue(decoder.decode(BadInputsTest.headers("mp4"), fragmentedMp4).isOk());
    }

    @Test
    void playlistsAndReferencesInsideARecordOpenNothing() throws Exception {
        Path fifo = dir.resolve("bait");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo");
        AtomicBoolean opened = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            try (OutputStream o = Files.newOutputStream(fifo)) { // blocks until a reader opens the pipe
                opened.set(true);
            } catch (Exception e) {
                // the test's own reader below closed it
            }
        });
        writer.setDaemon(true);
        writer.start();

        String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/seg.ts";
        List<byte[]> payloads = new ArrayList<>();
        payloads.add(("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n" + url + "\n#EXTINF:2.0,\nfile:" + fifo
                + "\n#EXTINF:2.0,\n/etc/passwd\n#EXT-X-ENDLIST\n").getBytes(StandardCharsets.UTF_8));
        payloads.add(("ffconcat version 1.0\nfile '" + fifo + "'\nfile '/etc/passwd'\nfile '" + url + "'\n")
                .getBytes(StandardCharsets.UTF_8));
        payloads.add(("[playlist]\nFile1=" + url + "\nFile2=" + fifo + "\n").getBytes(StandardCharsets.UTF_8));
        for (byte[] p : payloads) {
            for (Codec c : new Codec[] {Codec.MPEGTS, Codec.MP4, Codec.MKV, Codec.H264, Codec.HEVC, Codec.JPEG}) {
                DecodeResult r = decoder.decode(BadInputsTest.headers(c.wireName()), p);
                assertFalse(r.isOk(), c + ": " + r);
            }
            DecodeResult sniffed = decoder.decode(BadInputsTest.headers(null), p);
            assertEquals(DeadLetterReason.UNKNOWN_CODEC, sniffed.reasonOrNull(), sniffed::toString);
        }
        Thread.sleep(200); // a reader that opened the pipe lets the writer through at once
        boolean wasOpened = opened.get();
        try (InputStream release = Files.newInputStream(fifo)) { // unblock the writer
            writer.join(5000);
        }
        assertTrue(opened.get(), "the bait detects a reader (our own)");
        assertFalse(wasOpened, "a record's playlist made the decoder open " + fifo);
        assertEquals(0, requests.get(), "a record's playlist made the decoder fetch " + url);
    }

    /** The fragmented MP4 with the sample count of its first {@code trun} box replaced. */
    static byte[] withTrunSampleCount(byte[] mp4, int count) {
        byte[] b = mp4.clone();
        for (int i = 4; i + 12 < b.length; i++) {
            if (b[i] == 't' && b[i + 1] == 'r' && b[i + 2] == 'u' && b[i + 3] == 'n') {
                ByteBuffer.wrap(b).putInt(i + 8, count); // after type: version+flags (4), then sample_count
                return b;
            }
        }
        throw new IllegalStateException("no trun box");
    }
}
