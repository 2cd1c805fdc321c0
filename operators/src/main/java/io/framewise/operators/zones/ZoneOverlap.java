package io.framewise.operators.zones;

import io.framewise.operators.records.Box;
import io.framewise.operators.records.CameraConfig;
import io.framewise.operators.records.Zone;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which zones an observation is in (the rule of {@code docs/zones.md}).
 *
 * <p>An observation is in a zone when at least {@code minOverlap} of its box's area lies inside the
 * zone's polygon. The share is exact: the polygon is clipped to the box (Sutherland–Hodgman against the
 * box's four sides; the box is convex, the polygon may be concave) and the clipped area (shoelace)
 * divided by the box's area. A box without area (a line or a point) counts as its centre: inside the
 * polygon (even-odd rule; on the outline counts as inside) or not. An observation without a box
 * (classification: the model says what the whole picture shows, not where) is the whole picture, the
 * box 0,0..1,1: it is in a zone that covers at least {@code minOverlap} of the picture.
 */
public final class ZoneOverlap {

    /** Float coordinates: a share this close below the threshold still passes it (an exact half is a half). */
    static final double TOLERANCE = 1e-6;

    /** What an observation without a box stands for. */
    public static final Box WHOLE_PICTURE = new Box(0, 0, 1, 1);

    private ZoneOverlap() {
    }

    /** The names of {@code camera}'s zones the box is in, in the camera's zone order. */
    public static List<String> zonesOf(CameraConfig camera, Box box, double minOverlap) {
        if (camera == null || camera.zones().isEmpty()) {
            return List.of();
        }
        Box b = box == null ? WHOLE_PICTURE : box;
        List<String> in = new ArrayList<>(1);
        for (Zone z : camera.zones()) {
            if (fractionInside(b, z) >= minOverlap - TOLERANCE) {
                in.add(z.name());
            }
        }
        return in;
    }

    /** The share (0..1) of the box's area inside the zone; for a box without area 1 or 0 by its centre. */
    public static double fractionInside(Box b, Zone z) {
        double x0 = Math.min(b.x0(), b.x1());
        double x1 = Math.max(b.x0(), b.x1());
        double y0 = Math.min(b.y0(), b.y1());
        double y1 = Math.max(b.y0(), b.y1());
        double boxArea = (x1 - x0) * (y1 - y0);
        if (boxArea <= 0) {
            return contains(z, (x0 + x1) / 2, (y0 + y1) / 2) ? 1 : 0;
        }
        int n = z.points();
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = z.x(i);
            ys[i] = z.y(i);
        }
        double[][] p = {xs, ys};
        p = clip(p, 0, x0, true);  // keep x >= x0
        p = clip(p, 0, x1, false); // keep x <= x1
        p = clip(p, 1, y0, true);
        p = clip(p, 1, y1, false);
        return Math.min(1, Math.abs(area(p)) / boxArea);
    }

    /** One Sutherland–Hodgman pass: the part of polygon p on the kept side of the line axis = at. */
    private static double[][] clip(double[][] p, int axis, double at, boolean keepGreater) {
        int n = p[0].length;
        if (n == 0) {
            return p;
        }
        double[] ox = new double[2 * n];
        double[] oy = new double[2 * n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            int j = (i + n - 1) % n; // previous vertex
            double cx = p[0][i], cy = p[1][i], px = p[0][j], py = p[1][j];
            double c = axis == 0 ? cx : cy;
            double pr = axis == 0 ? px : py;
            boolean cIn = keepGreater ? c >= at : c <= at;
            boolean pIn = keepGreater ? pr >= at : pr <= at;
            if (cIn != pIn) {
                double t = (at - pr) / (c - pr);
                ox[m] = axis == 0 ? at : px + t * (cx - px);
                oy[m] = axis == 0 ? py + t * (cy - py) : at;
                m++;
            }
            if (cIn) {
                ox[m] = cx;
                oy[m] = cy;
                m++;
            }
        }
        return new double[][] {Arrays.copyOf(ox, m), Arrays.copyOf(oy, m)};
    }

    private static double area(double[][] p) {
        int n = p[0].length;
        double a = 0;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            a += p[0][j] * p[1][i] - p[0][i] * p[1][j];
        }
        return a / 2;
    }

    /** Even-odd point in polygon; a point on the outline is inside. */
    static boolean contains(Zone z, double x, double y) {
        int n = z.points();
        boolean in = false;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            double xi = z.x(i), yi = z.y(i), xj = z.x(j), yj = z.y(j);
            double cross = (xj - xi) * (y - yi) - (yj - yi) * (x - xi);
            if (cross == 0 && Math.min(xi, xj) <= x && x <= Math.max(xi, xj) && Math.min(yi, yj) <= y
                    && y <= Math.max(yi, yj)) {
                return true;
            }
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) {
                in = !in;
            }
        }
        return in;
    }
}
