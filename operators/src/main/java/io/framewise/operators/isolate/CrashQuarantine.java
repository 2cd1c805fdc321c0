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
 * the process. Its first line is the writer's PID and the path where this JVM writes its fatal error
 * report ({@code hs_err_pid<pid>.log}). Before a record is decoded its coordinates
 * ({@code topic@partition@offset}, see {@link #name}) and the number of processes that already died
 * decoding it are written as the second line; when the decode returns (or times out, or the task is
 * cancelled) the second line is emptied (two small writes per record, no file created or deleted). A file
 * that still names a record when a subtask opens, and whose writer no longer runs, was left by a process
 * that died while decoding that record. {@link #open} reads them all, whichever subtask wrote them (a
 * replay after a restart or a rescale may route the record to another subtask). Files of dead writers
 * that name no record are deleted at open; files of live writers (another TaskManager on this machine, a
 * subtask of this one) are left alone.
 *
 * <p>A process can die while decoding a record for reasons that are not the record's: SIGKILL, the OOM
 * killer, a host draining. Those leave no fatal error report; a crash in native code does (the JVM's
 * signal handler writes it before the process exits). So a death with a report convicts the record at
 * once, and a death without one is a strike: the record is decoded again, marked with its strike count,
 * and convicted only when {@code strikes} processes died decoding it ({@link Suspicion#convicted}).
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

    /**
     * What a dead process left about one record.
     *
     * @param deaths      processes that died while decoding it, this one included
     * @param crashReport the fatal error report the last of them wrote, or null when it wrote none
     *                    (killed from outside, not crashed)
     */
    public record Suspicion(int deaths, Path crashReport) {
        /** Whether the record is to be dead-lettered rather than decoded once more. */
        public boolean convicted(int strikes) {
            return crashReport != null || deaths >= strikes;
        }
    }

    private record Suspect(Path marker, Suspicion suspicion) {
    }

    private final Path dir;
    private final Map<String, Suspect> suspects = new HashMap<>();
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
            Map<String, Suspect> suspects = new HashMap<>();
            try (DirectoryStream<Path> markers = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
                for (Path m : markers) {
                    List<String> lines = read(m);
                    if (lines == null || writerAlive(lines)) {
                        continue;
                    }
                    if (lines.size() > 1 && !lines.get(1).isBlank()) {
                        String[] record = lines.get(1).trim().split(" ");
                        int earlier = record.length > 1 ? parseCount(record[1]) : 0;
                        suspects.put(record[0], new Suspect(m, new Suspicion(earlier + 1, crashReport(lines, m))));
                    } else {
                        delete(m); // a dead writer, idle when it died
                    }
                }
            }
            long pid = ProcessHandle.current().pid();
            Path own = dir.resolve(pid + "-" + INSTANCES.incrementAndGet() + SUFFIX);
            FileChannel ch = FileChannel.open(own, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            byte[] idle = (pid + " " + CrashReports.ownReport() + "\n").getBytes(StandardCharsets.UTF_8);
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
     * What dead processes left about the record at these coordinates, or null when none died decoding it.
     * The marker is consumed (deleted): the caller either dead-letters the record, after which a later
     * replay decodes it normally, or decodes it again with {@link #mark(String, int, long, int)} carrying
     * the deaths forward.
     */
    public Suspicion takeSuspect(String topic, int partition, long offset) {
        if (suspects.isEmpty()) {
            return null;
        }
        Suspect s = suspects.remove(name(topic, partition, offset));
        if (s == null) {
            return null;
        }
        delete(s.marker());
        return s.suspicion();
    }

    /** Marks a record as being decoded; close the marker when the decode returned. */
    public Marker mark(String topic, int partition, long offset) {
        return mark(topic, partition, offset, 0);
    }

    /**
     * Marks a record that {@code deaths} processes already died decoding; should this one die too, the next
     * reader counts {@code deaths + 1}.
     */
    public Marker mark(String topic, int partition, long offset, int deaths) {
        String name = name(topic, partition, offset);
        byte[] line = (deaths == 0 ? name + "\n" : name + " " + deaths + "\n").getBytes(StandardCharsets.UTF_8);
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

    /**
     * The dead writer's fatal error report when it wrote one after it last marked a record: a report older
     * than the marker's last write belongs to an earlier process that had the same PID.
     */
    private static Path crashReport(List<String> lines, Path marker) throws IOException {
        long pid = writerPid(lines);
        if (pid < 0) {
            return null;
        }
        long markedAt;
        try {
            markedAt = Files.getLastModifiedTime(marker).toMillis();
        } catch (NoSuchFileException e) {
            return null;
        }
        String first = lines.get(0).trim();
        int space = first.indexOf(' ');
        Path named = space < 0 ? null : Path.of(first.substring(space + 1));
        return CrashReports.writtenSince(pid, named, markedAt - 1000);
    }

    /** The PID on a marker's first line ({@code <pid> [<report path>]}), or -1 when it has none. */
    private static long writerPid(List<String> lines) {
        String first = lines.isEmpty() ? "" : lines.get(0).trim();
        int space = first.indexOf(' ');
        try {
            return Long.parseLong(space < 0 ? first : first.substring(0, space));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int parseCount(String s) {
        try {
            return Math.max(0, Integer.parseInt(s));
        } catch (NumberFormatException e) {
            return 0;
        }
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
        long pid = writerPid(lines);
        return pid >= 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
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
