package io.framewise.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.inference.exec.Segmentation;
import io.framewise.operators.decode.SharedData;
import io.framewise.operators.kafka.LabeledEventJson;
import io.framewise.operators.records.LabeledEvent;
import io.framewise.pipeline.cli.FramewiseCli;
import io.framewise.pipeline.cli.SourceProducer;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code framewise report} on segmentation events: {@code worker-zone-detection.mp4} as JPEG records
 * through the real job with the DeepLabV3 model (episodes on their own topic), then the report. The
 * thumbnails carry the mask (the worker's pixels tinted, compared with the same frame decoded plain),
 * the class maps computed again match the events' {@code mapSha256}, the chart has a line for
 * {@code person}, the person episode is a bar with the thumbnail of the frame it opened on, and
 * headless Chromium loads it all.
 */
@Timeout(420)
class ReportSegmentationITCase {

    @RegisterExtension
    static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    static final String MODEL = "deeplabv3_mnv2_pascal_quant.tflite";
    static final String CAMERA = "cam-worker";
    static final int MAX_THUMBNAILS = 12;

    @TempDir
    static Path dir;
    static Path out;
    static String frames;
    static String labels;
    static String stdout;
    static final List<LabeledEvent> events = new ArrayList<>();

    @BeforeAll
    static void segmentAndReport() throws Exception {
        frames = EmbeddedKafka.uniqueTopic("frames");
        labels = EmbeddedKafka.uniqueTopic("labels");
        String episodes = EmbeddedKafka.uniqueTopic("episodes");
        String dlq = EmbeddedKafka.uniqueTopic("dlq");
        for (String t : List.of(frames, labels, episodes, dlq)) {
            KAFKA.createTopic(t, 1);
        }
        new SourceProducer(SourceProducer.args(SharedData.video("worker-zone-detection.mp4").toString(),
                KAFKA.bootstrapServers(), frames, CAMERA, "jpeg", 4 << 20, Map.of())).run();
        run("job", "--bootstrap", KAFKA.bootstrapServers(), "--input-topic", frames, "--output-topic", labels,
                "--dlq-topic", dlq, "--episodes-topic", episodes, "--camera-status-topic",
                EmbeddedKafka.uniqueTopic("status"), "--model", MODEL, "--starting-offsets", "earliest",
                "--stop-at-latest", "--checkpoint-interval-ms", "500", "--restart-attempts", "0",
                "--transactional-id-prefix", "tx-" + frames, "--web-port", "0");
        for (ConsumerRecord<String, byte[]> r : KAFKA.consume(labels, Integer.MAX_VALUE, Duration.ZERO,
                Duration.ofSeconds(4))) {
            events.add(LabeledEventJson.fromJson(r.value()));
        }
        events.sort(Comparator.comparingLong(LabeledEvent::sequence));
        assertEquals(71, events.size(), "one event per frame of the clip");
        out = dir.resolve("report");
        stdout = run("report", "--bootstrap", KAFKA.bootstrapServers(), "--topic", labels, "--episodes-topic",
                episodes, "--max-thumbnails", Integer.toString(MAX_THUMBNAILS), "--thumbnail-width", "320",
                "--out", out.toString());
        System.out.print(stdout);
    }

    @Test
    void theClassMapsComputedAgainAreTheJobs() {
        assertTrue(stdout.contains(CAMERA + ": 71 events"), stdout);
        assertTrue(stdout.matches("(?s).*, 0 of \\d+ class maps differ.*"), stdout);
        assertFalse(stdout.contains("masks not drawn"), stdout);
    }

    /** Every change of the set of classes covering 1 % or more has its thumbnail (the clip has 10, the budget 12). */
    @Test
    void classSetChangesAreSampled() throws Exception {
        List<Integer> changes = FrameSample.changes(events);
        assertTrue(changes.stream().anyMatch(p -> FrameSample.label(events.get(p)).contains("person")),
                "the worker appears: " + changes);
        String page = Files.readString(out.resolve("camera-" + CAMERA + ".html"), StandardCharsets.UTF_8);
        assertTrue(changes.size() <= MAX_THUMBNAILS, "the budget holds every change: " + changes);
        for (int p : changes) {
            assertTrue(page.contains("data-event-id=\"" + events.get(p).eventId() + "\""), "change at " + p);
        }
    }

    /**
     * A thumbnail of a frame with the worker is the plain frame with the mask over it: inside the
     * person's region the pixels are tinted, far from every class box they are untouched.
     */
    @Test
    void thumbnailsCarryTheMask() throws Exception {
        LabeledEvent e = null;
        Path thumb = null;
        for (LabeledEvent c : events) {
            Path t = out.resolve("thumbs/" + CAMERA + "/" + c.sequence() + "-0.png");
            if (Files.exists(t) && person(c) != null && person(c).fraction() >= 0.02) {
                e = c;
                thumb = t;
                break;
            }
        }
        assertNotNull(e, "a thumbnail of a frame with a person");
        BufferedImage masked = ImageIO.read(thumb.toFile());
        BufferedImage plain = plain(e, masked.getWidth());
        assertEquals(plain.getHeight(), masked.getHeight());
        double[] b = person(e).boxFraction();
        int x0 = (int) (b[0] * masked.getWidth());
        int y0 = (int) (b[1] * masked.getHeight());
        int x1 = (int) Math.ceil(b[2] * masked.getWidth());
        int y1 = (int) Math.ceil(b[3] * masked.getHeight());
        int tinted = 0;
        int inside = 0;
        int outsideChanged = 0;
        int outside = 0;
        for (int y = 0; y < masked.getHeight(); y++) {
            for (int x = 0; x < masked.getWidth(); x++) {
                int d = diff(masked.getRGB(x, y), plain.getRGB(x, y));
                if (x >= x0 && x < x1 && y >= y0 && y < y1) {
                    inside++;
                    tinted += d > 30 ? 1 : 0;
                } else if (farFromEveryClass(e, x, y, masked.getWidth(), masked.getHeight())) {
                    outside++;
                    outsideChanged += d > 30 ? 1 : 0;
                }
            }
        }
        // the person covers person.fraction of the frame: at least half of that many pixels are tinted
        long personPixels = Math.round(person(e).fraction() * masked.getWidth() * masked.getHeight());
        assertTrue(tinted >= personPixels / 2, tinted + " of " + inside + " pixels in the person's box tinted, the person"
                + " has about " + personPixels + ", " + thumb);
        assertTrue(outside > 1000 && outsideChanged == 0, outsideChanged + " of " + outside
                + " pixels far from every class changed, " + thumb + ", classes " + e.classes());
    }

    @Test
    void chromiumShowsTheAreaChartAndThePersonEpisode() throws Exception {
        String chromium = HeadlessChromium.find();
        HeadlessChromium.Page page = HeadlessChromium.dumpDom(chromium, dir, out.resolve("camera-" + CAMERA + ".html"));
        String dom = page.dom();
        assertTrue(dom.contains("<svg class=\"chart area\""), "the area chart, not the top-1 timeline");
        assertTrue(dom.contains("class=\"area-line\" data-class=\"person\""), "a line for person");
        assertFalse(dom.contains("data-class=\"background\""), "background is left out of the chart");
        assertTrue(dom.contains("class=\"episode-bar\" data-class=\"person\""), "the person episode bar");
        assertTrue(HeadlessChromium.count(dom, "class=\"episode-thumb\"") >= 1, "the frame the episode opened on");
        assertEquals(0, HeadlessChromium.attr(dom, "data-map-mismatches"));
        assertEquals(HeadlessChromium.attr(dom, "data-images-total"), HeadlessChromium.attr(dom, "data-images-loaded"),
                "every image decoded in the browser");
        Path shot = Path.of("target", "report-screenshot-segmentation.png").toAbsolutePath();
        HeadlessChromium.run(chromium, dir, List.of("--screenshot=" + shot, "--window-size=1280,1600"),
                out.resolve("camera-" + CAMERA + ".html"));
        assertEquals(1280, ImageIO.read(shot.toFile()).getWidth(), "screenshot " + shot);
    }

    /**
     * The job ran another model file under the same name (the half-width DeepLabV3 copied as
     * {@code deeplabv3_mnv2_pascal_quant.tflite}): the report's maps are not the job's, and the page says so.
     */
    @Test
    void anotherModelFileThanTheJobsIsCalledOut() throws Exception {
        Path models = Files.createDirectories(dir.resolve("other-models"));
        Path impostor = Files.copy(SharedData.root().resolve("models/deeplabv3_mnv2_dm05_pascal_quant.tflite"),
                models.resolve(MODEL));
        String otherLabels = EmbeddedKafka.uniqueTopic("labels-dm05");
        KAFKA.createTopic(otherLabels, 1);
        run("job", "--bootstrap", KAFKA.bootstrapServers(), "--input-topic", frames, "--output-topic", otherLabels,
                "--dlq-topic", EmbeddedKafka.uniqueTopic("dlq"), "--episodes-topic", EmbeddedKafka.uniqueTopic("episodes"),
                "--camera-status-topic", EmbeddedKafka.uniqueTopic("status"), "--model", impostor.toString(),
                "--group", "g-" + otherLabels, "--starting-offsets", "earliest", "--stop-at-latest",
                "--checkpoint-interval-ms", "500", "--restart-attempts", "0", "--transactional-id-prefix",
                "tx-" + otherLabels, "--web-port", "0");
        Path o = dir.resolve("report-dm05");
        String printed = run("report", "--bootstrap", KAFKA.bootstrapServers(), "--topic", otherLabels,
                "--episodes-topic", "none", "--max-thumbnails", "4", "--out", o.toString());
        assertTrue(printed.matches("(?s).*: 71 events.*, [1-4] of 4 class maps differ.*"), printed);
        String page = Files.readString(o.resolve("camera-" + CAMERA + ".html"), StandardCharsets.UTF_8);
        assertTrue(page.contains("differ from the events' <code>mapSha256</code>"), "the page says the maps differ");
        assertTrue(page.contains("The model file here has SHA-256"), "and that the model file is another");
    }

    /** No episodes topic, or an empty one: a report without bars, not an error. */
    @Test
    void aMissingOrEmptyEpisodesTopicMeansNoBars() throws Exception {
        String empty = EmbeddedKafka.uniqueTopic("episodes-empty");
        KAFKA.createTopic(empty, 1);
        for (String topic : List.of(EmbeddedKafka.uniqueTopic("no-such-episodes"), empty)) {
            Path o = dir.resolve("report-" + topic);
            String printed = run("report", "--bootstrap", KAFKA.bootstrapServers(), "--topic", labels,
                    "--episodes-topic", topic, "--max-thumbnails", "1", "--out", o.toString());
            assertTrue(printed.contains(CAMERA + ": 71 events") && !printed.matches("(?s).*\\d+ episodes.*"), printed);
            String page = Files.readString(o.resolve("camera-" + CAMERA + ".html"), StandardCharsets.UTF_8);
            assertFalse(page.contains("class=\"episode-bar\""), topic);
            assertTrue(page.contains("class=\"area-line\" data-class=\"person\""), topic);
        }
    }

    private static Segmentation.ClassArea person(LabeledEvent e) {
        return e.classes().stream().filter(c -> c.label().equals("person")).findFirst().orElse(null);
    }

    /** Away from every non-background class's box, its outline and its regions' label tags. */
    private static boolean farFromEveryClass(LabeledEvent e, int x, int y, int w, int h) {
        for (Segmentation.ClassArea c : e.classes()) {
            if (c.index() == 0) {
                continue;
            }
            double[] b = c.boxFraction();
            double fx = (double) x / w;
            double fy = (double) y / h;
            // the outline, and the label tags: on top of a region's box, reaching right of it
            if (fx > b[0] - 0.05 && fx < b[2] + 0.3 && fy > b[1] - 0.12 && fy < b[3] + 0.05) {
                return false;
            }
        }
        return true;
    }

    /** The event's frame as the report decodes it, without a mask. */
    private static BufferedImage plain(LabeledEvent e, int width) {
        BufferedImage[] img = new BufferedImage[1];
        Properties p = new Properties();
        p.putAll(KAFKA.consumerProperties());
        try (SourceFrames f = new SourceFrames(p, Duration.ofSeconds(30)); Thumbnails t = new Thumbnails(width)) {
            SourceFrames.Ref ref = new SourceFrames.Ref(e.topic(), e.partition(), e.offset());
            f.fetch(List.of(ref), new SourceFrames.Sink() {
                @Override
                public void found(SourceFrames.Ref r, ConsumerRecord<byte[], byte[]> record) {
                    img[0] = t.decode(CAMERA, record.headers(), record.value(), Set.of(0)).images().get(0);
                }

                @Override
                public void missing(SourceFrames.Ref r, String reason) {
                    throw new AssertionError(reason);
                }
            });
        }
        assertNotNull(img[0], "frame of " + e.eventId());
        return img[0];
    }

    private static int diff(int p, int q) {
        int d = 0;
        for (int sh = 0; sh <= 16; sh += 8) {
            d = Math.max(d, Math.abs((p >> sh & 0xff) - (q >> sh & 0xff)));
        }
        return d;
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
