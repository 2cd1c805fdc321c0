package io.framewise.pipeline.cli;

import io.framewise.pipeline.chaos.CameraFeed;
import io.framewise.pipeline.chaos.ChaosReport;
import io.framewise.pipeline.chaos.ChaosRun;
import io.framewise.pipeline.chaos.FaultKind;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code framewise chaos}: the job on a cluster of processes under a seeded fault schedule, and its books. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = {"Start a cluster of its own (`cluster up`, TaskManagers honouring test faults), run the job on it",
                "exactly-once, send the shared videos as N cameras (JPEG and segment records) and hit it with a fault",
                "schedule drawn from the seed: SIGKILL of a TaskManager, of the JobManager (HA takes over), of a broker,",
                "SIGSTOP of a TaskManager past the heartbeat timeout, a poison record. Then drain, read every topic",
                "read_committed and print the books per (camera, seq, index in segment). Exit 0 when the books balance",
                "(no duplicate, no loss, each poison record one dead letter) and every fault was injected, 1 otherwise.",
                "See docs/chaos.md."})
public final class ChaosCommand implements Callable<Integer> {

    @Option(names = "--minutes", defaultValue = "3", paramLabel = "M",
            description = "Cameras producing for M minutes; faults start after a 30 s warm-up, at least 20 s apart (default: ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
            description = "Seed of the fault schedule and of the targets (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--cameras", defaultValue = "2", paramLabel = "N",
            description = "Cameras: odd ones send JPEG frames (5 fps), even ones video segments (default: ${DEFAULT-VALUE}).")
    int cameras;

    @Option(names = "--faults", paramLabel = "K1,K2",
            description = "Only these fault kinds: taskmanager-kill, jobmanager-kill, broker-kill, taskmanager-stop,"
                    + " poison-record (default: all).")
    String faults;

    @Option(names = "--delivery-guarantee", defaultValue = "exactly-once", paramLabel = "G",
            description = "The job's delivery guarantee: exactly-once or at-least-once (which must fail the books)"
                    + " (default: ${DEFAULT-VALUE}).")
    String guarantee;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "The chaos cluster's folder (default: ~/.cache/framewise/chaos).")
    Path dir;

    @Option(names = "--keep", description = "Keep the cluster's folder (logs, Kafka data, checkpoints) after the run.")
    boolean keep;

    @Option(names = "--json", description = "The report as one JSON object on stdout (progress stays on stderr).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (minutes <= 0 || cameras < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--minutes must be positive and --cameras at least 1");
        }
        if (!List.of("exactly-once", "at-least-once").contains(guarantee)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--delivery-guarantee must be exactly-once or at-least-once, got " + guarantee);
        }
        List<FaultKind> kinds;
        try {
            kinds = FaultKind.parseList(faults);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--faults: " + e.getMessage());
        }
        Path d = dir != null ? dir : Path.of(System.getProperty("user.home"), ".cache", "framewise", "chaos");
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        PrintWriter out = spec.commandLine().getOut();
        ChaosReport r = new ChaosRun(new ChaosRun.Options(d.toAbsolutePath(), minutes, seed, cameras, kinds, guarantee, keep),
                ChaosCommand::feed, json ? err : out).run();
        if (json) {
            r.printJson(out);
        } else {
            r.printText(out);
        }
        return r.passed() ? 0 : 1;
    }

    /** A chaos camera: {@code framewise produce}'s loop, reporting each record to the books. */
    static CameraFeed feed(String source, String bootstrap, String topic, String camera, String format,
                           int maxRecordBytes, List<String> extra, CameraFeed.Records onRecord) {
        SourceProducer p = new SourceProducer(SourceProducer.args(source, bootstrap, topic, camera, format,
                maxRecordBytes, Map.of(), extra.toArray(String[]::new))).onRecord(onRecord::sent);
        return new CameraFeed() {
            @Override
            public void run() throws Exception {
                p.run();
            }

            @Override
            public void close() {
                p.close();
            }
        };
    }
}
