package io.framewise.inference;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the shared test data (models, images, videos, TFLite reference outputs): $FRAMEWISE_DATA when
 * set, else the "shared" folder next to the repository, found by walking up from the working directory
 * (a module directory under Maven). Missing data is an error, not a skipped test.
 */
public final class SharedData {

    private static volatile Path root;

    private SharedData() {
    }

    public static Path root() {
        Path r = root;
        if (r == null) {
            r = locate();
            root = r;
        }
        return r;
    }

    public static Path models() {
        return root().resolve("models");
    }

    public static Path images() {
        return root().resolve("images");
    }

    public static Path videos() {
        return root().resolve("videos");
    }

    public static Path reference() {
        return root().resolve("reference");
    }

    /** A file in models/ (models and label files), which must exist. */
    public static Path model(String name) {
        Path p = models().resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("missing shared model file " + p);
        }
        return p;
    }

    private static Path locate() {
        String env = System.getenv("FRAMEWISE_DATA");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env).toAbsolutePath().normalize();
            if (!Files.isDirectory(p.resolve("models"))) {
                throw new IllegalStateException("FRAMEWISE_DATA=" + env + " has no models/ directory");
            }
            return p;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared");
            if (dir.getParent() != null && Files.isDirectory(candidate.resolve("models"))) {
                return candidate.normalize();
            }
        }
        throw new IllegalStateException("shared test data not found: set FRAMEWISE_DATA or put it at ../shared "
                + "next to the repository (working directory " + Path.of("").toAbsolutePath() + ")");
    }
}
