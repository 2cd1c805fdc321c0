package io.framewise.pipeline.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One scrape of a Prometheus text endpoint (format 0.0.4, what Flink's reporter serves), parsed into
 * samples. Only what reading numbers back needs: names, labels, values; comments and timestamps are
 * skipped.
 */
public final class PrometheusText {

    /** One line of the exposition: {@code name{labels} value}. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public String label(String key) {
            return labels.get(key);
        }
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    /** GETs {@code url} and parses the body. */
    public static PrometheusText scrape(URI url) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + url + ": HTTP " + r.statusCode());
        }
        return parse(r.body());
    }

    public static PrometheusText parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                out.add(parseLine(l));
            }
        }
        return new PrometheusText(Collections.unmodifiableList(out));
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Samples named {@code name} that pass {@code filter}. */
    public List<Sample> series(String name, Predicate<Sample> filter) {
        return samples.stream().filter(s -> s.name.equals(name) && filter.test(s)).toList();
    }

    /** Sum over the series named {@code name} that pass {@code filter} (0 when there is none). */
    public double sum(String name, Predicate<Sample> filter) {
        return series(name, filter).stream().mapToDouble(Sample::value).sum();
    }

    /** Largest value over the matching series, NaN when there is none. */
    public double max(String name, Predicate<Sample> filter) {
        return series(name, filter).stream().mapToDouble(Sample::value).max().orElse(Double.NaN);
    }

    private static Sample parseLine(String l) {
        int i = 0;
        while (i < l.length() && l.charAt(i) != '{' && l.charAt(i) != ' ') {
            i++;
        }
        String name = l.substring(0, i);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < l.length() && l.charAt(i) == '{') {
            i++;
            while (l.charAt(i) != '}') {
                int eq = l.indexOf('=', i);
                String key = l.substring(i, eq).strip();
                i = eq + 2; // past ="
                StringBuilder v = new StringBuilder();
                for (char c = l.charAt(i); c != '"'; c = l.charAt(++i)) {
                    if (c == '\\') {
                        char e = l.charAt(++i);
                        v.append(e == 'n' ? '\n' : e);
                    } else {
                        v.append(c);
                    }
                }
                labels.put(key, v.toString());
                i++; // past the closing quote
                if (l.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        String[] rest = l.substring(i).strip().split("\\s+");
        return new Sample(name, Collections.unmodifiableMap(labels), parseValue(rest[0]));
    }

    private static double parseValue(String v) {
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }
}
