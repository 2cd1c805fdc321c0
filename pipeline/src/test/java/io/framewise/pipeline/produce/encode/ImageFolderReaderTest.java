package io.framewise.pipeline.produce.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.framewise.operators.decode.SharedData;
import io.framewise.operators.frames.Codec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {

    @Test
    void sendsFilesInNameOrderUnchangedWithTheCodecOfTheirExtension(@TempDir Path dir) throws Exception {
        Files.copy(SharedData.image("parrot.jpg"), dir.resolve("b.JPG"));
        Files.copy(SharedData.image("cat.bmp"), dir.resolve("a.bmp"));
        Files.write(dir.resolve("c.jpg"), new byte[] {1, 2, 3}); // broken: must still be sent
        Files.copy(SharedData.image("hot_dog.jpg"), dir.resolve("d.frame")); // unknown extension
        Files.write(dir.resolve(".hidden"), new byte[] {9});
        Files.write(dir.resolve("COPYRIGHT.txt"), new byte[] {'c'});

        try (ImageFolderReader r = new ImageFolderReader(dir, 4)) {
            MediaChunk a = r.next();
            assertEquals(Codec.BMP, a.codec());
            assertArrayEquals(Files.readAllBytes(SharedData.image("cat.bmp")), a.bytes());
            assertEquals(0, a.ptsMicros());
            MediaChunk b = r.next();
            assertEquals(Codec.JPEG, b.codec());
            assertEquals(250_000, b.ptsMicros());
            assertArrayEquals(Files.readAllBytes(SharedData.image("parrot.jpg")), b.bytes());
            MediaChunk c = r.next();
            assertEquals(Codec.JPEG, c.codec());
            assertArrayEquals(new byte[] {1, 2, 3}, c.bytes());
            MediaChunk d = r.next();
            assertNull(d.codec());
            assertArrayEquals(Files.readAllBytes(SharedData.image("hot_dog.jpg")), d.bytes());
            assertNull(r.next());
        }
    }

    @Test
    void withoutARateThereIsNoPresentationClock(@TempDir Path dir) throws Exception {
        Files.copy(SharedData.image("parrot.jpg"), dir.resolve("x.png"));
        try (ImageFolderReader r = new ImageFolderReader(dir, 0)) {
            MediaChunk x = r.next();
            assertEquals(Codec.PNG, x.codec()); // the extension decides; nothing is decoded
            assertEquals(false, x.hasPts());
        }
    }
}
