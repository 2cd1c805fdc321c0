package io.framewise.pipeline.report;

import io.framewise.operators.records.LabeledEvent;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The report's HTML: one page per camera and an index. Self-contained (inline CSS, inline SVG, a
 * few lines of inline script, thumbnails as relative files), so the folder works offline, from a
 * file:// URL or copied anywhere.
 *
 * <p>The script only marks the page once loaded: {@code data-report-ready}, and how many images
 * actually decoded in the browser ({@code data-images-loaded} of {@code data-images-total}), which
 * is what the browser test checks.
 */
public final class HtmlPages {

    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:16px 24px;color:#222}
            h1{font-size:20px;margin:0 0 4px}nav{margin-bottom:8px}
            .summary{color:#555;margin:4px 0 12px}.warn{color:#b00}
            .charts{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
            table{border-collapse:collapse}td,th{padding:2px 8px;text-align:left;border-bottom:1px solid #eee}
.legend td:nth-child(2){max-width:360px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
            .chip{display:inline-block;width:12px;height:12px;border-radius:2px}
            ol.timeline{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:8px}
            .frame{border:2px solid #ddd;border-radius:4px;padding:3px;font-size:12px;background:#fff}
            .frame.change{border-color:#c00}
            .frame img,.placeholder{display:block}
            .placeholder{background:repeating-linear-gradient(45deg,#eee,#eee 6px,#ddd 6px,#ddd 12px);color:#900;
            font-size:11px;overflow:hidden;padding:4px;box-sizing:border-box}
            .label{font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
            .meta{color:#666}.badge{color:#fff;background:#c00;border-radius:3px;padding:0 4px;font-size:11px}
            img.sheet{max-width:100%;border:1px solid #ddd}
            table.episodes td:first-child{max-width:280px}
            """;

    private static final String READY_SCRIPT = """
            <script>
            window.addEventListener('load', function () {
              var imgs = document.querySelectorAll('img');
              var loaded = 0;
              imgs.forEach(function (img) {
                if (img.complete && img.naturalWidth > 0) { loaded++; } else { img.classList.add('broken'); }
              });
              document.body.dataset.imagesTotal = String(imgs.length);
              document.body.dataset.imagesLoaded = String(loaded);
              document.body.dataset.reportReady = 'true';
            });
            </script>
            """;

    private HtmlPages() {
    }

    public static String camera(CameraReport r, String labelsTopic) {
        StringBuilder s = head("Framewise: " + r.camera);
        s.append("<body data-page=\"camera\" data-camera=\"").append(escape(r.camera)).append("\" data-thumbnails=\"")
                .append(r.thumbnails()).append("\" data-missing=\"").append(r.missing()).append("\">\n");
        s.append("<nav><a href=\"index.html\">\u2190 all cameras</a></nav>\n");
        s.append("<h1>Camera ").append(escape(r.camera)).append("</h1>\n");
        List<LabeledEvent> ev = r.events;
        LabeledEvent first = ev.get(0);
        LabeledEvent last = ev.get(ev.size() - 1);
        s.append("<p class=\"summary\">").append(ev.size()).append(" events on <code>").append(escape(labelsTopic))
                .append("</code>, records ").append(first.sequence()).append("\u2013").append(last.sequence())
                .append(String.format(Locale.ROOT, ", %.1f s of video from %s", r.seconds(last),
                        Instant.ofEpochMilli(first.captureTsMs())))
                .append("; model <code>").append(escape(first.model())).append("</code>; ")
                .append(r.changes).append(r.segmentation ? " class set change" : " label change").append(r.changes == 1 ? "" : "s").append("; ")
                .append(r.thumbnails()).append(" thumbnails");
        if (r.missing() > 0) {
            s.append(", <span class=\"warn\">").append(r.missing()).append(" frame")
                    .append(r.missing() == 1 ? "" : "s").append(" missing</span>");
        }
        if (r.changesNotShown > 0) {
            s.append(", <span class=\"warn\">").append(r.changesNotShown).append(" label changes not shown</span>");
        }
        s.append(".</p>\n");
        masks(s, r);
        s.append("<section class=\"charts\">")
                .append(r.segmentation ? Charts.areaTimeline(r) : Charts.timeline(r))
                .append(r.segmentation ? Charts.areaLegend(r) : Charts.legend(r)).append("</section>\n");
        if (!r.episodes.isEmpty()) {
            s.append("<h2>Episodes</h2>\n<section class=\"episodes\" data-episodes=\"").append(r.episodes.size())
                    .append("\">").append(EpisodeBars.svg(r)).append(EpisodeBars.table(r)).append("</section>\n");
        }
        s.append("<h2>Timeline</h2>\n<ol class=\"timeline\">\n");
        for (CameraReport.Shot shot : r.shots) {
            shot(s, r, shot);
        }
        s.append("</ol>\n<h2>Contact sheet</h2>\n<p><a href=\"").append(r.contactSheetFile()).append("\"><img class=\"sheet\""
                + " alt=\"contact sheet\" src=\"").append(r.contactSheetFile()).append("\"></a></p>\n");
        return s.append(READY_SCRIPT).append("</body></html>\n").toString();
    }

    /** Segmentation: whether the masks were drawn, and whether they are the job's (the map's SHA-256). */
    private static void masks(StringBuilder s, CameraReport r) {
        if (!r.segmentation) {
            return;
        }
        s.append("<p class=\"masks\" data-maps-checked=\"").append(r.mapsChecked()).append("\" data-map-mismatches=\"")
                .append(r.mapMismatches()).append("\">");
        if (r.maskProblem != null) {
            s.append("<span class=\"warn\">Masks not drawn: ").append(escape(r.maskProblem)).append("</span>");
        } else if (r.mapMismatches() > 0) {
            s.append("<span class=\"warn\">").append(r.mapMismatches()).append(" of ").append(r.mapsChecked())
                    .append(" class maps computed here differ from the events' <code>mapSha256</code>: the masks show"
                            + " this model file's view, not the job's (was the report run with another model file?)");
            String jobs = r.events.get(0).modelSha256();
            if (r.maskModelSha256 != null && !r.maskModelSha256.equals(jobs)) {
                s.append(" The model file here has SHA-256 <code>").append(escape(r.maskModelSha256))
                        .append("</code>, the job's <code>").append(escape(jobs)).append("</code>.");
            }
            s.append("</span>");
        } else {
            s.append("Masks: the class maps, computed again with <code>").append(escape(r.events.get(0).model()))
                    .append("</code>, match the events' <code>mapSha256</code> (").append(r.mapsChecked())
                    .append(" checked).");
        }
        s.append("</p>\n");
    }

    private static void shot(StringBuilder s, CameraReport r, CameraReport.Shot shot) {
        LabeledEvent e = shot.event();
        String label = FrameSample.label(e);
        double score = FrameSample.score(e);
        s.append("<li class=\"frame").append(shot.change() ? " change" : "").append(shot.missing() != null ? " missing" : "")
                .append("\" data-event-id=\"").append(escape(e.eventId())).append("\" data-label=\"").append(escape(label))
                .append("\" style=\"width:").append(widthOf(r, shot)).append("px\">");
        if (shot.missing() == null) {
            s.append("<img src=\"").append(escape(shot.file())).append("\" width=\"").append(shot.image().getWidth())
                    .append("\" height=\"").append(shot.image().getHeight()).append("\" alt=\"").append(escape(label))
                    .append("\">");
        } else {
            int w = widthOf(r, shot);
            s.append("<div class=\"placeholder\" style=\"width:").append(w).append("px;height:").append(w * 3 / 4)
                    .append("px\" title=\"").append(escape(shot.missing())).append("\">frame missing: ")
                    .append(escape(shot.missing())).append("</div>");
        }
        s.append("<div class=\"label\" title=\"").append(escape(label)).append("\"><span class=\"chip\" style=\"background:")
                .append(r.classColour(label)).append("\"></span> ").append(escape(label)).append("</div>");
        s.append("<div class=\"meta\">").append(String.format(Locale.ROOT, r.segmentation
                ? "%.1f%% \u00b7 t=%.2f s \u00b7 #%d" : "%.3f \u00b7 t=%.2f s \u00b7 #%d",
                r.segmentation ? 100 * score : score, r.seconds(e), e.sequence()));
        if (e.indexInSegment() > 0) {
            s.append('+').append(e.indexInSegment());
        }
        s.append(String.format(Locale.ROOT, " \u00b7 %.0f ms", e.latency().endToEndMs()));
        if (!e.inferred()) {
            s.append(" \u00b7 carried");
        }
        if (Boolean.FALSE.equals(shot.mapMatches())) {
            s.append(" <span class=\"badge\">map differs</span>");
        }
        if (shot.change()) {
            s.append(" <span class=\"badge\">change</span>");
        }
        s.append("</div></li>\n");
    }

    private static int widthOf(CameraReport r, CameraReport.Shot shot) {
        if (shot.image() != null) {
            return shot.image().getWidth();
        }
        return r.shots.stream().filter(x -> x.image() != null).mapToInt(x -> x.image().getWidth()).findFirst().orElse(160);
    }

    public static String index(List<CameraReport> cameras, String labelsTopic, long events, long unreadable) {
        StringBuilder s = head("Framewise report");
        s.append("<body data-page=\"index\" data-cameras=\"").append(cameras.size()).append("\">\n");
        s.append("<h1>What the cameras saw</h1>\n<p class=\"summary\">").append(events).append(" events from <code>")
                .append(escape(labelsTopic)).append("</code>, ").append(cameras.size()).append(" camera")
                .append(cameras.size() == 1 ? "" : "s");
        long missing = cameras.stream().mapToLong(CameraReport::missing).sum();
        if (missing > 0) {
            s.append(", <span class=\"warn\">").append(missing).append(" sampled frames missing</span>");
        }
        if (unreadable > 0) {
            s.append(", <span class=\"warn\">").append(unreadable).append(" records that are no labeled event</span>");
        }
        s.append(".</p>\n");
        if (cameras.isEmpty()) {
            s.append("<p>No labeled events.</p>\n");
        } else {
            s.append("<table><tr><th>camera</th><th>events</th><th>label changes</th><th>most seen</th>"
                    + "<th>thumbnails</th><th>missing</th><th>contact sheet</th></tr>\n");
            for (CameraReport r : cameras) {
                String top = r.labelCounts.keySet().iterator().next();
                s.append("<tr><td><a href=\"").append(r.pageFile()).append("\">").append(escape(r.camera))
                        .append("</a></td><td>").append(r.events.size()).append("</td><td>").append(r.changes)
                        .append("</td><td><span class=\"chip\" style=\"background:").append(r.classColour(top))
                        .append("\"></span> ").append(escape(top)).append("</td><td>").append(r.thumbnails())
                        .append("</td><td>").append(r.missing()).append("</td><td><a href=\"").append(r.contactSheetFile())
                        .append("\"><img src=\"").append(r.contactSheetFile())
                        .append("\" style=\"width:240px\" alt=\"contact sheet\"></a></td></tr>\n");
            }
            s.append("</table>\n");
        }
        return s.append(READY_SCRIPT).append("</body></html>\n").toString();
    }

    private static StringBuilder head(String title) {
        return new StringBuilder("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width\"><title>").append(escape(title))
                .append("</title><style>").append(STYLE).append("</style></head>\n");
    }

    /** Text and attribute escaping: camera ids and labels come from the topic, i.e. from anyone. */
    static String escape(String t) {
        StringBuilder s = new StringBuilder(t.length() + 8);
        for (char c : t.toCharArray()) {
            switch (c) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&#39;");
                default -> s.append(c);
            }
        }
        return s.toString();
    }
}
