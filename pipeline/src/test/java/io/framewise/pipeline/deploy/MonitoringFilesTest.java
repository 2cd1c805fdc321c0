package io.framewise.pipeline.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The dashboard and the alerts name only documented metrics: every name a panel or a rule uses is
 * in metric-names.txt, and every listed name is in docs/metrics.md (the job's own without the
 * operator prefix, a histogram's {@code _count} under the histogram). {@code MetricsITCase} checks
 * the same list against a real scrape.
 */
class MonitoringFilesTest {

    @Test
    void panelsAndRulesUseListedNames() {
        assertEquals(new TreeSet<>(MonitoringNames.listed(false)), MonitoringNames.used());
    }

    @Test
    void listedNamesAreDocumented() {
        String docs = MonitoringNames.read(MonitoringNames.root().resolve("docs/metrics.md"));
        List<String> listed = MonitoringNames.listed(false);
        assertTrue(listed.size() >= 10, listed.toString());
        for (String name : listed) {
            String documented = name.startsWith(MonitoringNames.OPERATOR_PREFIX) && !docs.contains("`" + name + "`")
                    ? name.substring(MonitoringNames.OPERATOR_PREFIX.length()).replaceFirst("_count$", "")
                    : name;
            assertTrue(docs.contains("`" + documented + "`") || docs.contains("`" + documented + "{"),
                    name + " (as `" + documented + "`) is not in docs/metrics.md");
        }
    }
}
