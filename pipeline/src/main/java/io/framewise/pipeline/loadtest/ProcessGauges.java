package io.framewise.pipeline.loadtest;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * What a process costs the machine beyond its Java heap: resident memory and threads (from
 * {@code /proc/PID/status}) and the JVM's own count of its native memory (Native Memory Tracking's
 * committed total, when the JVM runs with {@code -XX:NativeMemoryTracking=summary}). A heap that
 * levels off says nothing of direct buffers, thread stacks, JIT code or FFmpeg's allocations; RSS and
 * NMT do, so a soak watches these too.
 */
public final class ProcessGauges {

    /**
     * One reading; -1 where the figure is not available.
     *
     * @param nativeCommittedBytes NMT's committed total (heap included), -1 when NMT is off
     */
    public record Reading(long rssBytes, int threads, long nativeCommittedBytes) {
        static final Reading NONE = new Reading(-1, -1, -1);
    }

    private static final Pattern RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB");
    private static final Pattern THREADS = Pattern.compile("(?m)^Threads:\\s+(\\d+)");
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");

    private ProcessGauges() {
    }

    /** This JVM (NMT through its DiagnosticCommand MBean: a JVM may not attach to itself). */
    public static Reading self() {
        Reading r = proc(ProcessHandle.current().pid());
        return new Reading(r.rssBytes(), r.threads(), nmtCommitted(selfNativeMemory()));
    }

    /**
     * Another process: {@code /proc}, and NMT through {@code jcmd PID VM.native_memory summary} when its
     * command line turns NMT on.
     */
    public static Reading of(long pid) {
        Reading r = proc(pid);
        if (r.rssBytes() < 0) {
            return r; // gone
        }
        return new Reading(r.rssBytes(), r.threads(), tracksNativeMemory(pid) ? nmtCommitted(jcmdNativeMemory(pid)) : -1);
    }

    /** Whether the process runs with NMT: without it a jcmd (a JVM start per reading) would only say so. */
    static boolean tracksNativeMemory(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine())
                .map(c -> c.contains("-XX:NativeMemoryTracking=summary") || c.contains("-XX:NativeMemoryTracking=detail"))
                .orElse(false);
    }

    static Reading proc(long pid) {
        String status;
        try {
            status = Files.readString(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII);
        } catch (IOException gone) {
            return Reading.NONE;
        }
        Matcher rss = RSS.matcher(status);
        Matcher threads = THREADS.matcher(status);
        return new Reading(rss.find() ? Long.parseLong(rss.group(1)) * 1024 : -1,
                threads.find() ? Integer.parseInt(threads.group(1)) : -1, -1);
    }

    /** NMT's committed total in bytes from a summary report, -1 when the report has none (NMT off). */
    static long nmtCommitted(String summary) {
        if (summary == null) {
            return -1;
        }
        Matcher m = NMT_TOTAL.matcher(summary);
        return m.find() ? Long.parseLong(m.group(2)) * 1024 : -1;
    }

    private static String selfNativeMemory() {
        try {
            return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[]{new String[]{"summary"}}, new String[]{String[].class.getName()});
        } catch (Exception e) {
            return null;
        }
    }

    private static String jcmdNativeMemory(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return null;
        }
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "VM.native_memory", "summary")
                    .redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
