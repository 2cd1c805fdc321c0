package io.framewise.pipeline.loadtest;

import io.framewise.pipeline.produce.encode.JpegFrameReader;
import io.framewise.pipeline.produce.encode.MediaChunk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The first frames of each source, decoded and JPEG-encoded once into a temporary folder per source.
 * The cameras then loop these folders through the producer's image-folder path (bytes sent unchanged,
 * fresh sequence numbers and capture times on every pass), so producing costs a file read and a
 * Kafka send per frame and the CPU goes to the job under test.
 */
public final class PreEncodedClips implements AutoCloseable {

    /** One encoded source: its folder and what is in it. */
    public record Clip(String source, Path folder, int frames, long bytes) {
        public double meanFrameBytes() {
            return frames == 0 ? 0 : (double) bytes / frames;
        }
    }

    private final Path root;
    private final List<Clip> clips;

    private PreEncodedClips(Path root, List<Clip> clips) {
        this.root = root;
        this.clips = List.copyOf(clips);
    }

    /**
     * @param maxFrames frames taken from the start of each source (0 = the whole source)
     * @param quality   JPEG quality, as {@code framewise produce --quality}
     */
    public static PreEncodedClips encode(List<String> sources, int maxFrames, int quality) throws IOException {
        Path root = Files.createTempDirectory("framewise-loadtest-");
        List<Clip> clips = new ArrayList<>();
        try {
            for (int i = 0; i < sources.size(); i++) {
                String source = sources.get(i);
                Path dir = Files.createDirectory(root.resolve("clip-" + i));
                int n = 0;
                long bytes = 0;
                try (JpegFrameReader r = new JpegFrameReader(source, quality, 0)) {
                    MediaChunk c;
                    while ((maxFrames <= 0 || n < maxFrames) && (c = r.next()) != null) {
                        // zero-padded names: the folder reader sends in name order
                        Files.write(dir.resolve(String.format("frame-%06d.jpg", n)), c.bytes());
                        bytes += c.bytes().length;
                        n++;
                    }
                }
                if (n == 0) {
                    throw new IOException("no frames in " + source);
                }
                clips.add(new Clip(source, dir, n, bytes));
            }
        } catch (IOException | RuntimeException e) {
            delete(root);
            throw e;
        }
        return new PreEncodedClips(root, clips);
    }

    public List<Clip> clips() {
        return clips;
    }

    @Override
    public void close() throws IOException {
        delete(root);
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
