package io.framewise.operators.encode;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared (or $FRAMEWISE_DATA) from a module's working directory. */
final class SharedData {

    private SharedData() {
    }

    static Path root() {
        String env = System.getenv("FRAMEWISE_DATA");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("videos")) && Files.exists(d.resolve("pom.xml"))
                    && Files.exists(d.resolve("framewise"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared data not found: set FRAMEWISE_DATA or put it at ../shared");
    }

    static Path video(String name) {
        return root().resolve("videos").resolve(name);
    }

    static Path image(String name) {
        return root().resolve("images").resolve(name);
    }
}
