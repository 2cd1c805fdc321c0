package io.framewise.pipeline.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Whether the parts of a {@link LocalCluster} are ready: a port accepting connections, the brokers in
 * the cluster, the TaskManagers registered. Every wait polls its condition (no fixed sleeps: a busy
 * machine starts a JVM in seconds or in minutes) and gives up early when a process it waits for died.
 */
public final class ClusterReadiness {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClusterReadiness() {
    }

    static void awaitTcp(String hostPort, List<Process> started, Duration timeout, String what)
            throws Exception {
        String[] hp = hostPort.split(":");
        await(what, started, timeout, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), 1000);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    static void awaitBrokers(String bootstrap, int n, List<Process> started, Duration timeout)
            throws Exception {
        await(n + " brokers", started, timeout, () -> {
            try {
                return brokers(bootstrap, Duration.ofSeconds(5)) >= n;
            } catch (Exception e) {
                return false;
            }
        });
    }

    static void awaitTaskManagers(String webUi, int n, List<Process> started, Duration timeout)
            throws Exception {
        await(n + " TaskManagers", started, timeout, () -> {
            try {
                return get(webUi + "/overview").path("taskmanagers").asInt() >= n;
            } catch (Exception e) {
                return false;
            }
        });
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, List<Process> started, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.holds()) {
            for (Process p : started) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a cluster process (pid " + p.pid() + ") exited " + p.exitValue()
                            + " while waiting for " + what);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + what + " within " + timeout);
            }
            Thread.sleep(250);
        }
    }

    /** Brokers the cluster reports (Kafka's describeCluster). */
    public static int brokers(String bootstrap, Duration timeout) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin a = Admin.create(p)) {
            return a.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** GET of a JSON document, e.g. from Flink's REST API; fails unless HTTP 200. */
    public static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(url + ": HTTP " + r.statusCode());
        }
        return JSON.readTree(r.body());
    }
}
