package io.framewise.pipeline.metrics;

import io.framewise.operators.deadletter.DeadLetterMetrics;
import io.framewise.operators.decode.CameraMetrics;
import io.framewise.operators.decode.DecodeMetrics;
import io.framewise.operators.infer.InferenceMetrics;
import io.framewise.operators.route.RoutingMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The Framewise metrics of one job as the Prometheus reporter shows them, summed over subtasks: the
 * numbers {@code framewise demo} prints at its end and {@code MetricsITCase} checks. Names as in
 * docs/metrics.md: {@code flink_taskmanager_job_task_operator_<metric>}, per-reason and per-camera
 * series with {@code reason} / {@code camera} labels.
 *
 * @param e2eP50Ms  end-to-end latency median; with several inference subtasks, the largest of theirs
 * @param e2eP99Ms  the same for the 99th percentile
 */
public record JobMetrics(long framesIn, long framesDecoded, long decodeFailures, long deadLetters,
                         Map<String, Long> deadLettersByReason, long batches, long framesInferred,
                         long inferenceMicros, long eventsOut, int batchCapacity, double e2eP50Ms, double e2eP99Ms,
                         Map<String, Long> framesByCamera) {

    /** Prefix Flink's Prometheus reporter gives an operator's metrics. */
    public static final String OPERATOR = "flink_taskmanager_job_task_operator_";

    /** The series name of an operator metric, e.g. {@code framesIn}. */
    public static String name(String metric) {
        return OPERATOR + metric;
    }

    /** The series name of a metric in a key-value group, e.g. {@code reason} + {@code deadLetters}. */
    public static String name(String group, String metric) {
        return OPERATOR + group + "_" + metric;
    }

    /**
     * @param jobId         the job's id (hex), to leave other jobs on the same cluster out
     * @param batchCapacity the configured batch size, for the fill ratio
     */
    public static JobMetrics read(PrometheusText t, String jobId, int batchCapacity) {
        Predicate<PrometheusText.Sample> job = s -> jobId.equals(s.label("job_id"));
        Map<String, Long> byReason = new TreeMap<>();
        for (var s : t.series(name(DeadLetterMetrics.REASON_GROUP, DeadLetterMetrics.DEAD_LETTERS), job)) {
            if (s.value() > 0) {
                byReason.merge(s.label(DeadLetterMetrics.REASON_GROUP), (long) s.value(), Long::sum);
            }
        }
        Map<String, Long> byCamera = new TreeMap<>();
        for (var s : t.series(name(CameraMetrics.CAMERA_GROUP, CameraMetrics.FRAMES), job)) {
            byCamera.merge(s.label(CameraMetrics.CAMERA_GROUP), (long) s.value(), Long::sum);
        }
        Predicate<PrometheusText.Sample> p50 = job.and(s -> "0.5".equals(s.label("quantile")));
        Predicate<PrometheusText.Sample> p99 = job.and(s -> "0.99".equals(s.label("quantile")));
        return new JobMetrics(
                count(t, RoutingMetrics.FRAMES_IN, job),
                count(t, DecodeMetrics.FRAMES_DECODED, job),
                count(t, DecodeMetrics.DECODE_FAILURES, job),
                count(t, DeadLetterMetrics.DEAD_LETTERS, job),
                byReason,
                count(t, InferenceMetrics.BATCHES, job),
                count(t, InferenceMetrics.FRAMES_INFERRED, job),
                count(t, InferenceMetrics.INFERENCE_MICROS, job),
                count(t, InferenceMetrics.EVENTS_OUT, job),
                batchCapacity,
                t.max(name(InferenceMetrics.END_TO_END_MS), p50),
                t.max(name(InferenceMetrics.END_TO_END_MS), p99),
                byCamera);
    }

    /** A scrape and what it says about one job. */
    public record Reading(PrometheusText text, JobMetrics metrics) {
    }

    /**
     * Scrapes until two scrapes in a row read the same figures, or {@code within} has passed (then the
     * last reading). One scrape reads the series one at a time while the task threads update them, so
     * alone it can show a batch in {@code batches} but not yet in {@code framesInferred} or in the
     * batch-size histogram; once the job is idle, two equal readings are a consistent one.
     */
    public static Reading settled(URI url, String jobId, int batchCapacity, Duration within)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Reading last = null;
        while (true) {
            PrometheusText t = PrometheusText.scrape(url);
            Reading r = new Reading(t, read(t, jobId, batchCapacity));
            if ((last != null && last.metrics().equals(r.metrics())) || System.nanoTime() > deadline) {
                return r;
            }
            last = r;
            Thread.sleep(200);
        }
    }

    private static long count(PrometheusText t, String metric, Predicate<PrometheusText.Sample> job) {
        return Math.round(t.sum(name(metric), job));
    }

    public double meanBatchSize() {
        return batches == 0 ? Double.NaN : (double) framesInferred / batches;
    }

    public double meanBatchFillPercent() {
        return meanBatchSize() * 100 / batchCapacity;
    }

    public double inferenceMsPerFrame() {
        return framesInferred == 0 ? Double.NaN : inferenceMicros / 1000.0 / framesInferred;
    }

    /** A short block of the figures, as the demo prints it. */
    public void print(PrintWriter w, String source) {
        w.printf(Locale.ROOT, "metrics (%s)%n", source);
        w.printf(Locale.ROOT, "  frames in      %d (records read)%n", framesIn);
        w.printf(Locale.ROOT, "  decoded        %d frames, %d decode failures%n", framesDecoded, decodeFailures);
        w.printf(Locale.ROOT, "  dead letters   %d %s%n", deadLetters, deadLettersByReason.isEmpty() ? ""
                : deadLettersByReason.toString());
        w.printf(Locale.ROOT, "  batches        %d, mean size %.2f of %d (fill %.0f %%)%n", batches, meanBatchSize(),
                batchCapacity, meanBatchFillPercent());
        w.printf(Locale.ROOT, "  inference      %.1f ms/frame%n", inferenceMsPerFrame());
        w.printf(Locale.ROOT, "  end-to-end     p50 %.0f ms, p99 %.0f ms (last %d events per subtask)%n", e2eP50Ms,
                e2eP99Ms, InferenceMetrics.WINDOW);
        w.printf(Locale.ROOT, "  events out     %d%n", eventsOut);
        w.flush();
    }
}
