package io.framewise.pipeline.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The parts of Flink's REST API that the web UI's "Submit new job" and {@code flink run}'s REST
 * client use: upload a jar, run its main with program arguments, watch, cancel.
 */
final class FlinkRest {

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();

    FlinkRest(String base) {
        this.base = base;
    }

    /** POST /jars/upload (multipart, field "jarfile"); returns the jar id for {@link #runJar}. */
    String uploadJar(Path jar) throws Exception {
        String boundary = "framewise-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/jars/upload"))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(jar), HttpRequest.BodyPublishers.ofByteArray(tail)))
                .build();
        JsonNode r = send(req);
        // "filename" is the stored path; its last segment is the id the other /jars calls take
        return Path.of(r.path("filename").asText()).getFileName().toString();
    }

    /** POST /jars/:id/run: runs the jar's main on the JobManager; returns the job id it submitted. */
    String runJar(String jarId, List<String> programArgs) throws Exception {
        ObjectNode body = json.createObjectNode();
        body.putArray("programArgsList").addAll(programArgs.stream().map(json.getNodeFactory()::textNode).toList());
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/jars/" + jarId + "/run"))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
        return send(req).path("jobid").asText();
    }

    String jobState(String jobId) throws Exception {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** The job's root exception, as the web UI's Exceptions tab shows it. */
    String rootException(String jobId) throws Exception {
        JsonNode r = get("/jobs/" + jobId + "/exceptions");
        JsonNode entries = r.path("exceptionHistory").path("entries");
        if (entries.size() > 0) {
            return entries.get(0).path("stacktrace").asText();
        }
        return r.path("root-exception").asText("(none)");
    }

    /** PATCH /jobs/:id?mode=cancel, then waits for CANCELED. */
    void cancel(String jobId, Duration timeout) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "?mode=cancel"))
                .timeout(Duration.ofSeconds(30))
                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                .build();
        send(req);
        awaitState(jobId, Set.of("CANCELED"), timeout);
    }

    void awaitState(String jobId, Set<String> states, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String state = jobState(jobId);
        while (!states.contains(state)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + jobId + " is " + state + ", not " + states + " after " + timeout);
            }
            Thread.sleep(100);
            state = jobState(jobId);
        }
    }

    /** Checkpoints of the job completed so far (GET /jobs/:id/checkpoints). */
    long completedCheckpoints(String jobId) throws Exception {
        return get("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
    }

    /** GET /taskmanagers: the ids of the registered TaskManagers. */
    List<String> taskManagerIds() throws Exception {
        List<String> ids = new ArrayList<>();
        get("/taskmanagers").path("taskmanagers").forEach(tm -> ids.add(tm.path("id").asText()));
        return ids;
    }

    private JsonNode get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    private JsonNode send(HttpRequest req) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException(req.method() + " " + req.uri() + " -> " + r.statusCode() + ": " + r.body());
        }
        return r.body().isBlank() ? json.createObjectNode() : json.readTree(r.body());
    }
}
