package io.framewise.pipeline.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Reading the job's figures from Prometheus text, and the settled read the demo and MetricsITCase use:
 * a reporter that answers first with a scrape torn by a batch in progress, then with the finished one.
 */
class JobMetricsTest {

    static final String JOB = "5f3c";

    /** Prometheus text of one inference subtask of {@link #JOB} (and a series of another job). */
    static String page(long batches, long framesInferred, long eventsOut) {
        String l = "{job_id=\"" + JOB + "\",subtask_index=\"0\",}";
        return "# TYPE x counter\n"
                + JobMetrics.name("framesIn") + l + " 16.0\n"
                + JobMetrics.name("batches") + l + " " + batches + ".0\n"
                + JobMetrics.name("framesInferred") + l + " " + framesInferred + ".0\n"
                + JobMetrics.name("inferenceMicros") + l + " 60000.0\n"
                + JobMetrics.name("eventsOut") + l + " " + eventsOut + ".0\n"
                + JobMetrics.name("reason_deadLetters") + "{job_id=\"" + JOB + "\",reason=\"EMPTY\",} 1.0\n"
                + JobMetrics.name("reason_deadLetters") + "{job_id=\"" + JOB + "\",reason=\"TRUNCATED\",} 0.0\n"
                + JobMetrics.name("batches") + "{job_id=\"other\",subtask_index=\"0\",} 99.0\n";
    }

    @Test
    void readsOneJobsSeriesSummedAndOnlyReasonsThatHappened() {
        JobMetrics m = JobMetrics.read(PrometheusText.parse(page(4, 15, 15)), JOB, 4);
        assertEquals(16, m.framesIn());
        assertEquals(4, m.batches());
        assertEquals(15, m.framesInferred());
        assertEquals(15 / 4.0, m.meanBatchSize(), 1e-9);
        assertEquals(4.0, m.inferenceMsPerFrame(), 1e-9);
        assertEquals(Map.of("EMPTY", 1L), m.deadLettersByReason());
    }

    @Test
    void settledReadWaitsOutATornScrape() throws Exception {
        // scrape 1 read batches before the last batch and framesInferred after it; then the job is idle
        List<String> pages = List.of(page(3, 15, 15), page(4, 15, 15));
        AtomicInteger served = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            byte[] body = pages.get(Math.min(served.getAndIncrement(), pages.size() - 1))
                    .getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            JobMetrics.Reading r = JobMetrics.settled(url, JOB, 4, Duration.ofSeconds(10));
            assertEquals(4, r.metrics().batches());
            assertEquals(4.0, r.text().sum(JobMetrics.name("batches"), s -> JOB.equals(s.label("job_id"))));
            assertTrue(served.get() >= 3, "a torn scrape, then two equal ones: " + served.get());
        } finally {
            server.stop(0);
        }
    }
}
