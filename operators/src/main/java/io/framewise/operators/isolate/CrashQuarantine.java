package io.framewise.operators.isolate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Recognises a record whose native decoding killed the process the last time it was decoded.
 *
 * <p>Each decode subtask keeps one small marker file, {@code <pid>-<n>.decoding}, open in a folder outside
 * the process. Its first line is the writer's PID. Before a record is decoded its coordinates
 * ({@code topic@partition@offset}, see {@link #name}) are written as the second line; when the decode
 * returns (or times out, or the task is cancelled) the second line is emptied (two small writes per
 * record, no file created or deleted). A file that
 * still names a record when a subtask opens, and whose writer no longer runs, was left by a process that
 * died while decoding that record. {@link #open} reads them all, whichever subtask wrote them (a replay
 * after a restart or a rescale may route the record to another subtask); the subtask that sees such a
 * record again dead-letters it instead of decoding it, and deletes that file. Files of dead writers that
 * name no record are deleted at open; files of live writers (another TaskManager on this machine, a
 * subtask of this one) are left alone.
 *
 * <p>Written, not {@code fsync}ed: the marker must outlive the process, not the machine, and a written
 * page stays in the kernel's page cache when the process dies; a flush per record would cost a disk
 * write per frame. A kernel crash or power loss takes the whole TaskManager host with it, and the record
 * is then replayed without a marker (it may crash once more).
 *
 * <p>Bounded: one file per open decode subtask, plus one per crash until its record is replayed.
 */
public final class CrashQuarantine implements AutoCloseable {

    static final String SUFFIX = ".decoding";
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final byte[] NEWLINE = {'\n'};

    private final Path dir;
    private final Map<String, Path> suspects = new HashMap<>();
    private final Path own;
    private final FileChannel channel;
    private final int idleLength;

    private CrashQuarantine(Path dir, Path own, FileChannel channel, int idleLength) {
        this.dir = dir;
        this.own = own;
        this.channel = channel;
        this.idleLength = idleLength;
    }

    /** Creates {@code dir} if needed, reads the markers dead processes left in it, and opens this subtask's. */
    public static CrashQuarantine open(Path dir) {
        try {
            Files.createDirectories(dir);
            Map<String, Path> suspects = new HashMap<>();
            try (DirectoryStream<Path> markers = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
                for (Path m : markers) {
                    List<String> lines = read(m);
                    if (lines == null || writerAlive(lines)) {
                        continue;
                    }
                    if (lines.size() > 1 && !lines.get(1).isBlank()) {
                        suspects.put(lines.get(1).trim(), m);
                    } else {
                        delete(m); // a dead writer, idle when it died
                    }
                }
            }
            long pid = ProcessHandle.current().pid();
            Path own = dir.resolve(pid + "-" + INSTANCES.incrementAndGet() + SUFFIX);
            FileChannel ch = FileChannel.open(own, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            byte[] idle = (pid + "\n").getBytes(StandardCharsets.US_ASCII);
            ch.write(ByteBuffer.wrap(idle), 0);
            CrashQuarantine q = new CrashQuarantine(dir, own, ch, idle.length);
            q.suspects.putAll(suspects);
            return q;
        } catch (IOException e) {
            throw new UncheckedIOException("decode quarantine folder " + dir, e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Records ({@link #name}) that dead processes were decoding, read at {@link #open} and not acted on yet. */
    public Set<String> suspects() {
        return Set.copyOf(suspects.keySet());
    }

    /**
     * Whether the record at these coordinates was being decoded when a process died; if so its marker is
     * consumed (deleted): the caller dead-letters the record, and a later replay decodes it normally.
     */
    public boolean takeSuspect(String topic, int partition, long offset) {
        if (suspects.isEmpty()) {
            return false;
        }
        Path marker = suspects.remove(name(topic, partition, offset));
        if (marker == null) {
            return false;
        }
        delete(marker);
        return true;
    }

    /** Marks a record as being decoded; close the marker when the decode returned. */
    public Marker mark(String topic, int partition, long offset) {
        byte[] line = (name(topic, partition, offset) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            channel.write(ByteBuffer.wrap(line), idleLength);
        } catch (IOException e) {
            throw new UncheckedIOException("decode quarantine marker " + own, e);
        }
        return new Marker();
    }

    /** A record in flight; {@link #close} empties the marker's second line. */
    public final class Marker implements AutoCloseable {
        private Marker() {
        }

        @Override
        public void close() {
            try {
                // one write, no truncate: what an earlier, longer name leaves after it is a third line
                channel.write(ByteBuffer.wrap(NEWLINE), idleLength);
            } catch (IOException e) {
                throw new UncheckedIOException("decode quarantine marker " + own, e);
            }
        }
    }

    /** Deletes this subtask's marker file (the decode thread is done or abandoned with no record marked). */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // deleting it is what matters
        }
        delete(own);
    }

    /** How a marker names a record: '@' cannot occur in a Kafka topic name. */
    public static String name(String topic, int partition, long offset) {
        return topic + "@" + partition + "@" + offset;
    }

    /** The lines of a marker, or null when it vanished meanwhile. */
    private static List<String> read(Path marker) throws IOException {
        try {
            return Files.readAllLines(marker, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Whether the process that wrote a marker still runs (its record is in flight there, not crashed). A
     * marker without a readable PID counts as dead.
     */
    private static boolean writerAlive(List<String> lines) {
        long pid;
        try {
            pid = Long.parseLong(lines.isEmpty() ? "" : lines.get(0).trim());
        } catch (NumberFormatException e) {
            return false;
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
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
