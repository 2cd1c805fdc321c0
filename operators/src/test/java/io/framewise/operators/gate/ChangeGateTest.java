package io.framewise.operators.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.records.GateReading;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The gate's arithmetic on synthetic frames. */
class ChangeGateTest {

    private static final GateSettings SETTINGS = new GateSettings(true, 2, 10, 1000);

    @Test
    void identicalFramesDoNotDiffer() {
        byte[] t = ChangeGate.thumbnail(gradient(224, 224), 224, 224);
        GateReading d = ChangeGate.compare(t, t.clone());
        assertEquals(0, d.difference());
        assertEquals(0, d.blockMax());
        assertTrue(new ChangeGate(SETTINGS).decide(t, 500, t, 0L).skip());
    }

    @Test
    void aSmallObjectInOneBlockIsSeenByTheBlockMaximumNotTheMean() {
        byte[] a = gradient(224, 224);
        byte[] b = a.clone();
        for (int y = 0; y < 20; y++) { // 20x20 white square in the top-left block (28x28 pixels)
            for (int x = 0; x < 20; x++) {
                Arrays.fill(b, (y * 224 + x) * 3, (y * 224 + x) * 3 + 3, (byte) 255);
            }
        }
        GateReading d = ChangeGate.compare(ChangeGate.thumbnail(a, 224, 224), ChangeGate.thumbnail(b, 224, 224));
        assertTrue(d.difference() < SETTINGS.meanThreshold(), "mean " + d.difference());
        assertTrue(d.blockMax() > SETTINGS.blockThreshold(), "block " + d.blockMax());
        assertFalse(new ChangeGate(SETTINGS).decide(ChangeGate.thumbnail(b, 224, 224), 500,
                ChangeGate.thumbnail(a, 224, 224), 0L).skip());
    }

    @Test
    void maxSkipClockRestartAndNoReferenceForceInference() {
        ChangeGate g = new ChangeGate(SETTINGS);
        byte[] t = ChangeGate.thumbnail(gradient(64, 48), 64, 48);
        assertTrue(g.decide(t, 999, t, 0L).skip());
        ChangeGate.Decision due = g.decide(t, 1000, t, 0L);
        assertFalse(due.skip());
        assertNull(due.reading());
        assertFalse(g.decide(t, 5, t, 10L).skip(), "a clock going back starts over");
        assertFalse(g.decide(t, 5, null, null).skip());
    }

    static byte[] gradient(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = (y * w + x) * 3;
                rgb[p] = (byte) (x * 255 / w);
                rgb[p + 1] = (byte) (y * 255 / h);
                rgb[p + 2] = (byte) 60;
            }
        }
        return rgb;
    }
}
