package io.framewise.inference.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.junit.jupiter.api.Test;

class AlignedFloatsTest {

    private static String vmOption(String name) {
        return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
    }

    @Test
    void firstAlignedElementFollowsTheArrayHeader() {
        int header = vmOption("UseCompressedClassPointers").equals("true") ? 16 : 24;
        assertEquals(0, (header + AlignedFloats.BASE * Float.BYTES) % 64);
        assertTrue(AlignedFloats.BASE < 16);
    }

    @Test
    void largeArraysArePaddedToHumongousUnderG1AndSmallOnesAreNot() {
        assertEquals(1000, AlignedFloats.allocate(1000).length); // small: as asked
        if (!vmOption("UseG1GC").equals("true")) {
            return; // other collectors: no padding, nothing more to check
        }
        long region = Long.parseLong(vmOption("G1HeapRegionSize"));
        int humongous = (int) (region / 2 / Float.BYTES + 16);
        float[] mid = AlignedFloats.allocate(humongous / 8);
        assertEquals(humongous, mid.length);
        assertTrue(16L + (long) mid.length * Float.BYTES >= region / 2, "at least half a region: humongous");
        float[] big = AlignedFloats.allocate(humongous + 5);
        assertEquals(humongous + 5, big.length); // already humongous: not padded further
        for (float f : mid) {
            assertEquals(0f, f);
        }
    }

    @Test
    void tensorsStartAtTheAlignedElement() {
        TensorSlot t = new TensorSlot(0, 112 * 112 * 96);
        assertEquals(AlignedFloats.BASE, t.offset(0));
        assertEquals(AlignedFloats.BASE + 3 * 112 * 112 * 96, t.offset(3));
    }
}
