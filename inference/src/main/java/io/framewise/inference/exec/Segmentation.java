package io.framewise.inference.exec;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * What a segmentation model saw in one frame, in the terms the CLI, the job's events and the report
 * share: per class present, the fraction of the model's output pixels it covers, its bounding box and
 * its connected regions, each box both in the original frame's pixel coordinates and as fractions of
 * width and height; the SHA-256 of the class map; the class map itself when asked for.
 *
 * <p>Regions are 8-connected (pixels touching at a corner belong together: a thin diagonal limb stays
 * part of its person) and kept when they cover at least {@code minRegionFraction} of the map, largest
 * first. Boxes are inclusive {@code [x0, y0, x1, y1]}. The frame was stretched whole to the map, so a
 * map box maps to the frame by scaling: the frame box is the set of frame pixels whose area overlaps
 * the map box, and the fraction box ({@code [x0 / W, y0 / H, (x1 + 1) / W, (y1 + 1) / H]}) is the same
 * in both coordinate systems.
 */
public final class Segmentation {

    /** One 8-connected region of one class. Equal by value (boxes included): results are compared after round trips. */
    public record Region(long pixels, double fraction, int[] box, double[] boxFraction) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Region r && pixels == r.pixels && Double.compare(fraction, r.fraction) == 0
                    && Arrays.equals(box, r.box) && Arrays.equals(boxFraction, r.boxFraction);
        }

        @Override
        public int hashCode() {
            return Objects.hash(pixels, fraction, Arrays.hashCode(box),
                    Arrays.hashCode(boxFraction));
        }

        @Override
        public String toString() {
            return "Region[pixels=" + pixels + ", fraction=" + fraction + ", box=" + Arrays.toString(box)
                    + "]";
        }
    }

    /** One class present in the map. Equal by value. */
    public record ClassArea(int index, String label, long pixels, double fraction, int[] box, double[] boxFraction,
                            List<Region> regions) {

        @Override
        public boolean equals(Object o) {
            return o instanceof ClassArea c && index == c.index && pixels == c.pixels
                    && Double.compare(fraction, c.fraction) == 0 && Objects.equals(label, c.label)
                    && Arrays.equals(box, c.box) && Arrays.equals(boxFraction, c.boxFraction)
                    && Objects.equals(regions, c.regions);
        }

        @Override
        public int hashCode() {
            return Objects.hash(index, label, pixels, fraction, Arrays.hashCode(box),
                    Arrays.hashCode(boxFraction), regions);
        }

        @Override
        public String toString() {
            return "ClassArea[" + index + " " + label + ", pixels=" + pixels + ", fraction=" + fraction + ", box="
                    + Arrays.toString(box) + ", regions=" + regions + "]";
        }
    }

    private final int frameWidth, frameHeight, mapWidth, mapHeight;
    private final List<ClassArea> classes;
    private final String mapSha256;
    private final byte[] classMap; // null unless kept

    private Segmentation(int frameWidth, int frameHeight, int mapWidth, int mapHeight, List<ClassArea> classes,
                         String mapSha256, byte[] classMap) {
        this.frameWidth = frameWidth;
        this.frameHeight = frameHeight;
        this.mapWidth = mapWidth;
        this.mapHeight = mapHeight;
        this.classes = classes;
        this.mapSha256 = mapSha256;
        this.classMap = classMap;
    }

    /**
     * @param map               {@code [mapHeight][mapWidth]} class indices (unsigned bytes)
     * @param minRegionFraction smallest region kept, as a fraction of the map's pixels
     * @param keepMap           keep a copy of the class map in the result
     */
    public static Segmentation of(byte[] map, int mapWidth, int mapHeight, int frameWidth, int frameHeight,
                                  Classification.LabelLookup labels, int numClasses, double minRegionFraction,
                                  boolean keepMap) {
        return of(map, mapWidth, mapHeight, frameWidth, frameHeight, labels, numClasses, minRegionFraction, keepMap,
                new RegionScratch(mapWidth * mapHeight));
    }

    /**
     * The region search's two map-sized arrays, kept by the caller that summarizes frame after frame (a
     * 513x513 map: 2 MB per frame otherwise, on the inference thread). Not for two threads at once.
     */
    public static final class RegionScratch {
        private final int[] visited; // [H*W] the generation that reached the pixel: no clearing between maps
        private final int[] queue;   // [H*W] the flood fill's pixels
        private int generation;

        public RegionScratch(int pixels) {
            visited = new int[pixels];
            queue = new int[pixels];
        }

        /** A fresh generation: every pixel unvisited again. */
        int next() {
            if (++generation == 0) { // wrapped after 2^32 maps: clear once
                java.util.Arrays.fill(visited, 0);
                generation = 1;
            }
            return generation;
        }
    }

    /** {@link #of} with the caller's scratch arrays (at least the map's pixels each). */
    public static Segmentation of(byte[] map, int mapWidth, int mapHeight, int frameWidth, int frameHeight,
                                  Classification.LabelLookup labels, int numClasses, double minRegionFraction,
                                  boolean keepMap, RegionScratch scratch) {
        int total = mapWidth * mapHeight;
        if (scratch.queue.length < total) {
            throw new IllegalArgumentException("region scratch of " + scratch.queue.length + " pixels for a "
                    + mapWidth + "x" + mapHeight + " map");
        }
        if (map.length < total || frameWidth < 1 || frameHeight < 1) {
            throw new IllegalArgumentException("class map " + map.length + " bytes for " + mapWidth + "x" + mapHeight
                    + ", frame " + frameWidth + "x" + frameHeight);
        }
        long[] count = new long[256];
        int[][] box = new int[256][];
        for (int y = 0; y < mapHeight; y++) {
            for (int x = 0; x < mapWidth; x++) {
                int c = map[y * mapWidth + x] & 0xFF;
                count[c]++;
                int[] b = box[c];
                if (b == null) {
                    box[c] = new int[] {x, y, x, y};
                } else {
                    b[0] = Math.min(b[0], x);
                    b[1] = Math.min(b[1], y);
                    b[2] = Math.max(b[2], x);
                    b[3] = Math.max(b[3], y);
                }
            }
        }
        long minPixels = Math.max(1, (long) Math.ceil(minRegionFraction * total));
        List<List<Region>> regions = regions(map, mapWidth, mapHeight, minPixels, frameWidth, frameHeight, scratch);
        List<ClassArea> classes = new ArrayList<>();
        for (int c = 0; c < 256; c++) {
            if (count[c] == 0) {
                continue;
            }
            String label = c < numClasses ? labels.label(c) : "class " + c;
            classes.add(new ClassArea(c, label, count[c], (double) count[c] / total,
                    frameBox(box[c], mapWidth, mapHeight, frameWidth, frameHeight),
                    fractionBox(box[c], mapWidth, mapHeight), List.copyOf(regions.get(c))));
        }
        byte[] kept = keepMap ? Arrays.copyOf(map, total) : null;
        return new Segmentation(frameWidth, frameHeight, mapWidth, mapHeight, List.copyOf(classes),
                sha256(map, total), kept);
    }

    /** 8-connected regions of every class, largest first, at least {@code minPixels} each; [class] -> regions. */
    private static List<List<Region>> regions(byte[] map, int w, int h, long minPixels, int fw, int fh,
                                              RegionScratch scratch) {
        List<List<Region>> out = new ArrayList<>(256);
        for (int c = 0; c < 256; c++) {
            out.add(new ArrayList<>());
        }
        int gen = scratch.next();
        int[] seen = scratch.visited;
        int[] queue = scratch.queue;
        for (int start = 0; start < w * h; start++) {
            if (seen[start] == gen) {
                continue;
            }
            int c = map[start] & 0xFF;
            int head = 0;
            int tail = 0;
            queue[tail++] = start;
            seen[start] = gen;
            int[] b = {start % w, start / w, start % w, start / w};
            while (head < tail) {
                int p = queue[head++];
                int px = p % w;
                int py = p / w;
                b[0] = Math.min(b[0], px);
                b[1] = Math.min(b[1], py);
                b[2] = Math.max(b[2], px);
                b[3] = Math.max(b[3], py);
                for (int dy = -1; dy <= 1; dy++) {
                    int ny = py + dy;
                    if (ny < 0 || ny >= h) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = px + dx;
                        int q = ny * w + nx;
                        if (nx >= 0 && nx < w && seen[q] != gen && (map[q] & 0xFF) == c) {
                            seen[q] = gen;
                            queue[tail++] = q;
                        }
                    }
                }
            }
            if (tail >= minPixels) {
                out.get(c).add(new Region(tail, (double) tail / (w * h), frameBox(b, w, h, fw, fh),
                        fractionBox(b, w, h)));
            }
        }
        for (List<Region> r : out) {
            r.sort((a, z) -> Long.compare(z.pixels(), a.pixels()));
        }
        return out;
    }

    /** The frame pixels a map box covers: map pixel x spans [x, x + 1) · frameWidth / mapWidth. */
    static int[] frameBox(int[] b, int mw, int mh, int fw, int fh) {
        return new int[] {
            (int) Math.floor((double) b[0] * fw / mw), (int) Math.floor((double) b[1] * fh / mh),
            Math.min(fw - 1, (int) Math.ceil((double) (b[2] + 1) * fw / mw) - 1),
            Math.min(fh - 1, (int) Math.ceil((double) (b[3] + 1) * fh / mh) - 1)};
    }

    static double[] fractionBox(int[] b, int mw, int mh) {
        return new double[] {(double) b[0] / mw, (double) b[1] / mh, (double) (b[2] + 1) / mw, (double) (b[3] + 1) / mh};
    }

    /** Hex SHA-256 of the first {@code len} bytes of a class map (row-major, one byte per pixel). */
    public static String sha256(byte[] map, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(map, 0, len);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public int frameWidth() {
        return frameWidth;
    }

    public int frameHeight() {
        return frameHeight;
    }

    public int mapWidth() {
        return mapWidth;
    }

    public int mapHeight() {
        return mapHeight;
    }

    /** Classes present, by index. */
    public List<ClassArea> classes() {
        return classes;
    }

    public String mapSha256() {
        return mapSha256;
    }

    /** The class map ({@code [mapHeight][mapWidth]}), or null when it was not kept. */
    public byte[] classMap() {
        return classMap;
    }
}
