package io.framewise.pipeline.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A camera's episodes on its timeline: one row per class, a bar from each episode's start to its end
 * on the same time axis as the chart above it (the events' {@code ptsMs}), linking to the episode's
 * line in the table below, which shows the thumbnail of the frame where the episode opened.
 */
final class EpisodeBars {

    private static final int ROW = 20;
    private static final int TOP = 6;

    private EpisodeBars() {
    }

    /** The classes with episodes, in order of their first episode. */
    static List<String> rows(CameraReport r) {
        List<String> rows = new ArrayList<>();
        r.episodes.forEach(b -> {
            if (!rows.contains(b.label())) {
                rows.add(b.label());
            }
        });
        return rows;
    }

    static String svg(CameraReport r) {
        List<String> rows = rows(r);
        int height = TOP + rows.size() * ROW + 6;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "<svg class=\"episodes\""
                + " xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\""
                + " aria-label=\"episodes per class\">", Charts.WIDTH, height, Charts.WIDTH, height));
        for (int k = 0; k < rows.size(); k++) {
            double y = TOP + k * ROW;
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%d\" fill=\"%s\"/>",
                    Charts.PLOT_LEFT, y, Charts.PLOT_RIGHT - Charts.PLOT_LEFT, ROW - 2, k % 2 == 0 ? "#f4f4f4" : "#fafafa"));
            // the class at the row's right end: the left margin is the chart's axis width, too narrow for names
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" fill=\"#444\">%s"
                            + "<title>%s</title></text>", Charts.PLOT_RIGHT + 4, y + ROW - 7,
                    HtmlPages.escape(shortLabel(rows.get(k))), HtmlPages.escape(rows.get(k))));
        }
        for (int i = 0; i < r.episodes.size(); i++) {
            EpisodeTopic.Bar b = r.episodes.get(i);
            double x0 = Charts.x(r, b.startMs());
            double x1 = Math.max(x0 + 3, Charts.x(r, b.endMs()));
            double y = TOP + rows.indexOf(b.label()) * ROW + 3;
            s.append("<a href=\"#episode-").append(i).append("\"><rect class=\"episode-bar\" data-class=\"")
                    .append(HtmlPages.escape(b.label())).append("\" data-start-ms=\"").append(b.startMs())
                    .append("\" data-end-ms=\"").append(b.endMs()).append(String.format(Locale.ROOT,
                            "\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" rx=\"3\" fill=\"%s\"%s>",
                            x0, y, x1 - x0, ROW - 8, r.classColour(b.label()),
                            b.closed() ? "" : " stroke=\"#222\" stroke-dasharray=\"3 2\""))
                    .append("<title>").append(HtmlPages.escape(title(r, b))).append("</title></rect></a>");
        }
        return s.append("</svg>").toString();
    }

    /** The episodes as a table: class, start, duration, frames, mean, and the frame it opened on. */
    static String table(CameraReport r) {
        StringBuilder s = new StringBuilder("<table class=\"episodes\"><tr><th>class</th><th>from</th><th>to</th>"
                + "<th>frames</th><th>mean</th><th>opened on</th></tr>\n");
        for (int i = 0; i < r.episodes.size(); i++) {
            EpisodeTopic.Bar b = r.episodes.get(i);
            s.append("<tr id=\"episode-").append(i).append("\" class=\"episode\" data-class=\"")
                    .append(HtmlPages.escape(b.label())).append("\"><td><span class=\"chip\" style=\"background:")
                    .append(r.classColour(b.label())).append("\"></span> ").append(HtmlPages.escape(b.label()))
                    .append(String.format(Locale.ROOT, "</td><td>t=%.2f s</td><td>%s</td><td>%d</td><td>%s %.3f</td><td>",
                            r.seconds(b.startMs()), b.closed() ? String.format(Locale.ROOT, "t=%.2f s", r.seconds(b.endMs()))
                                    : "still open", b.frames(), HtmlPages.escape(b.measure()), b.mean()));
            CameraReport.Shot shot = r.openings.get(i);
            if (shot == null) {
                s.append("<span class=\"warn\">").append(HtmlPages.escape(b.firstEventId().isEmpty() ? "no first event"
                        : "event " + b.firstEventId() + " is not in the labeled topic")).append("</span>");
            } else if (shot.missing() != null) {
                s.append("<span class=\"warn\">frame missing: ").append(HtmlPages.escape(shot.missing())).append("</span>");
            } else {
                s.append("<img class=\"episode-thumb\" data-event-id=\"").append(HtmlPages.escape(b.firstEventId()))
                        .append("\" src=\"").append(HtmlPages.escape(shot.file())).append("\" width=\"")
                        .append(shot.image().getWidth()).append("\" height=\"").append(shot.image().getHeight())
                        .append("\" alt=\"").append(HtmlPages.escape(b.label())).append(" opens\">");
            }
            s.append("</td></tr>\n");
        }
        return s.append("</table>\n").toString();
    }

    private static String title(CameraReport r, EpisodeTopic.Bar b) {
        return String.format(Locale.ROOT, "%s: t=%.2f..%.2f s, %d frames, %s %.3f%s", b.label(), r.seconds(b.startMs()),
                r.seconds(b.endMs()), b.frames(), b.measure(), b.mean(), b.closed() ? "" : " (still open)");
    }

    private static String shortLabel(String label) {
        return label.length() <= 10 ? label : label.substring(0, 9) + "\u2026";
    }
}
