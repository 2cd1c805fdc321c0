package io.framewise.operators.zones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.records.Box;
import io.framewise.operators.records.CameraConfig;
import io.framewise.operators.records.Zone;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The overlap rule on awkward shapes, against areas worked out by hand. */
class ZoneOverlapTest {

    static final double EPS = 1e-6;

    /** An L: the unit square's lower-left quadrant plus the top-left and bottom-right ones (3/4 of it). */
    static final Zone L = new Zone("l", new float[] {0, 0, 0.5f, 0, 0.5f, 0.5f, 1, 0.5f, 1, 1, 0, 1});

    @Test
    void aBoxInsideAConvexZoneIsFullyIn() {
        Zone square = new Zone("sq", new float[] {0.2f, 0.2f, 0.8f, 0.2f, 0.8f, 0.8f, 0.2f, 0.8f});
        assertEquals(1.0, ZoneOverlap.fractionInside(new Box(0.3f, 0.3f, 0.5f, 0.5f), square), EPS);
        assertEquals(0.0, ZoneOverlap.fractionInside(new Box(0.85f, 0.85f, 0.95f, 0.95f), square), EPS);
        // half over the right edge
        assertEquals(0.5, ZoneOverlap.fractionInside(new Box(0.7f, 0.3f, 0.9f, 0.5f), square), EPS);
    }

    @Test
    void aConcaveZoneCountsOnlyWhatIsInsideItsNotch() {
        // the whole picture: 3/4 of it is the L
        assertEquals(0.75, ZoneOverlap.fractionInside(ZoneOverlap.WHOLE_PICTURE, L), EPS);
        // a box in the notch (top right quadrant) is outside, though inside the L's bounding box
        assertEquals(0.0, ZoneOverlap.fractionInside(new Box(0.6f, 0.1f, 0.9f, 0.4f), L), EPS);
        // a box across the inner corner: 3 of its 4 quarters are in the L
        assertEquals(0.75, ZoneOverlap.fractionInside(new Box(0.4f, 0.4f, 0.6f, 0.6f), L), EPS);
        // the same with the vertices in the other winding
        Zone reversed = new Zone("r", new float[] {0, 1, 1, 1, 1, 0.5f, 0.5f, 0.5f, 0.5f, 0, 0, 0});
        assertEquals(0.75, ZoneOverlap.fractionInside(new Box(0.4f, 0.4f, 0.6f, 0.6f), reversed), EPS);
    }

    @Test
    void aConcaveZoneThatLeavesTheBoxAndComesBack() {
        // a U opening upward: two prongs x 0.1..0.3 and 0.7..0.9 above a base y 0.7..0.9
        Zone u = new Zone("u", new float[] {0.1f, 0.1f, 0.3f, 0.1f, 0.3f, 0.7f, 0.7f, 0.7f, 0.7f, 0.1f, 0.9f, 0.1f,
                0.9f, 0.9f, 0.1f, 0.9f});
        // a box 0..1 x 0.4..0.6 crosses both prongs (0.2 + 0.2 wide) and not the base: 0.4 of it
        assertEquals(0.4, ZoneOverlap.fractionInside(new Box(0, 0.4f, 1, 0.6f), u), EPS);
    }

    @Test
    void aBoxOnTheZonesEdgeIsExactlyHalfInAndPassesAHalfThreshold() {
        CameraConfig c = new CameraConfig("c", 0, List.of(new Zone("left", new float[] {0, 0, 0.5f, 0, 0.5f, 1, 0, 1})));
        Box straddling = new Box(0.4f, 0.2f, 0.6f, 0.4f);
        assertEquals(0.5, ZoneOverlap.fractionInside(straddling, c.zones().get(0)), EPS);
        assertEquals(List.of("left"), ZoneOverlap.zonesOf(c, straddling, 0.5));
        assertEquals(List.of(), ZoneOverlap.zonesOf(c, straddling, 0.51));
        // touching the edge from outside is not in
        assertEquals(0.0, ZoneOverlap.fractionInside(new Box(0.5f, 0.2f, 0.7f, 0.4f), c.zones().get(0)), EPS);
    }

    @Test
    void aBoxWithoutAreaCountsByItsCentre() {
        assertEquals(1.0, ZoneOverlap.fractionInside(new Box(0.2f, 0.7f, 0.2f, 0.7f), L), EPS);
        assertEquals(0.0, ZoneOverlap.fractionInside(new Box(0.7f, 0.2f, 0.7f, 0.2f), L), EPS); // the notch
        assertEquals(1.0, ZoneOverlap.fractionInside(new Box(0.5f, 0.2f, 0.5f, 0.2f), L), EPS); // on the outline
        assertEquals(1.0, ZoneOverlap.fractionInside(new Box(0.1f, 0.6f, 0.3f, 0.6f), L), EPS); // a line
    }

    @Test
    void anObservationWithoutABoxIsTheWholePicture() {
        CameraConfig c = new CameraConfig("c", 0, List.of(L,
                new Zone("small", new float[] {0.1f, 0.1f, 0.2f, 0.1f, 0.2f, 0.2f})));
        assertEquals(List.of("l"), ZoneOverlap.zonesOf(c, null, 0.5));
        assertEquals(List.of(), ZoneOverlap.zonesOf(c, null, 0.8));
        assertEquals(List.of(), ZoneOverlap.zonesOf(null, null, 0.5));
    }

    @Test
    void degenerateAndCrossingPolygonsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Zone("line", new float[] {0, 0, 0.5f, 0.5f, 1, 1}));
        assertThrows(IllegalArgumentException.class, () -> new Zone("two", new float[] {0, 0, 1, 1}));
        assertThrows(IllegalArgumentException.class, () -> new Zone("odd", new float[] {0, 0, 1, 1, 0}));
        assertThrows(IllegalArgumentException.class, () -> new Zone("out", new float[] {0, 0, 1.5f, 0, 1, 1}));
        assertThrows(IllegalArgumentException.class, () -> new Zone("nan", new float[] {0, 0, Float.NaN, 0, 1, 1}));
        // a bow tie: its edges cross
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Zone("bowtie", new float[] {0, 0, 1, 1, 1, 0, 0, 1}));
        assertTrue(e.getMessage().contains("cross"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Zone("has space", new float[] {0, 0, 1, 0, 1, 1}));
        assertThrows(IllegalArgumentException.class, () -> new CameraConfig("c", 0, List.of(L, L)));
        assertFalse(new Zone("ok", new float[] {0, 0, 1, 0, 1, 1}).name().isEmpty());
    }
}
