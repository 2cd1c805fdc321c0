package io.framewise.pipeline.report;

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
        for (int i : FrameSample.changes(ev)) {
            double x = x(r, i, span, byTime, plotW);
            s.append(String.format(Locale.ROOT, "<path class=\"change-mark\" d=\"M%.1f %d l-4 -7 h8 z\" fill=\"#c00\">"
                    + "<title>%s</title></path>", x, TOP, HtmlPages.escape(FrameSample.label(ev.get(i)))));
        }
        for (CameraReport.Shot shot : r.shots) {
            double x = x(r, shot.position(), span, byTime, plotW);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>",
                    x, x, TOP + plotH, TOP + plotH + 5, shot.missing() == null ? "#555" : "#c00"));
        }
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

    private static int bucket(CameraReport r, int i, int buckets, double span, boolean byTime) {
        double f = byTime ? r.seconds(r.events.get(i)) / span : (double) i / Math.max(1, r.events.size() - 1);
        return Math.max(0, Math.min(buckets - 1, (int) (f * buckets)));
    }

    private static double x(CameraReport r, int i, double span, boolean byTime, double plotW) {
        double f = byTime ? r.seconds(r.events.get(i)) / span : (double) i / Math.max(1, r.events.size() - 1);
        return LEFT + Math.max(0, Math.min(1, f)) * plotW;
    }

    private static void text(StringBuilder s, double x, double y, String anchor, String t) {
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
