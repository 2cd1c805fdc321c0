package io.framewise.inference.model;

import io.framewise.inference.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFilesTest {

    private static final String V1 = "mobilenet_v1_0.25_128_quant.tflite";

    @Test
    void resolvesTheSharedModelsFromTheModuleDirectory() throws Exception {
        Path p = ModelFiles.resolve(V1);
        assertTrue(Files.isSameFile(SharedData.model(V1), p), p.toString());
    }

    @Test
    void searchOrder(@TempDir Path tmp) throws Exception {
        Path repoModule = Files.createDirectories(tmp.resolve("repo/inference"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path data = Files.createDirectories(tmp.resolve("data/models"));
        Path shared = Files.createDirectories(tmp.resolve("shared/models"));
        Path cache = Files.createDirectories(home.resolve(".cache/framewise/models"));

        Files.writeString(cache.resolve(V1), "cache");
        assertEquals(cache.resolve(V1), ModelFiles.resolve(V1, null, repoModule, home));
        // ../shared relative to a parent of the working directory (repo/inference -> repo -> ../shared)
        Files.writeString(shared.resolve(V1), "shared");
        assertEquals(shared.resolve(V1), ModelFiles.resolve(V1, null, repoModule, home));
        Files.writeString(data.resolve(V1), "data");
        assertEquals(data.resolve(V1), ModelFiles.resolve(V1, tmp.resolve("data").toString(), repoModule, home));
        // an existing path wins over everything
        Path direct = Files.writeString(tmp.resolve("mine.tflite"), "direct");
        assertEquals(direct, ModelFiles.resolve(direct.toString(), tmp.resolve("data").toString(), repoModule, home));
    }

    @Test
    void missingFileSaysWhereToGetIt(@TempDir Path tmp) {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> ModelFiles.resolve(V1, null, tmp.resolve("a/b"), tmp.resolve("home")));
        assertInstanceOf(FileNotFoundException.class, e.getCause());
        String m = e.getMessage();
        assertTrue(m.contains("google-coral/test_data"), m);
        assertTrue(m.contains(V1), m);
        assertTrue(m.contains("cb273c23ee76374b05b9583177e28aa19744858a7679c56a250e83d0333da785"), m);
        assertTrue(m.contains("FRAMEWISE_DATA"), m);
        assertTrue(m.contains(".cache/framewise/models"), m);
    }

    @Test
    void verifyDetectsAModifiedCopy(@TempDir Path tmp) throws Exception {
        assertEquals(ModelFiles.KNOWN_SHA256.get(V1), ModelFiles.verify(SharedData.model(V1)));
        byte[] bytes = Files.readAllBytes(SharedData.model(V1));
        bytes[bytes.length / 2] ^= 1;
        Path copy = Files.write(tmp.resolve(V1), bytes);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ModelFiles.verify(copy));
        assertTrue(e.getMessage().contains("expected " + ModelFiles.KNOWN_SHA256.get(V1)), e.getMessage());
        Path unknown = Files.writeString(tmp.resolve("other.tflite"), "x");
        assertThrows(IllegalArgumentException.class, () -> ModelFiles.verify(unknown));
    }
}
