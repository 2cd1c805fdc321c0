package io.framewise.pipeline.report;

import io.framewise.inference.exec.Segmentation;
import io.framewise.operators.records.LabeledEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Inline SVG charts (no script, no external resources, so the page works offline and prints):
 * label counts over time as stacked bars per time bucket, mean end-to-end latency as a line on its
 * own axis, label changes as marks along the top and sampled thumbnails as ticks along the bottom.
 */
final class Charts {

    static final int WIDTH = 960;
    static final int HEIGHT = 240;
    private static final int LEFT = 48;
    private static final int RIGHT = 64;
    private static final int TOP = 22;
    private static final int BOTTOM = 34;
    private static final int MAX_BUCKETS = 60;
    private static final int LEGEND_ROWS = 15;
    private static final int MAX_AREA_BUCKETS = 240;
    static final int PLOT_LEFT = LEFT;
    static final int PLOT_RIGHT = WIDTH - RIGHT;

    private Charts() {
    }

    static String timeline(CameraReport r) {
        List<LabeledEvent> ev = r.events;
        int n = ev.size();
        double span = n == 0 ? 0 : r.seconds(ev.get(n - 1));
        boolean byTime = span > 0;
        int buckets = Math.max(1, Math.min(MAX_BUCKETS, n));
        List<String> labels = new ArrayList<>(r.labelCounts.keySet());
        int shown = Math.min(labels.size(), CameraReport.PALETTE.length);
        int[][] counts = new int[buckets][shown + 1]; // [bucket][label rank, last = other]
        double[] latencySum = new double[buckets];
        int[] inBucket = new int[buckets];
        for (int i = 0; i < n; i++) {
            int b = bucket(r, i, buckets, span, byTime);
            int rank = labels.indexOf(FrameSample.label(ev.get(i)));
            counts[b][rank < shown ? rank : shown]++;
            latencySum[b] += ev.get(i).latency().endToEndMs();
            inBucket[b]++;
        }
        int maxCount = 1;
        double maxLatency = 1;
        // below 0 when the camera's clock runs ahead of the job's: the axis then reaches down to it
        double minLatency = 0;
        for (int b = 0; b < buckets; b++) {
            maxCount = Math.max(maxCount, inBucket[b]);
            if (inBucket[b] > 0) {
                maxLatency = Math.max(maxLatency, latencySum[b] / inBucket[b]);
                minLatency = Math.min(minLatency, latencySum[b] / inBucket[b]);
            }
        }
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        double barW = plotW / buckets;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\""
                + " height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"label counts and latency over time\">",
                WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"#fafafa\""
                + " stroke=\"#ddd\"/>", LEFT, TOP, plotW, plotH));
        for (int b = 0; b < buckets; b++) {
            double y = TOP + plotH;
            for (int k = 0; k <= shown; k++) {
                if (counts[b][k] == 0) {
                    continue;
                }
                double h = plotH * counts[b][k] / maxCount;
                y -= h;
                String label = k < shown ? labels.get(k) : "other";
                s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                                + "<title>%s: %d</title></rect>", LEFT + b * barW + 0.5, y, Math.max(0.5, barW - 1), h,
                        k < shown ? CameraReport.PALETTE[k] : CameraReport.OTHER, HtmlPages.escape(label), counts[b][k]));
            }
        }
        StringBuilder line = new StringBuilder();
        for (int b = 0; b < buckets; b++) {
            if (inBucket[b] > 0) {
                double y = TOP + plotH - plotH * (latencySum[b] / inBucket[b] - minLatency) / (maxLatency - minLatency);
                line.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + (b + 0.5) * barW, y));
            }
        }
        s.append("<polyline class=\"latency\" fill=\"none\" stroke=\"#222\" stroke-width=\"1.5\" points=\"")
                .append(line.toString().trim()).append("\"/>");
        marks(s, r, span, byTime, plotW, plotH);
        text(s, LEFT - 4, TOP + 10, "end", Integer.toString(maxCount));
        text(s, LEFT - 4, TOP + plotH, "end", "0");
        text(s, WIDTH - RIGHT + 4, TOP + 10, "start", String.format(Locale.ROOT, "%.0f ms", maxLatency));
        text(s, WIDTH - RIGHT + 4, TOP + plotH, "start", String.format(Locale.ROOT, "%.0f ms", minLatency));
        text(s, LEFT, HEIGHT - 8, "start", byTime ? "t = 0 s" : "first event");
        text(s, WIDTH - RIGHT, HEIGHT - 8, "end", byTime ? String.format(Locale.ROOT, "t = %.1f s", span) : "last event");
        text(s, LEFT + plotW / 2, HEIGHT - 8, "middle", "bars: events per top label; line: mean end-to-end latency;"
                + " \u25BC label change; ticks: thumbnails");
        s.append("</svg>");
        return s.toString();
    }

    /** Label changes as marks along the top, sampled thumbnails as ticks along the bottom. */
    private static void marks(StringBuilder s, CameraReport r, double span, boolean byTime, double plotW, double plotH) {
        for (int i : FrameSample.changes(r.events)) {
            double x = x(r, i, span, byTime, plotW);
            s.append(String.format(Locale.ROOT, "<path class=\"change-mark\" d=\"M%.1f %d l-4 -7 h8 z\" fill=\"#c00\">"
                    + "<title>%s</title></path>", x, TOP, HtmlPages.escape(FrameSample.label(r.events.get(i)))));
        }
        for (CameraReport.Shot shot : r.shots) {
            double x = x(r, shot.position(), span, byTime, plotW);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>",
                    x, x, TOP + plotH, TOP + plotH + 5, shot.missing() == null ? "#555" : "#c00"));
        }
    }

    /**
     * Segmentation: each class's share of the class map over time, one line per class (background left
     * out; the {@link CameraReport#PALETTE}-many largest, by their peak), mean per time bucket, a frame
     * without the class counting 0.
     */
    static String areaTimeline(CameraReport r) {
        List<LabeledEvent> ev = r.events;
        int n = ev.size();
        double span = n == 0 ? 0 : r.seconds(ev.get(n - 1));
        boolean byTime = span > 0;
        List<String> classes = areaClasses(r);
        int buckets = Math.max(1, Math.min(MAX_AREA_BUCKETS, n));
        double[][] sum = new double[classes.size()][buckets];
        int[] inBucket = new int[buckets];
        for (int i = 0; i < n; i++) {
            int b = bucket(r, i, buckets, span, byTime);
            inBucket[b]++;
            for (Segmentation.ClassArea c : ev.get(i).classes()) {
                int k = classes.indexOf(c.label());
                if (k >= 0) {
                    sum[k][b] += c.fraction();
                }
            }
        }
        double top = 0;
        for (int k = 0; k < classes.size(); k++) {
            for (int b = 0; b < buckets; b++) {
                if (inBucket[b] > 0) {
                    top = Math.max(top, sum[k][b] / inBucket[b]);
                }
            }
        }
        top = Math.max(0.1, Math.ceil(top * 10) / 10);
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        double step = plotW / buckets;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg class=\"chart area\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\""
                + " height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"class area over time\">",
                WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"#fafafa\""
                + " stroke=\"#ddd\"/>", LEFT, TOP, plotW, plotH));
        for (int k = 0; k < classes.size(); k++) {
            StringBuilder pts = new StringBuilder();
            for (int b = 0; b < buckets; b++) {
                if (inBucket[b] > 0) {
                    double y = TOP + plotH - plotH * (sum[k][b] / inBucket[b]) / top;
                    pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + (b + 0.5) * step, y));
                }
            }
            s.append("<polyline class=\"area-line\" data-class=\"").append(HtmlPages.escape(classes.get(k)))
                    .append("\" fill=\"none\" stroke=\"").append(r.classColour(classes.get(k)))
                    .append("\" stroke-width=\"2\" points=\"").append(pts.toString().trim()).append("\"><title>")
                    .append(HtmlPages.escape(classes.get(k))).append("</title></polyline>");
        }
        marks(s, r, span, byTime, plotW, plotH);
        text(s, LEFT - 4, TOP + 10, "end", String.format(Locale.ROOT, "%.0f%%", 100 * top));
        text(s, LEFT - 4, TOP + plotH, "end", "0");
        text(s, LEFT, HEIGHT - 8, "start", byTime ? "t = 0 s" : "first event");
        text(s, WIDTH - RIGHT, HEIGHT - 8, "end", byTime ? String.format(Locale.ROOT, "t = %.1f s", span) : "last event");
        text(s, LEFT + plotW / 2, HEIGHT - 8, "middle", "lines: share of the frame per class (background left out);"
                + " \u25BC class set change; ticks: thumbnails");
        return s.append("</svg>").toString();
    }

    /** The non-background classes of a segmentation camera, largest peak area first, at most the palette's size. */
    static List<String> areaClasses(CameraReport r) {
        Map<String, Double> peak = new java.util.HashMap<>();
        for (LabeledEvent e : r.events) {
            for (Segmentation.ClassArea c : e.classes() == null ? List.<Segmentation.ClassArea>of() : e.classes()) {
                if (c.index() != 0) {
                    peak.merge(c.label(), c.fraction(), Math::max);
                }
            }
        }
        return peak.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(CameraReport.PALETTE.length).map(Map.Entry::getKey).toList();
    }

    /** Segmentation legend: per class, the frames it is in, its mean share there and its peak. */
    static String areaLegend(CameraReport r) {
        StringBuilder s = new StringBuilder("<table class=\"legend\"><tr><th></th><th>class</th><th>frames</th>"
                + "<th>mean area</th><th>peak</th></tr>");
        for (String label : areaClasses(r)) {
            int frames = 0;
            double sum = 0;
            double peak = 0;
            for (LabeledEvent e : r.events) {
                for (Segmentation.ClassArea c : e.classes()) {
                    if (c.label().equals(label)) {
                        frames++;
                        sum += c.fraction();
                        peak = Math.max(peak, c.fraction());
                    }
                }
            }
            s.append(String.format(Locale.ROOT, "<tr><td><span class=\"chip\" style=\"background:%s\"></span></td>"
                            + "<td>%s</td><td>%d</td><td>%.1f%%</td><td>%.1f%%</td></tr>", r.classColour(label),
                    HtmlPages.escape(label), frames, 100 * sum / Math.max(1, frames), 100 * peak));
        }
        return s.append("</table>").toString();
    }

    static double x(CameraReport r, long ptsMs) {
        double span = r.events.isEmpty() ? 0 : r.seconds(r.events.get(r.events.size() - 1));
        double f = span > 0 ? r.seconds(ptsMs) / span : 0;
        return LEFT + Math.max(0, Math.min(1, f)) * (WIDTH - LEFT - RIGHT);
    }

    private static int bucket(CameraReport r, int i, int buckets, double span, boolean byTime) {
        double f = byTime ? r.seconds(r.events.get(i)) / span : (double) i / Math.max(1, r.events.size() - 1);
        return Math.max(0, Math.min(buckets - 1, (int) (f * buckets)));
    }

    private static double x(CameraReport r, int i, double span, boolean byTime, double plotW) {
        double f = byTime ? r.seconds(r.events.get(i)) / span : (double) i / Math.max(1, r.events.size() - 1);
        return LEFT + Math.max(0, Math.min(1, f)) * plotW;
    }

    static void text(StringBuilder s, double x, double y, String anchor, String t) {
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"%s\""
                + " fill=\"#444\">%s</text>", x, y, anchor, HtmlPages.escape(t)));
    }

    /** Label totals as a legend table row set (colour chip, label, count, share). */
    static String legend(CameraReport r) {
        StringBuilder s = new StringBuilder("<table class=\"legend\"><tr><th></th><th>top label</th><th>events</th>"
                + "<th>share</th></tr>");
        int total = Math.max(1, r.events.size());
        int rows = 0;
        for (Map.Entry<String, Integer> e : r.labelCounts.entrySet()) {
            if (++rows > LEGEND_ROWS) {
                s.append(String.format(Locale.ROOT, "<tr><td></td><td>%d more labels</td><td></td><td></td></tr>",
                        r.labelCounts.size() - LEGEND_ROWS));
                break;
            }
            s.append(String.format(Locale.ROOT, "<tr><td><span class=\"chip\" style=\"background:%s\"></span></td>"
                            + "<td>%s</td><td>%d</td><td>%.1f%%</td></tr>", r.color(e.getKey()),
                    HtmlPages.escape(e.getKey()), e.getValue(), 100.0 * e.getValue() / total));
        }
        return s.append("</table>").toString();
    }
}
