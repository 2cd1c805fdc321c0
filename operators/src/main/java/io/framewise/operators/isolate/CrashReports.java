package io.framewise.operators.isolate;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where a HotSpot JVM writes its fatal error report ({@code hs_err_pid<pid>.log}), which tells a crash in
 * native code from a kill: the JVM's signal handler writes the report when native code faults (SIGSEGV,
 * SIGBUS, SIGILL, SIGFPE), and nothing can be written when the process is sent SIGKILL.
 *
 * <p>HotSpot writes to {@code -XX:ErrorFile} ({@code %p} = the PID, {@code %%} = '%'; relative to the
 * working folder) or, without it, to {@code hs_err_pid<pid>.log} in the working folder; when that cannot be
 * written it falls back to the system's temporary folder ({@code /tmp} on Linux, not {@code java.io.tmpdir}).
 * A native {@code abort()} (SIGABRT, e.g. a failed FFmpeg assertion) writes no report and counts as a kill:
 * the quarantine then needs its second strike.
 */
final class CrashReports {

    private static final Path SYSTEM_TMP = Path.of("/tmp");

    private CrashReports() {
    }

    /** Where this JVM would write its report. */
    static Path ownReport() {
        long pid = ProcessHandle.current().pid();
        String option = "";
        try {
            option = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption("ErrorFile").getValue();
        } catch (RuntimeException e) {
            // not HotSpot: the default name is the best guess
        }
        Path workDir = Path.of(System.getProperty("user.dir"));
        if (option == null || option.isBlank()) {
            return workDir.resolve(defaultName(pid)).toAbsolutePath();
        }
        return workDir.resolve(expand(option, pid)).toAbsolutePath();
    }

    /**
     * The report process {@code pid} wrote at {@code named} (where it said it would) or in the system's
     * temporary folder, modified at or after {@code sinceMs}; null when there is none.
     */
    static Path writtenSince(long pid, Path named, long sinceMs) throws IOException {
        for (Path p : new Path[] {named, SYSTEM_TMP.resolve(defaultName(pid))}) {
            if (p == null) {
                continue;
            }
            try {
                if (Files.getLastModifiedTime(p).toMillis() >= sinceMs) {
                    return p;
                }
            } catch (NoSuchFileException e) {
                // not there
            }
        }
        return null;
    }

    static String defaultName(long pid) {
        return "hs_err_pid" + pid + ".log";
    }

    /** HotSpot's substitutions in -XX:ErrorFile: %p the PID, %% a percent sign. */
    static String expand(String pattern, long pid) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '%' && i + 1 < pattern.length()) {
                char n = pattern.charAt(i + 1);
                if (n == 'p') {
                    out.append(pid);
                    i++;
                    continue;
                }
                if (n == '%') {
                    out.append('%');
                    i++;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }
}
