package io.framewise.pipeline.report;

import io.framewise.inference.exec.Segmentation;
import io.framewise.inference.preprocess.RgbImage;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * A segmentation a person looks at: the class colours (the PASCAL VOC palette) blended over the
 * picture with each mask's outline in full colour, background left untouched, and every region's box drawn in its class colour and labeled
 * with the class name and its share of the frame. The class map is stretched back to the picture
 * (nearest map pixel), the inverse of the whole-frame resize that fed the model. Used by
 * {@code segment --masks}; the report's thumbnails take the same picture.
 */
public final class MaskOverlay {

    /** Opacity of the class colour over the picture. */
    static final double ALPHA = 0.55;

    private MaskOverlay() {
    }

    /** The PASCAL VOC colour of class {@code c} (the standard bit-interleaved palette; 0 = black). */
    public static Color colour(int c) {
        int r = 0;
        int g = 0;
        int b = 0;
        for (int bit = 7, v = c; v > 0 && bit >= 0; bit--, v >>= 3) {
            r |= (v & 1) << bit;
            g |= ((v >> 1) & 1) << bit;
            b |= ((v >> 2) & 1) << bit;
        }
        return new Color(r, g, b);
    }

    /**
     * Renders {@code s} (which must have kept its class map) over {@code picture}, the frame it was
     * computed from.
     */
    public static BufferedImage render(RgbImage picture, Segmentation s) {
        byte[] map = s.classMap();
        if (map == null) {
            throw new IllegalArgumentException("the segmentation has no class map (compute it with keepMap)");
        }
        int w = picture.width();
        int h = picture.height();
        int mw = s.mapWidth();
        int mh = s.mapHeight();
        int[] palette = new int[256];
        for (int c = 0; c < 256; c++) {
            palette[c] = colour(c).getRGB();
        }
        byte[] px = picture.pixels();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        int[] mapX = new int[w];
        for (int x = 0; x < w; x++) {
            mapX[x] = Math.min(mw - 1, (int) ((x + 0.5) * mw / w));
        }
        int[] mapY = new int[h];
        for (int y = 0; y < h; y++) {
            mapY[y] = Math.min(mh - 1, (int) ((y + 0.5) * mh / h));
        }
        int t = Math.max(1, (int) Math.round(Math.min(w, h) / 250.0)); // outline width: 2 px on a 512 picture
        for (int y = 0; y < h; y++) {
            int my = mapY[y];
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                int r = px[i] & 0xFF;
                int g = px[i + 1] & 0xFF;
                int b = px[i + 2] & 0xFF;
                int c = map[my * mw + mapX[x]] & 0xFF;
                if (c != 0 && outline(map, mw, mapX, mapY, x, y, c, t)) {
                    row[x] = palette[c];
                    continue;
                }
                if (c != 0) {
                    int p = palette[c];
                    r = blend(r, (p >> 16) & 0xFF);
                    g = blend(g, (p >> 8) & 0xFF);
                    b = blend(b, p & 0xFF);
                }
                row[x] = (r << 16) | (g << 8) | b;
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        drawBoxes(out, s);
        return out;
    }

    /** True when the frame pixel {@code t} to the left, right, above or below (x, y) has another class. */
    private static boolean outline(byte[] map, int mw, int[] mapX, int[] mapY, int x, int y, int c, int t) {
        int w = mapX.length;
        int h = mapY.length;
        int l = mapX[Math.max(0, x - t)];
        int r = mapX[Math.min(w - 1, x + t)];
        int u = mapY[Math.max(0, y - t)];
        int d = mapY[Math.min(h - 1, y + t)];
        return (map[mapY[y] * mw + l] & 0xFF) != c || (map[mapY[y] * mw + r] & 0xFF) != c
                || (map[u * mw + mapX[x]] & 0xFF) != c || (map[d * mw + mapX[x]] & 0xFF) != c;
    }

    private static int blend(int under, int over) {
        return (int) Math.round(under * (1 - ALPHA) + over * ALPHA);
    }

    private static void drawBoxes(BufferedImage img, Segmentation s) {
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            int size = Math.max(10, Math.min(img.getWidth(), img.getHeight()) / 30);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
            FontMetrics fm = g.getFontMetrics();
            float stroke = Math.max(1f, size / 6f);
            g.setStroke(new BasicStroke(stroke));
            for (Segmentation.ClassArea c : s.classes()) {
                if (c.index() == 0) {
                    continue; // background: no box
                }
                Color colour = brighter(colour(c.index()));
                for (Segmentation.Region r : c.regions()) {
                    int[] b = r.box();
                    g.setColor(colour);
                    g.drawRect(b[0], b[1], b[2] - b[0], b[3] - b[1]);
                    String text = String.format("%s %.1f%%", c.label(), 100 * r.fraction());
                    int tw = fm.stringWidth(text) + 6;
                    int th = fm.getHeight();
                    int tx = Math.max(0, Math.min(b[0], img.getWidth() - tw));
                    int ty = b[1] - th >= 0 ? b[1] - th : b[1]; // above the box, or inside at the top edge
                    g.fillRect(tx, ty, tw, th);
                    g.setColor(luminance(colour) > 140 ? Color.BLACK : Color.WHITE);
                    g.drawString(text, tx + 3, ty + fm.getAscent());
                }
            }
        } finally {
            g.dispose();
        }
    }

    /** The palette's dark colours (navy, maroon) lifted so a line on a photo stands out. */
    private static Color brighter(Color c) {
        int r = Math.min(255, c.getRed() + 48);
        int g = Math.min(255, c.getGreen() + 48);
        int b = Math.min(255, c.getBlue() + 48);
        return new Color(r, g, b);
    }

    private static double luminance(Color c) {
        return 0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue();
    }
}
