package io.framewise.pipeline.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * One PNG per camera: the sampled thumbnails in a grid, each with its top label, score and time
 * drawn under it; a red frame marks a label change, a hatched grey box a missing frame. For
 * attaching to a ticket or chat where the HTML folder does not travel.
 */
public final class ContactSheet {

    static final int COLUMNS = 6;
    private static final int PAD = 6;
    private static final int TEXT = 30; // two lines of caption

    private ContactSheet() {
    }

    public static void write(CameraReport r, int thumbWidth, Path file) throws IOException {
        int cellH = r.shots.stream().filter(s -> s.image() != null).mapToInt(s -> s.image().getHeight()).max()
                .orElse(thumbWidth * 3 / 4);
        int n = Math.max(1, r.shots.size());
        int cols = Math.min(COLUMNS, n);
        int rows = (n + cols - 1) / cols;
        int header = 24;
        int w = PAD + cols * (thumbWidth + PAD);
        int h = header + PAD + rows * (cellH + TEXT + PAD);
        BufferedImage sheet = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString(fit(g, r.camera + ": " + r.events.size() + " events, " + r.changes + " label changes",
                    w - 2 * PAD), PAD, 17);
            Font label = new Font(Font.SANS_SERIF, Font.BOLD, 11);
            Font meta = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
            for (int i = 0; i < r.shots.size(); i++) {
                CameraReport.Shot s = r.shots.get(i);
                int x = PAD + (i % cols) * (thumbWidth + PAD);
                int y = header + PAD + (i / cols) * (cellH + TEXT + PAD);
                if (s.image() != null) {
                    g.drawImage(s.image(), x, y, null);
                } else {
                    hatch(g, x, y, thumbWidth, cellH);
                    g.setColor(new Color(0x99, 0, 0));
                    g.setFont(meta);
                    g.drawString("frame missing", x + 4, y + 14);
                }
                if (s.change()) {
                    g.setColor(new Color(0xcc, 0, 0));
                    g.setStroke(new BasicStroke(3));
                    g.drawRect(x - 1, y - 1, thumbWidth + 1, cellH + 1);
                }
                String lbl = FrameSample.label(s.event());
                g.setColor(Color.decode(r.classColour(lbl)));
                g.fillRect(x, y + cellH + 4, 8, 10);
                g.setColor(Color.BLACK);
                g.setFont(label);
                g.drawString(fit(g, lbl, thumbWidth - 12), x + 12, y + cellH + 14);
                g.setFont(meta);
                g.setColor(Color.DARK_GRAY);
                double score = FrameSample.score(s.event());
                g.drawString(String.format(Locale.ROOT, r.segmentation ? "%.1f%%  t=%.2f s%s" : "%.3f  t=%.2f s%s",
                        r.segmentation ? 100 * score : score, r.seconds(s.event()),
                        s.change() ? "  change" : ""), x, y + cellH + 27);
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(sheet, "png", file.toFile());
    }

    private static void hatch(Graphics2D g, int x, int y, int w, int h) {
        g.setColor(new Color(0xee, 0xee, 0xee));
        g.fillRect(x, y, w, h);
        g.setColor(new Color(0xd0, 0xd0, 0xd0));
        g.setStroke(new BasicStroke(1));
        g.setClip(x, y, w, h);
        for (int d = -h; d < w; d += 10) {
            g.drawLine(x + d, y + h, x + d + h, y);
        }
        g.setClip(null);
    }

    /** The text, cut with an ellipsis to fit {@code max} pixels. */
    private static String fit(Graphics2D g, String text, int max) {
        FontMetrics fm = g.getFontMetrics();
        if (fm.stringWidth(text) <= max) {
            return text;
        }
        String t = text;
        while (!t.isEmpty() && fm.stringWidth(t + "\u2026") > max) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "\u2026";
    }
}
