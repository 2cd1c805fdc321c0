package io.framewise.operators.records;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named region of one camera's picture: a simple polygon (convex or not) in normalized picture
 * coordinates (0..1, origin top left, as {@link Box}). Checked when made, so every zone the job holds
 * is usable: a name of 1..64 characters {@code [A-Za-z0-9_.-]}, 3..{@value #MAX_POINTS} points, every
 * coordinate in 0..1, a non-zero area and no edge crossing another (a self-crossing outline has no
 * well-defined inside).
 *
 * @param name    the zone's name, unique within its camera; it appears in episode records
 * @param polygon x0, y0, x1, y1, ...: the vertices in order (either winding); the last joins the first
 */
public record Zone(String name, float[] polygon) implements Serializable {

    public static final int MAX_POINTS = 256;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public Zone {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(polygon, "polygon");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("zone name '" + name + "' must be 1..64 characters of A-Z a-z 0-9 _ . -");
        }
        if (polygon.length % 2 != 0 || polygon.length < 6 || polygon.length > 2 * MAX_POINTS) {
            throw new IllegalArgumentException("zone " + name + ": a polygon needs 3.." + MAX_POINTS + " [x, y] points, got "
                    + polygon.length / 2.0);
        }
        polygon = polygon.clone();
        for (float v : polygon) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("zone " + name + ": coordinates are normalized (0..1), got " + v);
            }
        }
        if (selfCrossing(polygon)) {
            throw new IllegalArgumentException("zone " + name + ": the polygon's edges cross each other");
        }
        if (Math.abs(signedArea(polygon)) < 1e-9) {
            throw new IllegalArgumentException("zone " + name + ": the polygon has no area");
        }
    }

    public int points() {
        return polygon.length / 2;
    }

    /** The vertices (a copy). */
    @Override
    public float[] polygon() {
        return polygon.clone();
    }

    /** Read-only access without a copy, for the overlap computation. */
    public float x(int i) {
        return polygon[2 * i];
    }

    public float y(int i) {
        return polygon[2 * i + 1];
    }

    /** Shoelace area, positive for counter-clockwise vertices (in y-up terms). */
    static double signedArea(float[] p) {
        int n = p.length / 2;
        double a = 0;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            a += (double) p[2 * j] * p[2 * i + 1] - (double) p[2 * i] * p[2 * j + 1];
        }
        return a / 2;
    }

    /** Whether two edges that do not share a vertex touch or cross (O(n^2), n at most 256). */
    static boolean selfCrossing(float[] p) {
        int n = p.length / 2;
        for (int i = 0; i < n; i++) {
            int i2 = (i + 1) % n;
            for (int j = i + 1; j < n; j++) {
                int j2 = (j + 1) % n;
                if (i == j2 || j == i2) {
                    continue; // neighbours share a vertex
                }
                if (segmentsTouch(p[2 * i], p[2 * i + 1], p[2 * i2], p[2 * i2 + 1],
                        p[2 * j], p[2 * j + 1], p[2 * j2], p[2 * j2 + 1])) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean segmentsTouch(double ax, double ay, double bx, double by, double cx, double cy, double dx,
                                         double dy) {
        double d1 = cross(cx, cy, dx, dy, ax, ay);
        double d2 = cross(cx, cy, dx, dy, bx, by);
        double d3 = cross(ax, ay, bx, by, cx, cy);
        double d4 = cross(ax, ay, bx, by, dx, dy);
        if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
            return true;
        }
        return d1 == 0 && on(cx, cy, dx, dy, ax, ay) || d2 == 0 && on(cx, cy, dx, dy, bx, by)
                || d3 == 0 && on(ax, ay, bx, by, cx, cy) || d4 == 0 && on(ax, ay, bx, by, dx, dy);
    }

    private static double cross(double ax, double ay, double bx, double by, double px, double py) {
        return (bx - ax) * (py - ay) - (by - ay) * (px - ax);
    }

    private static boolean on(double ax, double ay, double bx, double by, double px, double py) {
        return Math.min(ax, bx) <= px && px <= Math.max(ax, bx) && Math.min(ay, by) <= py && py <= Math.max(ay, by);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Zone z && name.equals(z.name) && Arrays.equals(polygon, z.polygon);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(polygon);
    }

    @Override
    public String toString() {
        return "Zone[" + name + " " + Arrays.toString(polygon) + "]";
    }
}
