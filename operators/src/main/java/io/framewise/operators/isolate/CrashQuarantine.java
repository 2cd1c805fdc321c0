package io.framewise.operators.isolate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Recognises a record whose native decoding killed the process the last time it was decoded.
 *
 * <p>Before a record is decoded, a marker file named after its coordinates ({@code topic@partition@offset.decoding})
 * is created in a folder outside the process; it is deleted when the decode returns (or times out, or
 * the task is cancelled). A marker that is still there when a subtask opens, and whose writer (the PID
 * it holds) no longer runs, was left by a process that died while decoding that record. {@link #open} reads them all, whichever subtask wrote them (a replay
 * after a restart or a rescale may route the record to another subtask); the subtask that sees such a
 * record again dead-letters it instead of decoding it, and deletes the marker.
 *
 * <p>The marker is written with {@code write}, not {@code fsync}: it must outlive the process, not the
 * machine, and a written page stays in the kernel's page cache when the process dies. A flush per
 * record would cost a disk write per frame. A kernel crash or power loss takes the whole TaskManager
 * host with it, and the record is then replayed without a marker (it may crash once more).
 *
 * <p>Bounded: one marker per record in flight per subtask, plus one per crash until its record is replayed.
 */
public final class CrashQuarantine {

    static final String SUFFIX = ".decoding";

    private final Path dir;
    private final Set<String> suspects = new HashSet<>();

    private CrashQuarantine(Path dir) {
        this.dir = dir;
    }

    /** Creates {@code dir} if needed and reads the markers dead processes left in it. */
    public static CrashQuarantine open(Path dir) {
        CrashQuarantine q = new CrashQuarantine(dir);
        try {
            Files.createDirectories(dir);
            try (DirectoryStream<Path> markers = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
                for (Path m : markers) {
                    if (!writerAlive(m)) {
                        q.suspects.add(m.getFileName().toString());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("decode quarantine folder " + dir, e);
        }
        return q;
    }

    public Path dir() {
        return dir;
    }

    /** Markers read at {@link #open} and not acted on yet. */
    public Set<String> suspects() {
        return Set.copyOf(suspects);
    }

    /**
     * Whether the record at these coordinates was being decoded when a process died; if so the marker is
     * consumed (deleted): the caller dead-letters the record, and a later replay decodes it normally.
     */
    public boolean takeSuspect(String topic, int partition, long offset) {
        String name = name(topic, partition, offset);
        if (suspects.isEmpty() || !suspects.remove(name)) {
            return false;
        }
        delete(dir.resolve(name));
        return true;
    }

    /** Marks a record as being decoded; close the marker when the decode returned. */
    public Marker mark(String topic, int partition, long offset) {
        Path p = dir.resolve(name(topic, partition, offset));
        try {
            Files.write(p, (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII),
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("decode quarantine marker " + p, e);
        }
        return new Marker(p);
    }

    /** A record in flight; {@link #close} deletes its marker. */
    public static final class Marker implements AutoCloseable {
        private final Path path;

        private Marker(Path path) {
            this.path = path;
        }

        public Path path() {
            return path;
        }

        @Override
        public void close() {
            delete(path);
        }
    }

    /**
     * Whether the process that wrote a marker still runs (its record is in flight there, e.g. another
     * TaskManager on this machine, not crashed). A marker without a readable PID counts as dead.
     */
    private static boolean writerAlive(Path marker) throws IOException {
        long pid;
        try {
            pid = Long.parseLong(Files.readString(marker, StandardCharsets.US_ASCII).trim());
        } catch (NoSuchFileException e) {
            return true; // its decode returned meanwhile: not a crash
        } catch (NumberFormatException e) {
            return false;
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The marker file name of a record: '@' cannot occur in a Kafka topic name. */
    public static String name(String topic, int partition, long offset) {
        return topic + "@" + partition + "@" + offset + SUFFIX;
    }

    private static void delete(Path p) {
        try {
            Files.delete(p);
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw new UncheckedIOException("decode quarantine marker " + p, e);
        }
    }
}
