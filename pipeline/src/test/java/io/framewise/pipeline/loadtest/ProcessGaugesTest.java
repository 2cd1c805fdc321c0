package io.framewise.pipeline.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ProcessGaugesTest {

    @Test
    void thisProcessHasResidentMemoryAndThreads() {
        ProcessGauges.Reading r = ProcessGauges.self();
        long heapCommitted = Runtime.getRuntime().totalMemory();
        assertTrue(r.rssBytes() > 16L << 20, "RSS " + r.rssBytes());
        assertTrue(r.threads() >= Thread.activeCount(), r.threads() + " threads, " + Thread.activeCount() + " Java ones");
        assertTrue(r.nativeCommittedBytes() == -1 || r.nativeCommittedBytes() >= heapCommitted / 2,
                "NMT off (-1) or a total that counts the heap: " + r.nativeCommittedBytes());
    }

    @Test
    void aProcessThatIsGoneHasNoFigures() {
        ProcessGauges.Reading r = ProcessGauges.of(Long.MAX_VALUE / 2);
        assertEquals(-1, r.rssBytes());
        assertEquals(-1, r.threads());
        assertEquals(-1, r.nativeCommittedBytes());
    }

    @Test
    void nmtsCommittedTotalIsReadFromItsSummary() {
        String summary = "\nNative Memory Tracking:\n\n(Omitting categories weighting less than 1KB)\n\n"
                + "Total: reserved=1626780KB, committed=163224KB\n"
                + "-                 Java Heap (reserved=262144KB, committed=16384KB)\n";
        assertEquals(163224L * 1024, ProcessGauges.nmtCommitted(summary));
        assertEquals(-1, ProcessGauges.nmtCommitted("Native memory tracking is not enabled"));
        assertEquals(-1, ProcessGauges.nmtCommitted(null));
    }

    /** Another JVM with NMT on, read the way the cluster's processes are: /proc and jcmd. */
    @Test
    @Timeout(120)
    void anotherJvmWithNmtShowsItsNativeMemory() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:NativeMemoryTracking=summary", "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                Idle.class.getName()).redirectErrorStream(true).start();
        try {
            ProcessGauges.Reading r = ProcessGauges.of(child.pid());
            // jcmd answers once the child's attach listener is up: wait for that, not for a guessed time
            while (r.nativeCommittedBytes() < 0 && child.isAlive()) {
                Thread.sleep(100);
                r = ProcessGauges.of(child.pid());
            }
            assertTrue(child.isAlive(), "the child JVM ended");
            assertTrue(r.rssBytes() > 0 && r.threads() > 0, r.toString());
            assertTrue(r.nativeCommittedBytes() > 1L << 20, r.toString());
        } finally {
            child.getOutputStream().close();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    /** A JVM that waits until its standard input closes. */
    public static final class Idle {
        public static void main(String[] args) throws Exception {
            while (System.in.read() >= 0) {
                // keep reading until the parent closes the pipe
            }
        }
    }
}
