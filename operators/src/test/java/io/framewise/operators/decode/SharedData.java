package io.framewise.operators.decode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates ../shared: $FRAMEWISE_DATA first, then a "shared" folder beside a parent of the working dir. */
public final class SharedData {

    private static Path root;

    private SharedData() {
    }

    public static synchronized Path root() {
        if (root != null) {
            return root;
        }
        String env = System.getenv("FRAMEWISE_DATA");
        if (env != null && !env.isBlank() && Files.isDirectory(Paths.get(env))) {
            return root = Paths.get(env).toAbsolutePath();
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("images")) && Files.isDirectory(candidate.resolve("videos"))) {
                return root = candidate;
            }
        }
        throw new IllegalStateException("shared data not found: set FRAMEWISE_DATA or put ../shared beside the repo");
    }

    public static Path image(String name) {
        return root().resolve("images").resolve(name);
    }

    public static Path video(String name) {
        return root().resolve("videos").resolve(name);
    }

    public static Path reference() {
        return root().resolve("reference").resolve("tflite-top5.json");
    }
}
