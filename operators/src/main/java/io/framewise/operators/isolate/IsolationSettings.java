package io.framewise.operators.isolate;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * How {@code DecodeFunction} isolates native decoding (docs/decoder-isolation.md): shipped with the job
 * graph, so plain serializable values.
 *
 * @param timeoutMs       longest a record may take to decode; after it the record is a
 *                        {@code DECODE_TIMEOUT} dead letter and its decode thread is abandoned
 * @param maxStuckThreads abandoned decode threads still running in one JVM at which the task fails
 *                        instead of abandoning another one
 * @param crashStrikes    processes that must die decoding one record, without a fatal error report, before
 *                        it is a {@code DECODER_CRASH} dead letter (a death with a report convicts at once)
 * @param quarantineDir   folder of the in-flight markers; empty: {@code <java.io.tmpdir>/framewise-decode-quarantine}
 *                        on the TaskManager
 * @param namespace       sub-folder of {@code quarantineDir}, so two jobs on one machine never share
 *                        markers (the job passes its consumer group)
 */
public record IsolationSettings(long timeoutMs, int maxStuckThreads, int crashStrikes, String quarantineDir,
                                String namespace)
        implements Serializable {

    public static final long DEFAULT_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_MAX_STUCK_THREADS = 4;
    /** A TaskManager killed from outside mid-decode costs its record nothing; a silent crasher dies twice. */
    public static final int DEFAULT_CRASH_STRIKES = 2;

    public IsolationSettings {
        if (timeoutMs < 1) {
            throw new IllegalArgumentException("decode timeout must be at least 1 ms, got " + timeoutMs);
        }
        if (maxStuckThreads < 1) {
            throw new IllegalArgumentException("maxStuckThreads must be at least 1, got " + maxStuckThreads);
        }
        if (crashStrikes < 1) {
            throw new IllegalArgumentException("crashStrikes must be at least 1, got " + crashStrikes);
        }
        quarantineDir = quarantineDir == null ? "" : quarantineDir;
        if (namespace == null || namespace.isBlank() || namespace.contains("/") || namespace.contains("..")) {
            throw new IllegalArgumentException("quarantine namespace must be a plain folder name, got '" + namespace + "'");
        }
    }

    /** Defaults with markers under {@code <java.io.tmpdir>/framewise-decode-quarantine/<namespace>}. */
    public static IsolationSettings defaults(String namespace) {
        return new IsolationSettings(DEFAULT_TIMEOUT_MS, DEFAULT_MAX_STUCK_THREADS, DEFAULT_CRASH_STRIKES, "", namespace);
    }

    /** The marker folder, resolved where it is called (on the TaskManager: its own temporary folder). */
    public Path markerDir() {
        Path base = quarantineDir.isEmpty()
                ? Path.of(System.getProperty("java.io.tmpdir"), "framewise-decode-quarantine")
                : Path.of(quarantineDir);
        return base.resolve(namespace);
    }
}
