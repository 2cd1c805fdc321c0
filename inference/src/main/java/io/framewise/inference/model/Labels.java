package io.framewise.inference.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Class names, one per line. A file may carry one more line than the model has classes when its
 * line 0 is "background" (TF1 ImageNet files list 1001 names; a 1000-class model then skips it):
 * {@link #forClasses(int)} picks that offset once, so {@link #label(int)} always takes a model class index.
 */
public final class Labels {

    private final List<String> lines;
    private final int offset;

    private Labels(List<String> lines, int offset) {
        this.lines = lines;
        this.offset = offset;
    }

    public static Labels load(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip).toList();
            // class names end at the first blank line: what follows is notes, not classes (the PASCAL VOC
            // segmentation labels explain the ignore label 255 there)
            int end = lines.indexOf("");
            if (end >= 0) {
                lines = lines.subList(0, end);
            }
            return new Labels(List.copyOf(lines), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read labels " + file, e);
        }
    }

    /**
     * These labels matched to a model with {@code numClasses} outputs: the same lines when the counts
     * agree, line 0 skipped when the file has one extra "background" line.
     *
     * @throws IllegalArgumentException when the file cannot belong to such a model
     */
    public Labels forClasses(int numClasses) {
        if (lines.size() == numClasses) {
            return new Labels(lines, 0);
        }
        if (lines.size() == numClasses + 1 && lines.get(0).equalsIgnoreCase("background")) {
            return new Labels(lines, 1);
        }
        throw new IllegalArgumentException(lines.size() + " labels do not fit a model with " + numClasses + " classes");
    }

    /** Name of model class {@code index}; "class N" for an index the file does not cover. */
    public String label(int index) {
        int line = index + offset;
        return index >= 0 && line < lines.size() ? lines.get(line) : "class " + index;
    }

    /** Number of classes these labels name (lines minus a skipped background line). */
    public int size() {
        return lines.size() - offset;
    }
}
