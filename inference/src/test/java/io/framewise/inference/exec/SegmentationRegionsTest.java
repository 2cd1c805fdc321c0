package io.framewise.inference.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The region search with a reused scratch: the same summaries as a fresh one, map after map. */
class SegmentationRegionsTest {

    private static final Classification.LabelLookup LABELS = i -> "c" + i;

    @Test
    void aReusedScratchGivesWhatAFreshOneGives() {
        int w = 37;
        int h = 23;
        Segmentation.RegionScratch scratch = new Segmentation.RegionScratch(w * h);
        Random rnd = new Random(7);
        for (int round = 0; round < 20; round++) {
            byte[] map = new byte[w * h];
            // blobs of a few classes on background, so regions touch, nest and split
            for (int b = 0; b < 6; b++) {
                int c = 1 + rnd.nextInt(4);
                int x0 = rnd.nextInt(w);
                int y0 = rnd.nextInt(h);
                int x1 = Math.min(w, x0 + 1 + rnd.nextInt(12));
                int y1 = Math.min(h, y0 + 1 + rnd.nextInt(9));
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        map[y * w + x] = (byte) c;
                    }
                }
            }
            Segmentation fresh = Segmentation.of(map, w, h, 640, 480, LABELS, 21, 0.001, false);
            Segmentation reused = Segmentation.of(map, w, h, 640, 480, LABELS, 21, 0.001, false, scratch);
            assertEquals(fresh.classes(), reused.classes(), "map " + round);
        }
    }

    @Test
    void diagonalNeighboursAreOneRegionAndAScratchTooSmallIsRefused() {
        // 8-connected: two pixels touching at a corner are one region
        byte[] map = {1, 0, 0,
                      0, 1, 0,
                      0, 0, 2};
        Segmentation s = Segmentation.of(map, 3, 3, 3, 3, LABELS, 21, 0, false, new Segmentation.RegionScratch(9));
        Segmentation.ClassArea one = s.classes().stream().filter(c -> c.index() == 1).findFirst().orElseThrow();
        assertEquals(1, one.regions().size());
        assertEquals(2, one.regions().get(0).pixels());
        List<Segmentation.ClassArea> classes = s.classes();
        assertEquals(3, classes.size());
        assertThrows(IllegalArgumentException.class,
                () -> Segmentation.of(map, 3, 3, 3, 3, LABELS, 21, 0, false, new Segmentation.RegionScratch(8)));
    }
}
