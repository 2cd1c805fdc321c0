package io.framewise.pipeline.produce.encode;

import io.framewise.operators.frames.Codec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads a folder of image files in name order and hands each file's bytes over unchanged. Nothing is
 * decoded here: a broken file must reach the job and become a dead letter there, not vanish in the
 * producer. The codec comes from the file extension; unknown extensions get none, and the job sniffs.
 * Hidden files and plain-text companions (README, licence, manifest: .txt .md .json ...) are skipped.
 */
public final class ImageFolderReader implements MediaReader {

    private static final Set<String> TEXT_EXTENSIONS =
            Set.of("txt", "md", "json", "csv", "xml", "yaml", "yml", "ini", "log", "html");

    private final List<Path> files;
    private final double fps;
    private final long frameMicros;
    private int index;

    /** @param fps the rate the images stand for (timestamps index/fps), 0 when they have no clock */
    public ImageFolderReader(Path folder, double fps) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException("not a folder: " + folder);
        }
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> !TEXT_EXTENSIONS.contains(extension(p)))
                    .sorted()
                    .collect(Collectors.toList());
        }
        if (files.isEmpty()) {
            throw new IOException("no files in folder " + folder);
        }
        this.fps = fps > 0 ? fps : 0;
        this.frameMicros = this.fps > 0 ? Math.round(1_000_000.0 / this.fps) : 0;
    }

    /** The codec a file name's extension stands for, or null when the extension says nothing reliable. */
    public static Codec codecOf(Path file) {
        switch (extension(file)) {
            case "jpg":
            case "jpeg":
            case "jpe":
            case "jfif":
                return Codec.JPEG;
            case "png":
                return Codec.PNG;
            case "bmp":
                return Codec.BMP;
            default:
                return null;
        }
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1);
    }

    public List<Path> files() {
        return files;
    }

    @Override
    public MediaChunk next() throws IOException {
        if (index >= files.size()) {
            return null;
        }
        Path f = files.get(index);
        long pts = fps > 0 ? Math.round(index * 1_000_000.0 / fps) : MediaChunk.NO_PTS;
        index++;
        return new MediaChunk(Files.readAllBytes(f), codecOf(f), pts, 1, frameMicros, 0, 0);
    }

    @Override
    public double frameRate() {
        return fps;
    }

    @Override
    public boolean live() {
        return false;
    }

    @Override
    public long expectedFrames() {
        return files.size();
    }

    @Override
    public void close() {
        // nothing held open between files
    }
}
