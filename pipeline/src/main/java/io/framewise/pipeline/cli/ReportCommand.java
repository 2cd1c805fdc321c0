package io.framewise.pipeline.cli;

import io.framewise.inference.exec.Segmentation;
import io.framewise.inference.preprocess.RgbImage;
import io.framewise.operators.records.FrameRecord;
import io.framewise.operators.records.LabeledEvent;
import io.framewise.pipeline.report.CameraReport;
import io.framewise.pipeline.report.ContactSheet;
import io.framewise.pipeline.report.EpisodeTopic;
import io.framewise.pipeline.report.FrameSample;
import io.framewise.pipeline.report.HtmlPages;
import io.framewise.pipeline.report.LabeledTopic;
import io.framewise.pipeline.report.MaskOverlay;
import io.framewise.pipeline.report.MaskedFrames;
import io.framewise.pipeline.report.SourceFrames;
import io.framewise.pipeline.report.Thumbnails;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code framewise report}: an offline HTML picture of what the cameras saw. Reads the labeled topic
 * (read_committed, up to its end at start) and the episodes topic, samples each camera's events (every
 * label change, then evenly spaced; for segmentation, every change of the set of classes covering
 * 1 % or more), fetches those frames (and the frames episodes opened on) from the frames topic by the
 * events' provenance, decodes them with the job's decoder and writes thumbnails (segmentation: the
 * mask computed again with the event's model, checked against its {@code mapSha256}), a page per
 * camera, an index and a PNG contact sheet per camera. A frame that is gone or does not decode
 * becomes a placeholder and is counted.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Writes an HTML report (thumbnails, label changes, label counts and latency over time)"
                + " and PNG contact sheets of what each camera saw.")
public final class ReportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bootstrap", defaultValue = "localhost:9092", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrap;

    @Option(names = "--topic", defaultValue = "labels", description = "Labeled topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--episodes-topic", defaultValue = "episodes", paramLabel = "TOPIC",
            description = "Episodes topic, drawn as bars on each camera's timeline; missing or empty: no bars"
                    + " (default: ${DEFAULT-VALUE}).")
    String episodesTopic;

    @Option(names = "--frames-topic", paramLabel = "TOPIC",
            description = "Read frames from this topic (default: the topic each event names as its source).")
    String framesTopic;

    @Option(names = "--cameras", split = ",", paramLabel = "ID[,ID...]", description = "Only these cameras (default: all).")
    List<String> cameras = new ArrayList<>();

    @Option(names = "--max-thumbnails", defaultValue = "48", paramLabel = "N",
            description = "Thumbnails per camera; label changes come first (default: ${DEFAULT-VALUE}).")
    int maxThumbnails;

    @Option(names = "--thumbnail-width", defaultValue = "160", paramLabel = "PX",
            description = "Thumbnail width in pixels (default: ${DEFAULT-VALUE}).")
    int thumbnailWidth;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created).")
    Path out;

    @Option(names = "--timeout-ms", defaultValue = "30000", paramLabel = "MS",
            description = "Longest wait for the labeled topic's end, and per frame fetch (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Option(names = {"-X", "--kafka"}, paramLabel = "KEY=VALUE",
            description = "Extra consumer property (e.g. security.protocol=SASL_SSL); repeatable.")
    Map<String, String> kafka = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException {
        if (maxThumbnails < 1 || timeoutMs < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-thumbnails and --timeout-ms must be positive");
        }
        if (thumbnailWidth < 16 || thumbnailWidth > 1024) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--thumbnail-width must be 16..1024");
        }
        // Thumbnails and contact sheets are drawn with Java2D: never reach for a display.
        System.setProperty("java.awt.headless", "true");
        PrintWriter stdout = spec.commandLine().getOut();
        Duration timeout = Duration.ofMillis(timeoutMs);
        LabeledTopic.Snapshot snap = LabeledTopic.read(consumerProperties(), topic, new HashSet<>(cameras), timeout);
        Map<String, List<EpisodeTopic.Bar>> episodes = EpisodeTopic.read(consumerProperties(), episodesTopic,
                new HashSet<>(cameras), timeout);
        Files.createDirectories(out);
        List<CameraReport> reports = new ArrayList<>();
        Set<String> slugs = new HashSet<>();
        try (SourceFrames frames = new SourceFrames(consumerProperties(), timeout);
             Thumbnails thumbs = new Thumbnails(thumbnailWidth);
             MaskedFrames masks = new MaskedFrames()) {
            for (Map.Entry<String, List<LabeledEvent>> e : snap.byCamera().entrySet()) {
                String slug = CameraReport.slug(e.getKey());
                if (!slugs.add(slug)) {
                    slug = slug + "-" + slugs.size();
                    slugs.add(slug);
                }
                CameraReport r = new CameraReport(e.getKey(), slug, e.getValue(),
                        episodes.getOrDefault(e.getKey(), List.of()));
                sample(r, frames, thumbs, masks);
                ContactSheet.write(r, thumbnailWidth, out.resolve(r.contactSheetFile()));
                Files.writeString(out.resolve(r.pageFile()), HtmlPages.camera(r, topic), StandardCharsets.UTF_8);
                reports.add(r);
                stdout.printf("%s: %d events, %d label changes, %d thumbnails, %d missing%s%s%n", r.camera,
                        r.events.size(), r.changes, r.thumbnails(), r.missing(),
                        r.episodes.isEmpty() ? "" : ", " + r.episodes.size() + " episodes",
                        !r.segmentation ? "" : r.maskProblem != null ? ", masks not drawn: " + r.maskProblem
                                : ", " + r.mapMismatches() + " of " + r.mapsChecked() + " class maps differ from the events'");
                stdout.flush();
            }
        }
        Path index = out.resolve("index.html");
        Files.writeString(index, HtmlPages.index(reports, topic, snap.events(), snap.unreadable()), StandardCharsets.UTF_8);
        long missing = reports.stream().mapToLong(CameraReport::missing).sum();
        stdout.printf("report: %d cameras, %d events, %d thumbnails, %d missing frames%s -> %s%n", reports.size(),
                snap.events(), reports.stream().mapToLong(CameraReport::thumbnails).sum(), missing,
                snap.unreadable() > 0 ? ", " + snap.unreadable() + " unreadable records" : "", index.toAbsolutePath());
        stdout.flush();
        return 0;
    }

    /**
     * Picks the camera's thumbnails (and the frames its episodes opened on), fetches and decodes their
     * frames, draws segmentation masks over them, writes the images.
     */
    private void sample(CameraReport r, SourceFrames frames, Thumbnails thumbs, MaskedFrames masks) throws IOException {
        List<Integer> picked = FrameSample.pick(r.events, maxThumbnails);
        Set<Integer> changes = new HashSet<>(FrameSample.changes(r.events));
        r.changesNotShown = (int) changes.stream().filter(p -> !picked.contains(p)).count();
        Map<Integer, Integer> openedAt = new LinkedHashMap<>(); // episode -> position of its first event
        for (int i = 0; i < r.episodes.size(); i++) {
            int p = r.positionOf(r.episodes.get(i).firstEventId());
            if (p >= 0) {
                openedAt.put(i, p);
            }
        }
        Set<Integer> wanted = new LinkedHashSet<>(picked);
        wanted.addAll(openedAt.values());
        // one record (a segment) may hold several sampled frames: fetch and decode it once
        Map<SourceFrames.Ref, List<Integer>> byRecord = new LinkedHashMap<>();
        for (int p : wanted) {
            LabeledEvent e = r.events.get(p);
            SourceFrames.Ref ref = new SourceFrames.Ref(framesTopic != null ? framesTopic : e.topic(), e.partition(),
                    e.offset());
            byRecord.computeIfAbsent(ref, k -> new ArrayList<>()).add(p);
        }
        Map<Integer, CameraReport.Shot> shots = new HashMap<>();
        Path dir = out.resolve("thumbs").resolve(r.slug);
        Files.createDirectories(dir);
        IOException[] writeFailure = new IOException[1];
        frames.fetch(byRecord.keySet(), new SourceFrames.Sink() {
            @Override
            public void found(SourceFrames.Ref ref, ConsumerRecord<byte[], byte[]> record) {
                List<Integer> positions = byRecord.get(ref);
                String owner = FrameRecord.cameraOf(record.key());
                if (!r.camera.equals(owner)) {
                    missing(ref, "the record at this offset is camera '" + owner + "', not '" + r.camera
                            + "' (topic recreated?)");
                    return;
                }
                Set<Integer> indexes = new LinkedHashSet<>();
                positions.forEach(p -> indexes.add(r.events.get(p).indexInSegment()));
                Thumbnails.Result t = thumbs.decode(r.camera, record.headers(), record.value(), indexes);
                MaskedFrames.Result m = null;
                if (r.segmentation && t.failure() == null) {
                    BufferedImage any = t.images().values().iterator().next();
                    Map<Integer, LabeledEvent> byIndex = new LinkedHashMap<>();
                    positions.forEach(p -> byIndex.put(r.events.get(p).indexInSegment(), r.events.get(p)));
                    m = masks.segment(r.events.get(positions.get(0)).model(), record.headers(), record.value(),
                            byIndex, any.getWidth(), any.getHeight());
                    if (m.failure() != null && r.maskProblem == null) {
                        r.maskProblem = m.failure();
                    }
                }
                for (int p : positions) {
                    LabeledEvent e = r.events.get(p);
                    BufferedImage img = t.images().get(e.indexInSegment());
                    if (img == null) {
                        shots.put(p, shot(r, p, changes, null, null, t.failure() != null ? t.failure()
                                : "segment has no frame " + e.indexInSegment(), null));
                        continue;
                    }
                    Segmentation seg = m == null ? null : m.byIndex().get(e.indexInSegment());
                    Boolean matches = seg == null ? null : seg.mapSha256().equals(e.mapSha256());
                    if (seg != null) {
                        img = MaskOverlay.render(rgb(img), seg);
                    }
                    // masks are flat colours and thin lines: PNG keeps them exact
                    String name = e.sequence() + "-" + e.indexInSegment() + (seg != null ? ".png" : ".jpg");
                    try {
                        ImageIO.write(img, seg != null ? "png" : "jpg", dir.resolve(name).toFile());
                    } catch (IOException ex) {
                        writeFailure[0] = ex;
                    }
                    shots.put(p, shot(r, p, changes, "thumbs/" + r.slug + "/" + name, img, null, matches));
                }
            }

            @Override
            public void missing(SourceFrames.Ref ref, String reason) {
                for (int p : byRecord.get(ref)) {
                    shots.put(p, shot(r, p, changes, null, null, reason, null));
                }
            }
        });
        if (writeFailure[0] != null) {
            throw writeFailure[0]; // a full disk is the user's to know, not a placeholder
        }
        for (int p : picked) {
            r.shots.add(shots.get(p));
        }
        if (r.segmentation) {
            r.maskModelSha256 = masks.modelSha256(r.events.get(0).model());
        }
        openedAt.forEach((episode, p) -> r.openings.put(episode, shots.get(p)));
    }

    private static CameraReport.Shot shot(CameraReport r, int p, Set<Integer> changes, String file,
                                          BufferedImage img, String missing, Boolean mapMatches) {
        return new CameraReport.Shot(p, r.events.get(p), changes.contains(p) && p > 0, file, img, missing, mapMatches);
    }

    /** A thumbnail's pixels as packed RGB, what {@link MaskOverlay} draws over. */
    private static RgbImage rgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] px = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                px[i] = (byte) (row[x] >> 16);
                px[i + 1] = (byte) (row[x] >> 8);
                px[i + 2] = (byte) row[x];
            }
        }
        return new RgbImage(w, h, px);
    }

    Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "framewise-report-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.putAll(kafka);
        return p;
    }
}
