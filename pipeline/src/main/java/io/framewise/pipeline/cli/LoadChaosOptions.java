package io.framewise.pipeline.cli;

import io.framewise.pipeline.chaos.FaultKind;
import io.framewise.pipeline.chaos.FaultSchedule;
import io.framewise.pipeline.cluster.ClusterState;
import io.framewise.pipeline.loadtest.LoadChaos;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code loadtest}'s chaos options: the fault schedule of {@code framewise chaos} during a load on the cluster. */
final class LoadChaosOptions {

    /** The kinds a load test injects: all but poison-record, which needs a cluster with test faults. */
    static final String DEFAULT_FAULTS = "taskmanager-kill,jobmanager-kill,broker-kill,taskmanager-stop";

    @Option(names = "--chaos", arity = "0..1", fallbackValue = DEFAULT_FAULTS, paramLabel = "FAULTS",
            description = "With --cluster: inject faults while the cameras send (framewise chaos's schedule and"
                    + " recovery): a comma list of " + DEFAULT_FAULTS + " (all of them when given alone)."
                    + " The books must still balance: exit 1 on a loss or a duplicate.")
    String faults;

    @Option(names = "--chaos-seed", defaultValue = "1", paramLabel = "S",
            description = "Seed of the fault schedule: the same seed gives the same faults at the same times"
                    + " (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--chaos-every", defaultValue = "180", paramLabel = "S",
            description = "Least seconds between two faults (at least 20; default: ${DEFAULT-VALUE}).")
    double everySeconds;

    boolean on() {
        return faults != null;
    }

    /** The kinds asked for; an unknown name or one a load test cannot inject fails here, naming it. */
    List<FaultKind> kinds() {
        List<FaultKind> kinds = FaultKind.parseList(faults);
        if (kinds.contains(FaultKind.POISON_RECORD)) {
            throw new IllegalArgumentException("--chaos: poison-record needs TaskManagers that honour test faults;"
                    + " framewise chaos runs it on a cluster of its own");
        }
        if (everySeconds < FaultSchedule.MIN_GAP.toSeconds()) {
            throw new IllegalArgumentException("--chaos-every must be at least " + FaultSchedule.MIN_GAP.toSeconds()
                    + " s, got " + everySeconds);
        }
        return kinds;
    }

    LoadChaos open(ClusterState cluster, String job, String framesTopic, String labelsTopic, double loadSeconds,
                   PrintWriter log) {
        return new LoadChaos(cluster, job, framesTopic, labelsTopic, seed, kinds(),
                Duration.ofMillis(Math.round(loadSeconds * 1000)), Duration.ofMillis(Math.round(everySeconds * 1000)), log);
    }
}
