package io.framewise.pipeline.cli;

import io.framewise.pipeline.produce.FrameRecordSender;
import io.framewise.pipeline.produce.ProduceLoop;
import io.framewise.pipeline.produce.ProduceStats;
import io.framewise.pipeline.produce.encode.Container;
import io.framewise.pipeline.produce.encode.ImageFolderReader;
import io.framewise.pipeline.produce.encode.JpegFrameReader;
import io.framewise.pipeline.produce.encode.MediaReader;
import io.framewise.pipeline.produce.encode.SegmentCuts;
import io.framewise.pipeline.produce.encode.SegmentOptions;
import io.framewise.pipeline.produce.encode.VideoSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code framewise produce}: puts a video file, image folder or camera stream onto Kafka as frame records. */
@Command(name = "produce",
        mixinStandardHelpOptions = true,
        description = {
                "Sends video to Kafka in the Framewise frame record format (README: \"Frame record format\").",
                "SOURCE is a video file, a folder of images (sent file by file in name order, bytes unchanged)"
                        + " or a stream URL (rtsp://, http://, ...)."},
        sortOptions = false)
public final class ProduceCommand implements java.util.concurrent.Callable<Integer> {

    /** Record payload: one JPEG per frame, or self-contained video segments. */
    public enum Format { jpeg, segment }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "Video file, image folder, or rtsp:// / http:// URL.")
    String source;

    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(names = "--topic", defaultValue = "frames", description = "Topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--camera", required = true, paramLabel = "ID", description = "Camera id: the record key.")
    String camera;

    @Option(names = "--format", defaultValue = "jpeg", paramLabel = "jpeg|segment",
            description = "jpeg: each frame re-encoded as JPEG; segment: video segments (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--quality", defaultValue = "90", description = "JPEG quality 1..100 (default: ${DEFAULT-VALUE}).")
    int quality;

    @Option(names = "--segment-seconds", defaultValue = "2", paramLabel = "S",
            description = "Segment length in seconds; every segment starts on a keyframe (default: ${DEFAULT-VALUE}).")
    double segmentSeconds;

    @Option(names = "--container", defaultValue = "mpegts", paramLabel = "mpegts|mp4|mkv",
            description = "Segment container; mp4 is fragmented (default: ${DEFAULT-VALUE}).")
    String container;

    @Option(names = "--fps", paramLabel = "RATE",
            description = "Cap the frame rate (frames are dropped on the source clock); for an image folder,"
                    + " the rate the images stand for.")
    double fps;

    @Option(names = "--realtime", description = "Pace sending to the source clock (default: as fast as possible).")
    boolean realtime;

    @Option(names = "--loop", description = "Restart the source at its end; sequence numbers keep increasing.")
    boolean loop;

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N records.")
    long limit;

    @Option(names = "--max-record-bytes", paramLabel = "BYTES",
            description = "Largest record value; sets the producer's max.request.size (default: 1048576)."
                    + " The topic's max.message.bytes must allow it too.")
    int maxRecordBytes = FrameRecordSender.DEFAULT_MAX_RECORD_BYTES;

    @Option(names = {"-X", "--kafka"}, paramLabel = "KEY=VALUE",
            description = "Extra producer property (e.g. security.protocol=SASL_SSL); repeatable; wins over defaults.")
    Map<String, String> kafka = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        validate();
        ProduceLoop.Opener opener = opener();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C: ask the loop to stop, then hold the JVM until what was queued is flushed.
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                finished.await(FrameRecordSender.DELIVERY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "framewise-produce-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (FrameRecordSender sender = new FrameRecordSender(bootstrap, topic, camera, maxRecordBytes, kafka)) {
            sender.checkTopic(bootstrap);
            MediaReader first = opener.open();
            long expected = loop || limit > 0 ? -1 : first.expectedFrames();
            ProduceStats stats;
            try (ProduceStats s = new ProduceStats(camera, expected, System.console() != null)) {
                stats = s;
                try {
                    new ProduceLoop(opener, sender, s, loop, limit, realtime, stop::get).run(first);
                } finally {
                    sender.flush();
                }
            }
            spec.commandLine().getOut().println(stats.summary(camera, topic));
            spec.commandLine().getOut().flush();
            return 0;
        } finally {
            finished.countDown();
            removeHook(hook);
        }
    }

    private void validate() {
        if (quality < 1 || quality > 100) {
            throw param("--quality must be 1..100, got " + quality);
        }
        if (fps < 0) {
            throw param("--fps must be positive");
        }
        if (limit < 0) {
            throw param("--limit must be positive");
        }
        if (maxRecordBytes < 1024) {
            throw param("--max-record-bytes must be at least 1024");
        }
        if (camera.isBlank()) {
            throw param("--camera must not be blank");
        }
    }

    ProduceLoop.Opener opener() {
        if (!VideoSource.isUrl(source) && Files.isDirectory(Path.of(source))) {
            if (format == Format.segment) {
                throw param("--format segment needs a video source; an image folder is sent file by file");
            }
            if (realtime && fps <= 0) {
                throw param("--realtime with an image folder needs --fps (images carry no clock)");
            }
            Path folder = Path.of(source);
            return () -> new ImageFolderReader(folder, fps);
        }
        if (format == Format.jpeg) {
            return () -> new JpegFrameReader(source, quality, fps);
        }
        Container c;
        SegmentOptions opts;
        try {
            c = Container.parse(container);
            opts = new SegmentOptions(segmentSeconds, c, fps);
        } catch (IllegalArgumentException e) {
            throw param(e.getMessage());
        }
        return () -> SegmentCuts.open(source, opts);
    }

    private CommandLine.ParameterException param(String msg) {
        return new CommandLine.ParameterException(spec.commandLine(), msg);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down: the hook is running and waits for us
        }
    }
}
