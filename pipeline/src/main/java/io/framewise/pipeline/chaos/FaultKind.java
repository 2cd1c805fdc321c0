package io.framewise.pipeline.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The faults {@code framewise chaos} injects, by the names its {@code --faults} option takes. */
public enum FaultKind {
    /** SIGKILL of a TaskManager right after a checkpoint, once the labels topic grew past it; then relaunched. */
    TASKMANAGER_KILL,
    /** SIGKILL of the JobManager, relaunched with its saved command: HA restores the job from ZooKeeper. */
    JOBMANAGER_KILL,
    /** SIGKILL of a Kafka broker (its partitions' leaders move), restarted once the cluster saw it go. */
    BROKER_KILL,
    /** SIGSTOP of a TaskManager for longer than the heartbeat timeout, then SIGCONT. */
    TASKMANAGER_STOP,
    /** A record that crashes the decoding TaskManager (test fault {@code crash}): must be one dead letter. */
    POISON_RECORD;

    /** The option spelling: {@code taskmanager-kill}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static FaultKind of(String id) {
        for (FaultKind k : values()) {
            if (k.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown fault '" + id + "': one of " + ids(List.of(values())));
    }

    /** {@code "taskmanager-kill,poison-record"} → the kinds; every kind when empty. */
    public static List<FaultKind> parseList(String list) {
        if (list == null || list.isBlank()) {
            return List.of(values());
        }
        List<FaultKind> out = new ArrayList<>();
        for (String s : list.split(",")) {
            FaultKind k = of(s);
            if (!out.contains(k)) {
                out.add(k);
            }
        }
        return out;
    }

    public static String ids(List<FaultKind> kinds) {
        return String.join(",", kinds.stream().map(FaultKind::id).toList());
    }
}
