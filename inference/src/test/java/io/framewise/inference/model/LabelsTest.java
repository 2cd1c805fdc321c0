package io.framewise.inference.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.framewise.inference.SharedData;
import io.framewise.inference.tflite.TfliteModelLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelsTest {

    @Test
    void imagenetLabelsWithBackgroundLine() {
        Labels all = Labels.load(SharedData.model("imagenet_labels.txt"));
        assertEquals(1001, all.size());
        Labels for1001 = all.forClasses(1001);
        assertEquals("background", for1001.label(0));
        assertEquals("tench, Tinca tinca", for1001.label(1));
        assertEquals("toilet tissue, toilet paper, bathroom tissue", for1001.label(1000));
        // A 1000-class model has no background output: class 0 is tench.
        Labels for1000 = all.forClasses(1000);
        assertEquals(1000, for1000.size());
        assertEquals("tench, Tinca tinca", for1000.label(0));
        assertEquals("class 1000", for1000.label(1000));
        assertEquals("class -1", for1000.label(-1));
    }

    @Test
    void birdLabelsMatchTheBirdModel() {
        ModelGraph g = TfliteModelLoader.load(SharedData.model("mobilenet_v2_1.0_224_inat_bird_quant.tflite"));
        Labels birds = Labels.load(SharedData.model("inat_bird_labels.txt")).forClasses(g.numClasses());
        assertEquals(965, birds.size());
        assertEquals("Haemorhous cassinii (Cassin's Finch)", birds.label(0));
        assertEquals("background", birds.label(964));
    }

    @Test
    void mismatchedCountIsRejected(@TempDir Path dir) throws Exception {
        Labels all = Labels.load(SharedData.model("imagenet_labels.txt"));
        assertThrows(IllegalArgumentException.class, () -> all.forClasses(965));
        Path file = dir.resolve("l.txt");
        Files.writeString(file, "a\nb\n\n");
        Labels two = Labels.load(file);
        assertEquals(2, two.size());
        // Without a "background" first line one extra label is not silently skipped.
        assertThrows(IllegalArgumentException.class, () -> two.forClasses(1));
    }
}
