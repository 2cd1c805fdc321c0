package io.framewise.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.framewise.inference.exec.Segmentation;
import io.framewise.operators.records.LabeledEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskedFramesTest {

    /** The job's min-region is not in the event; the threshold taken from the event keeps exactly its regions. */
    @Test
    void theRegionsComputedAgainAreTheEventsWhateverTheJobsMinRegion() {
        byte[] map = new byte[20 * 20];
        fill(map, 1, 1, 5, 5);   // 25 pixels
        fill(map, 10, 10, 2, 2); // 4 pixels
        fill(map, 18, 1, 1, 1);  // 1 pixel
        for (double jobMinRegion : new double[] {0.0, 0.005, 0.01, 0.05, 0.5}) {
            Segmentation job = Segmentation.of(map, 20, 20, 20, 20, i -> "c" + i, 21, jobMinRegion, false);
            LabeledEvent e = new LabeledEvent("cam", 0, 0, 0, 0, "frames", 0, 0, "m.tflite", "00", List.of(), true,
                    "0-0", 1, new LabeledEvent.Latency(0, 0, 0, 0), null, job.classes(), job.mapSha256());
            Segmentation again = Segmentation.of(map, 20, 20, 20, 20, i -> "c" + i, 21,
                    MaskedFrames.minRegion(e, 400), false);
            assertEquals(job.classes(), again.classes(), "job min-region " + jobMinRegion);
        }
    }

    private static void fill(byte[] map, int x0, int y0, int w, int h) {
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                map[y * 20 + x] = 15;
            }
        }
    }
}
