package io.framewise.pipeline.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.flink.api.common.JobStatus;

/**
 * A job on the multi-process cluster, watched and cancelled through the JobManager's REST API
 * ({@code GET /jobs/<id>}, {@code PATCH /jobs/<id>?mode=cancel}). The JobManager may be restarted
 * under it (HA): a failed request is retried until {@code unreachableFor} has passed.
 */
public final class ClusterJob implements RunningJob {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI web;
    private final String id;
    private final Duration unreachableFor;

    public ClusterJob(URI web, String id, Duration unreachableFor) {
        this.web = web;
        this.id = id;
        this.unreachableFor = unreachableFor;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public URI webUrl() {
        return web;
    }

    @Override
    public JobStatus status() throws Exception {
        long deadline = System.nanoTime() + unreachableFor.toNanos();
        while (true) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(web.resolve("/jobs/" + id))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return JobStatus.valueOf(JSON.readTree(r.body()).path("state").asText());
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("GET /jobs/" + id + ": HTTP " + r.statusCode() + " " + r.body());
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the JobManager at " + web + " did not answer for " + unreachableFor.toSeconds()
                            + " s: " + e.getMessage(), e);
                }
            }
            Thread.sleep(1000);
        }
    }

    /**
     * Waits until the job and every one of its vertices is RUNNING: frames sent before that would wait
     * for the deployment and the model's warm-up, and their latency would show start-up.
     */
    public void awaitTasksRunning(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(web.resolve("/jobs/" + id))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    JsonNode j = JSON.readTree(r.body());
                    last = j.path("state").asText();
                    if (JobStatus.valueOf(last).isGloballyTerminalState()) {
                        throw new IllegalStateException("job " + id + " ended " + last + " before it ran");
                    }
                    boolean all = last.equals("RUNNING") && j.path("vertices").size() > 0;
                    for (JsonNode v : j.path("vertices")) {
                        all &= v.path("status").asText().equals("RUNNING");
                    }
                    if (all) {
                        return;
                    }
                }
            } catch (IOException e) {
                last = e.getMessage();
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("job " + id + " not running within " + timeout.toSeconds() + " s (" + last + ")");
    }

    @Override
    public void cancel(Duration timeout) throws Exception {
        http.send(HttpRequest.newBuilder(web.resolve("/jobs/" + id + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!status().isGloballyTerminalState()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + id + " not cancelled within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }
}
