package io.framewise.operators.decode.bench;

import io.framewise.inference.preprocess.ResizePlan;
import io.framewise.operators.decode.DecodeResult;
import io.framewise.operators.decode.FrameDecoder;
import io.framewise.operators.decode.MediaFixtures;
import io.framewise.operators.frames.Codec;
import io.framewise.operators.frames.FrameRecordMeta;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * Decode throughput on car-detection.mp4 (not a test; see docs/benchmarks.md "Decode"). Inputs are
 * built in memory first (2 s MPEG-TS segments, JPEG q=0.9 per frame), then each configuration runs
 * {@code rounds} times; the best round is reported (the machine is shared).
 */
public final class DecodeBench {

    private static final int MODEL = 224;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        avutil.av_log_set_level(avutil.AV_LOG_FATAL);
        List<byte[]> segments = new ArrayList<>();
        for (int first = 0; first < 377; first += 25) {
            segments.add(MediaFixtures.segment(MediaFixtures.CAR_VIDEO, "mpegts", first, Math.min(25, 377 - first), 25));
        }
        List<byte[]> jpegs = MediaFixtures.jpegFrames(MediaFixtures.CAR_VIDEO, 0, 377, 0.9f);
        long jpegBytes = jpegs.stream().mapToLong(b -> b.length).sum();
        long tsBytes = segments.stream().mapToLong(b -> b.length).sum();
        System.out.printf(Locale.ROOT, "inputs: %d TS segments (%d KiB), %d JPEGs (%d KiB, q=0.9)%n",
                segments.size(), tsBytes >> 10, jpegs.size(), jpegBytes >> 10);

        report("bare FFmpegFrameGrabber loop on the file (BGR, no resize)", rounds, 1, DecodeBench::bareGrabber);
        report("bare FFmpegFrameGrabber loop on the file + ResizePlan 224", rounds, 1, () -> bareGrabberResized(null));
        report("same, decoder threads=1 (as FrameDecoder runs it)", rounds, 1, () -> bareGrabberResized("1"));
        byte[] wholeFile = java.nio.file.Files.readAllBytes(MediaFixtures.carVideo());
        report("FrameDecoder, whole file as one MP4 record -> 224x224", rounds, 1,
                () -> decodeAll(Codec.MP4, List.of(wholeFile)));
        for (int threads : new int[] {1, 2}) {
            report("FrameDecoder, 2 s MPEG-TS segments -> 224x224", rounds, threads, () -> decodeAll(Codec.MPEGTS, segments));
            report("FrameDecoder, JPEG per record (reused MJPEG context) -> 224x224", rounds, threads,
                    () -> decodeAll(Codec.JPEG, jpegs));
            report("new FFmpegFrameGrabber per JPEG + ResizePlan -> 224x224", rounds, threads, () -> grabberPerJpeg(jpegs));
        }
    }

    interface Work {
        int run() throws Exception; // returns frames decoded
    }

    private static void report(String name, int rounds, int threads, Work work) throws Exception {
        double best = 0;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            work.run(); // warm-up: natives loaded, JIT
            for (int r = 0; r < rounds; r++) {
                List<Callable<Integer>> tasks = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    tasks.add(work::run);
                }
                long t0 = System.nanoTime();
                int frames = 0;
                for (Future<Integer> f : pool.invokeAll(tasks)) {
                    frames += f.get();
                }
                double fps = frames / ((System.nanoTime() - t0) / 1e9);
                best = Math.max(best, fps);
            }
        } finally {
            pool.shutdown();
        }
        System.out.printf(Locale.ROOT, "%-70s threads=%d  %8.1f frames/s  (%.3f ms/frame/thread)%n", name, threads, best,
                1000.0 * threads / best);
    }

    private static int bareGrabber() throws Exception {
        int n = 0;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(MediaFixtures.carVideo().toFile())) {
            g.start();
            while (g.grabImage() != null) {
                n++;
            }
        }
        return n;
    }

    private static int bareGrabberResized(String decoderThreads) throws Exception {
        int n = 0;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(MediaFixtures.carVideo().toFile())) {
            g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
            if (decoderThreads != null) {
                g.setVideoOption("threads", decoderThreads);
            }
            g.start();
            ResizePlan plan = ResizePlan.full(g.getImageWidth(), g.getImageHeight(), MODEL, MODEL);
            Frame f;
            while ((f = g.grabImage()) != null) {
                byte[] out = new byte[plan.outputBytes()];
                plan.resize((ByteBuffer) f.image[0], 0, f.imageStride, out, 0);
                n++;
            }
        }
        return n;
    }

    private static int decodeAll(Codec codec, List<byte[]> records) {
        int n = 0;
        try (FrameDecoder d = new FrameDecoder(MODEL, MODEL)) {
            for (int i = 0; i < records.size(); i++) {
                DecodeResult r = d.decode(FrameRecordMeta.of(codec, 0L, i), records.get(i));
                if (!r.isOk()) {
                    throw new IllegalStateException("record " + i + ": " + r);
                }
                n += r.frames().size();
            }
        }
        return n;
    }

    private static int grabberPerJpeg(List<byte[]> jpegs) throws Exception {
        int n = 0;
        for (byte[] j : jpegs) {
            try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(new ByteArrayInputStream(j), j.length)) {
                g.setFormat("image2pipe");
                g.setVideoCodecName("mjpeg");
                g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
                g.start();
                Frame f = g.grabImage();
                ResizePlan plan = ResizePlan.full(f.imageWidth, f.imageHeight, MODEL, MODEL);
                byte[] out = new byte[plan.outputBytes()];
                plan.resize((ByteBuffer) f.image[0], 0, f.imageStride, out, 0);
                n++;
            }
        }
        return n;
    }
}
