package io.framewise.pipeline.cli;

import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobFlags;
import io.framewise.pipeline.config.JobOptions;
import io.framewise.pipeline.job.FramewiseJob;
import io.framewise.pipeline.local.LocalFlink;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.clusterframework.ApplicationStatus;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code framewise job}: runs the job against a real Kafka, on a Flink MiniCluster in this JVM (web
 * UI on localhost) or, with {@code --remote}, on a running cluster. {@code flink run} parses the same
 * job flags in {@link FramewiseJob#main}.
 */
@Command(name = "job", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = JobFlags.class,
        description = {"Runs the Framewise job: frames topic -> decode -> batched inference -> labels topic,"
                + " exactly once; failures to the dead-letter topic.",
                "Every option is also a Flink configuration key framewise.<option> (flags win)."})
public final class JobCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--remote", paramLabel = "HOST:PORT",
            description = "Submit to the JobManager REST endpoint of a running cluster instead of a local MiniCluster.")
    String remote;

    @Option(names = "--jar", paramLabel = "FILE",
            description = "Job jar(s) shipped with --remote (the cluster needs the Framewise classes).")
    List<String> jars = List.of();

    @Option(names = "--web-port", defaultValue = "8081-8099", paramLabel = "PORT[-PORT]",
            description = "Local web UI port or range (default: ${DEFAULT-VALUE}).")
    String webPort;

    @Option(names = "--metrics-port", defaultValue = "0", paramLabel = "PORT",
            description = "Local Prometheus /metrics port (default: a free one, printed; -1: none). See docs/metrics.md.")
    int metricsPort;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        JobConfig cfg = config(Map.of());
        if (remote != null) {
            return runRemote(cfg, out);
        }
        try (LocalFlink flink = LocalFlink.start(cfg.get(JobOptions.PARALLELISM), webPort, metricsPort,
                cfg.get(JobOptions.BUFFER_DEBLOAT))) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                    FramewiseJob.flinkConfiguration(cfg));
            FramewiseJob.build(env, cfg);
            JobID id = flink.submit(env.getStreamGraph());
            out.println("framewise job " + id + " running on a local Flink; web UI: " + flink.webUrl()
                    + (flink.metricsUrl() == null ? "" : "; Prometheus metrics: " + flink.metricsUrl()));
            out.println("  " + cfg.get(JobOptions.INPUT_TOPIC) + " -> " + cfg.get(JobOptions.OUTPUT_TOPIC)
                    + " (dead letters: " + cfg.get(JobOptions.DLQ_TOPIC) + ") at " + cfg.get(JobOptions.BOOTSTRAP)
                    + "; Ctrl-C stops it");
            out.flush();
            Thread hook = new Thread(() -> {
                try {
                    flink.cancel(id, Duration.ofSeconds(30));
                } catch (Exception ignored) {
                    // shutting down anyway
                }
            }, "framewise-job-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            JobResult r = flink.result(id).get();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs
            }
            return report(r, out);
        }
    }

    private int runRemote(JobConfig cfg, PrintWriter out) throws Exception {
        int colon = remote.lastIndexOf(':');
        if (colon <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--remote must be HOST:PORT, got " + remote);
        }
        if (jars.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--remote needs --jar: the cluster must get the Framewise classes");
        }
        int port;
        try {
            port = Integer.parseInt(remote.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--remote port is not a number: " + remote);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment(
                remote.substring(0, colon), port, FramewiseJob.flinkConfiguration(cfg), jars.toArray(String[]::new));
        FramewiseJob.build(env, cfg);
        JobClient client = env.executeAsync(cfg.get(JobOptions.JOB_NAME));
        out.println("framewise job " + client.getJobID() + " submitted to " + remote);
        out.flush();
        client.getJobExecutionResult().get();
        return 0;
    }

    private JobConfig config(Map<String, String> base) {
        return JobFlags.resolveOrReject(base, spec.commandLine());
    }

    private static int report(JobResult r, PrintWriter out) {
        // canceled: Ctrl-C (our shutdown hook) or the web UI's cancel button, both a normal end
        if (r.isSuccess() || r.getApplicationStatus() == ApplicationStatus.CANCELED) {
            out.println("framewise job " + r.getJobId() + " " + r.getApplicationStatus());
            out.flush();
            return 0;
        }
        String why = r.getSerializedThrowable().map(t -> t.getFullStringifiedStackTrace()).orElse("");
        // The top exception is Flink's "recovery is suppressed"; the root cause is what the user can fix
        // (e.g. Kafka's SaslAuthenticationException for a wrong password).
        String root = r.getSerializedThrowable().map(t -> rootCause(t.deserializeError(JobCommand.class.getClassLoader())))
                .orElse("");
        throw new IllegalStateException("job " + r.getJobId() + " ended " + r.getApplicationStatus()
                + (why.isEmpty() ? "" : ": " + why.lines().findFirst().orElse(""))
                + (root.isEmpty() ? "" : "; caused by " + root));
    }

    private static String rootCause(Throwable t) {
        Throwable c = t;
        for (int i = 0; i < 100 && c.getCause() != null && c.getCause() != c; i++) {
            c = c.getCause();
        }
        return c == t ? "" : c.toString();
    }
}
