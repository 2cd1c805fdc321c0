package io.framewise.pipeline.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names the Grafana dashboard and the alert rules use ({@code deploy/monitoring}), as
 * listed in {@code metric-names.txt}; {@link #used} reads them back from the files themselves.
 */
public final class MonitoringNames {

    /** The prefix docs/metrics.md leaves out of the job's own metrics. */
    public static final String OPERATOR_PREFIX = "flink_taskmanager_job_task_operator_";
    private static final String NOT_IN_MINICLUSTER = "# not in a MiniCluster scrape";
    private static final Pattern NAME = Pattern.compile("\\bflink_[A-Za-z0-9_]+");

    private MonitoringNames() {
    }

    /** The repository root, the nearest directory up from the working directory with deploy/monitoring. */
    public static Path root() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("deploy/monitoring"))) {
                return d;
            }
        }
        throw new IllegalStateException("no deploy/monitoring above " + Path.of("").toAbsolutePath());
    }

    /** The names of metric-names.txt; {@code scrapable}: only those a MiniCluster job exports. */
    public static List<String> listed(boolean scrapable) {
        List<String> lines = read(root().resolve("deploy/monitoring/metric-names.txt")).lines().toList();
        int end = scrapable && lines.contains(NOT_IN_MINICLUSTER) ? lines.indexOf(NOT_IN_MINICLUSTER) : lines.size();
        return lines.subList(0, end).stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
    }

    /** Every {@code flink_*} name the dashboard's queries and the alert rules' expressions use. */
    public static Set<String> used() {
        Set<String> names = new TreeSet<>();
        for (String f : List.of("grafana/dashboards/framewise.json", "prometheus/framewise-alerts.yml")) {
            Matcher m = NAME.matcher(read(root().resolve("deploy/monitoring").resolve(f)));
            while (m.find()) {
                if (!m.group().endsWith("_")) { // a prefix in a comment, e.g. flink_..._operator_<name>
                    names.add(m.group());
                }
            }
        }
        return names;
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
