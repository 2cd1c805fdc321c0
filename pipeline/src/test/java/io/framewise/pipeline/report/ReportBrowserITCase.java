package io.framewise.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.decode.SharedData;
import io.framewise.operators.kafka.LabeledEventJson;
import io.framewise.operators.records.LabeledEvent;
import io.framewise.pipeline.cli.FramewiseCli;
import io.framewise.pipeline.cli.SourceProducer;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code framewise report} end to end and in a real browser: the shared photos (one camera, still
 * images) and a video of the same photos cut into segments (another camera) go through the real job; the first two
 * photo records are then deleted from the frames topic as retention would. The report must show a
 * thumbnail of the right picture for every sampled event that still has its frame, a placeholder
 * for the two that do not, and headless Chromium must load every image without a script error.
 */
@Timeout(150)
class ReportBrowserITCase {

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    static final String PHOTOS = "photos";
    static final String VIDEO = "video";
    static final int HOLD = 8;
    static final int MAX_THUMBNAILS = 12;
    static final int DELETED = 2;

    @TempDir
    static Path dir;
    static Path out;
    static Path images;
    static String stdout;
    static List<LabeledEvent> photoEvents = new ArrayList<>();
    static List<LabeledEvent> videoEvents = new ArrayList<>();
    static List<BufferedImage> videoFrames;

    @BeforeAll
    static void labelAndReport() throws Exception {
        images = SharedData.root().resolve("images");
        String frames = EmbeddedKafka.uniqueTopic("frames");
        String labels = EmbeddedKafka.uniqueTopic("labels");
        String dlq = EmbeddedKafka.uniqueTopic("dlq");
        KAFKA.createTopic(frames, 1);
        KAFKA.createTopic(labels, 1);
        KAFKA.createTopic(dlq, 1);
        // photos first, so they own offsets 0..5 of the single partition
        produce(frames, images.toString(), PHOTOS, "jpeg", "--fps", "2");
        Path video = dir.resolve("marked.ts");
        videoFrames = markedVideo(video);
        produce(frames, video.toString(), VIDEO, "segment");

        run("job", "--bootstrap", KAFKA.bootstrapServers(), "--input-topic", frames, "--output-topic", labels,
                "--dlq-topic", dlq, "--starting-offsets", "earliest", "--stop-at-latest", "--checkpoint-interval-ms",
                "500", "--restart-attempts", "0", "--transactional-id-prefix", "tx-" + frames, "--web-port", "0");
        for (ConsumerRecord<String, byte[]> r : KAFKA.consume(labels, Integer.MAX_VALUE, Duration.ZERO,
                Duration.ofSeconds(4))) {
            LabeledEvent e = LabeledEventJson.fromJson(r.value());
            (e.camera().equals(PHOTOS) ? photoEvents : videoEvents).add(e);
        }
        assertEquals(imageFiles().size(), photoEvents.size(), "photo events");
        assertTrue(videoEvents.size() > MAX_THUMBNAILS, "video events: " + videoEvents.size());

        // retention took the oldest records
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        try (Admin admin = Admin.create(ap)) {
            admin.deleteRecords(Map.of(new TopicPartition(frames, 0), RecordsToDelete.beforeOffset(DELETED)))
                    .all().get(30, TimeUnit.SECONDS);
        }

        out = dir.resolve("report");
        stdout = run("report", "--bootstrap", KAFKA.bootstrapServers(), "--topic", labels, "--max-thumbnails",
                Integer.toString(MAX_THUMBNAILS), "--out", out.toString());
        System.out.print(stdout);
    }

    @Test
    void theReportSaysWhatItShowsAndWhatIsMissing() {
        assertTrue(stdout.contains(PHOTOS + ": " + photoEvents.size() + " events"), stdout);
        assertTrue(stdout.contains((imageFiles().size() - DELETED) + " thumbnails, " + DELETED + " missing"), stdout);
        assertTrue(stdout.contains("report: 2 cameras, " + (photoEvents.size() + videoEvents.size()) + " events, "
                + (imageFiles().size() - DELETED + MAX_THUMBNAILS) + " thumbnails, " + DELETED + " missing frames"), stdout);
        assertTrue(Files.isRegularFile(out.resolve("camera-" + PHOTOS + "-contact.png")));
        assertTrue(Files.isRegularFile(out.resolve("camera-" + VIDEO + "-contact.png")));
    }

    @Test
    void eachPhotoThumbnailShowsThePhotoItsEventLabels() throws IOException {
        List<Path> files = imageFiles(); // the producer sends a folder in name order: sequence i is file i
        for (LabeledEvent e : photoEvents) {
            Path thumb = out.resolve("thumbs/" + PHOTOS + "/" + e.sequence() + "-0.jpg");
            if (e.sequence() < DELETED) {
                assertFalse(Files.exists(thumb), "no thumbnail for a deleted frame: " + thumb);
                continue;
            }
            BufferedImage t = ImageIO.read(thumb.toFile());
            assertEquals(160, t.getWidth());
            int best = -1;
            double bestDiff = Double.MAX_VALUE;
            for (int i = 0; i < files.size(); i++) {
                double d = meanAbsDiff(t, ImageIO.read(files.get(i).toFile()));
                if (d < bestDiff) {
                    bestDiff = d;
                    best = i;
                }
            }
            assertEquals(e.sequence(), best, "thumbnail " + thumb + " looks most like " + files.get(best));
            assertTrue(bestDiff < 20, "mean abs difference " + bestDiff);
        }
    }

    /**
     * Segments: each thumbnail must be the frame at its event's index within the segment, i.e. the
     * video frame at the event's position among the camera's events (every frame has one). The
     * white bar that moves 8 px per frame tells neighbouring frames of one photo apart.
     */
    @Test
    void eachSegmentThumbnailIsTheFrameAtItsIndex() throws Exception {
        assertEquals(videoFrames.size(), videoEvents.size(), "one event per video frame");
        int checked = 0;
        int inside = 0;
        for (int pos = 0; pos < videoEvents.size(); pos++) {
            LabeledEvent e = videoEvents.get(pos);
            Path thumb = out.resolve("thumbs/" + VIDEO + "/" + e.sequence() + "-" + e.indexInSegment() + ".jpg");
            if (!Files.exists(thumb)) {
                continue;
            }
            BufferedImage t = ImageIO.read(thumb.toFile());
            assertEquals(120, t.getHeight(), "448x336 keeps its aspect at 160 px");
            int best = -1;
            double bestDiff = Double.MAX_VALUE;
            for (int i = 0; i < videoFrames.size(); i++) {
                double d = meanAbsDiff(t, videoFrames.get(i));
                if (d < bestDiff) {
                    bestDiff = d;
                    best = i;
                }
            }
            assertEquals(pos, best, thumb + " (event " + pos + ") looks most like video frame " + best);
            checked++;
            inside += e.indexInSegment() > 0 ? 1 : 0;
        }
        assertEquals(MAX_THUMBNAILS, checked, "thumbnails checked");
        assertTrue(inside > 0, "some thumbnails come from inside a segment");
    }

    /** The shared photos, {@code HOLD} frames each, with a white bar moving 8 px per frame; H.264 in MPEG-TS. */
    static List<BufferedImage> markedVideo(Path file) throws Exception {
        List<BufferedImage> frames = new ArrayList<>();
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), 448, 336, 0);
             Java2DFrameConverter conv = new Java2DFrameConverter()) {
            r.setFormat("mpegts");
            r.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            r.setFrameRate(12.5);
            r.setGopSize(25); // 2 s segments of 25 frames
            r.setVideoBitrate(4_000_000);
            r.start();
            for (Path photo : imageFiles()) {
                BufferedImage img = ImageIO.read(photo.toFile());
                for (int k = 0; k < HOLD; k++) {
                    BufferedImage f = new BufferedImage(448, 336, BufferedImage.TYPE_3BYTE_BGR);
                    java.awt.Graphics2D g = f.createGraphics();
                    g.drawImage(img, 0, 0, 448, 336, null);
                    g.setColor(java.awt.Color.WHITE);
                    g.fillRect(8 + 8 * frames.size(), 0, 16, 336);
                    g.dispose();
                    r.record(conv.convert(f));
                    frames.add(f);
                }
            }
            r.stop();
        }
        return frames;
    }

    @Test
    void chromiumLoadsEveryThumbnailWithoutScriptErrors() throws Exception {
        String chromium = HeadlessChromium.find();
        HeadlessChromium.Page photos = HeadlessChromium.dumpDom(chromium, dir, out.resolve("camera-" + PHOTOS + ".html"));
        int photoThumbs = imageFiles().size() - DELETED;
        // + 1: the contact sheet under the timeline; + the frames episodes opened on (the job's default episodes topic)
        int photoImages = photoThumbs + 1 + HeadlessChromium.count(photos.dom(), "class=\"episode-thumb\"");
        assertEquals(photoImages, HeadlessChromium.attr(photos.dom(), "data-images-total"), "img elements (photos)");
        assertEquals(photoImages, HeadlessChromium.attr(photos.dom(), "data-images-loaded"), "images the browser decoded (photos)");
        assertEquals(DELETED, HeadlessChromium.count(photos.dom(), "class=\"placeholder\""), "placeholders");
        for (LabeledEvent e : photoEvents) {
            Matcher m = Pattern.compile("data-event-id=\"" + Pattern.quote(e.eventId()) + "\" data-label=\"([^\"]*)\"")
                    .matcher(photos.dom());
            assertTrue(m.find(), "event " + e.eventId() + " in the timeline");
            assertEquals(FrameSample.label(e), HeadlessChromium.unescape(m.group(1)), "label of " + e.eventId());
        }

        HeadlessChromium.Page video = HeadlessChromium.dumpDom(chromium, dir, out.resolve("camera-" + VIDEO + ".html"));
        int videoImages = MAX_THUMBNAILS + 1 + HeadlessChromium.count(video.dom(), "class=\"episode-thumb\"");
        assertEquals(videoImages, HeadlessChromium.attr(video.dom(), "data-images-loaded"), "images the browser decoded (video)");
        assertEquals(videoImages, HeadlessChromium.attr(video.dom(), "data-images-total"));
        List<Integer> changes = FrameSample.changes(videoEvents);
        int marked = HeadlessChromium.count(video.dom(), "class=\"frame change");
        if (changes.size() <= MAX_THUMBNAILS) {
            assertEquals(changes.size() - 1, marked, "every label change has its thumbnail");
            for (int p : changes) {
                assertTrue(video.dom().contains("data-event-id=\"" + videoEvents.get(p).eventId() + "\""), "change at " + p);
            }
        }
        assertTrue(video.dom().contains("<svg class=\"chart\""), "chart");

        HeadlessChromium.Page index = HeadlessChromium.dumpDom(chromium, dir, out.resolve("index.html"));
        assertEquals(2, HeadlessChromium.attr(index.dom(), "data-images-loaded"), "contact sheets on the index");
        assertTrue(index.dom().contains("href=\"camera-" + VIDEO + ".html\""));

        Path shot = Path.of("target", "report-screenshot.png").toAbsolutePath();
        Files.deleteIfExists(shot);
        HeadlessChromium.run(chromium, dir, List.of("--screenshot=" + shot, "--window-size=1280,1400"),
                out.resolve("camera-" + PHOTOS + ".html"));
        BufferedImage png = ImageIO.read(shot.toFile());
        assertEquals(1280, png.getWidth(), "screenshot " + shot);
        // the video camera's page too: segments, a longer chart
        Path videoShot = Path.of("target", "report-screenshot-video.png").toAbsolutePath();
        HeadlessChromium.run(chromium, dir, List.of("--screenshot=" + videoShot, "--window-size=1280,1400"),
                out.resolve("camera-" + VIDEO + ".html"));
        assertEquals(1280, ImageIO.read(videoShot.toFile()).getWidth(), "screenshot " + videoShot);
    }

    /** Mean absolute RGB difference after scaling {@code b} to {@code a}'s size (0..255). */
    private static double meanAbsDiff(BufferedImage a, BufferedImage b) {
        BufferedImage s = new BufferedImage(a.getWidth(), a.getHeight(), BufferedImage.TYPE_INT_RGB);
        s.getGraphics().drawImage(b.getScaledInstance(a.getWidth(), a.getHeight(), java.awt.Image.SCALE_AREA_AVERAGING),
                0, 0, null);
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = s.getRGB(x, y);
                for (int sh = 0; sh <= 16; sh += 8) {
                    sum += Math.abs((p >> sh & 0xff) - (q >> sh & 0xff));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }

    private static List<Path> imageFiles() {
        try (Stream<Path> s = Files.list(images)) {
            return s.filter(p -> p.toString().matches(".*\\.(bmp|jpg)$")).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void produce(String topic, String source, String camera, String format, String... extra)
            throws Exception {
        new SourceProducer(SourceProducer.args(source, KAFKA.bootstrapServers(), topic, camera, format, 4 << 20,
                Map.of(), extra)).run();
    }

    private static String run(String... args) {
        CommandLine cl = FramewiseCli.commandLine();
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        cl.setOut(new PrintWriter(o));
        cl.setErr(new PrintWriter(e));
        assertEquals(0, cl.execute(args), () -> args[0] + " failed: " + e + "\n" + o);
        return o.toString();
    }
}
