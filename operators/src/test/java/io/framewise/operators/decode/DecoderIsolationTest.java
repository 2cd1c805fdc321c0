package io.framewise.operators.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.deadletter.DeadLetters;
import io.framewise.operators.frames.FrameHeaders;
import io.framewise.operators.gate.GateSettings;
import io.framewise.operators.isolate.CrashQuarantine;
import io.framewise.operators.isolate.DecodeWatchdog;
import io.framewise.operators.isolate.IsolationSettings;
import io.framewise.operators.isolate.TestFaults;
import io.framewise.operators.records.DeadLetter;
import io.framewise.operators.records.DeadLetterReason;
import io.framewise.operators.records.FrameRecord;
import io.framewise.operators.records.ModelFrame;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decoder isolation in the operator harness (docs/decoder-isolation.md): a record whose decoding hangs
 * is one DECODE_TIMEOUT dead letter and the next record decodes on a fresh thread; a record a crashed
 * process left a quarantine marker and a fatal error report for is one DECODER_CRASH dead letter and is not
 * decoded; one a killed process left a marker for (no report) is decoded again, and convicted when a second
 * process dies decoding it.
 * {@code DecoderCrashITCase} kills a real TaskManager process with the crash fault.
 */
class DecoderIsolationTest {

    static final long NOW = 1_790_000_000_000L;

    @TempDir
    Path dir;

    private static byte[] jpeg;

    @BeforeAll
    static void fixtures() {
        jpeg = MediaFixtures.jpeg(MediaFixtures.readImage("cat.bmp"), 0.9f);
        System.setProperty(TestFaults.PROPERTY, "true");
    }

    @AfterAll
    static void disableFaults() {
        System.clearProperty(TestFaults.PROPERTY);
    }

    @AfterEach
    void releaseSpinners() throws InterruptedException {
        TestFaults.releaseSpinners(); // the abandoned threads end: no core burnt for the rest of the run
        while (DecodeWatchdog.stuckThreads() > 0) {
            Thread.sleep(5);
        }
    }

    @Test
    void aSpinningDecodeIsOneTimeoutDeadLetterAndTheNextRecordDecodes() throws Exception {
        IsolationSettings iso = new IsolationSettings(300, 4, 2, dir.toString(), "spin");
        int stuckBefore = DecodeWatchdog.stuckThreads();
        DecodeFunction f = function(iso);
        try (var h = harness(f)) {
            h.processElement(record("cam-1", 0, 0, null), 1);
            h.processElement(record("cam-1", 1, 1, TestFaults.SPIN), 1);
            h.processElement(record("cam-1", 2, 2, null), 1);
            h.processElement(record("cam-2", 3, 0, null), 1);
            assertEquals(List.of("cam-1/0", "cam-1/2", "cam-2/0"), frames(h));
            List<DeadLetter> dead = dead(h);
            assertEquals(1, dead.size(), dead::toString);
            assertEquals(DeadLetterReason.DECODE_TIMEOUT, dead.get(0).reason());
            assertEquals(1, dead.get(0).offset());
            assertTrue(dead.get(0).message().contains("300 ms"), dead.get(0).message());
            assertEquals(1, f.metrics().threadsAbandoned());
            assertEquals(1, f.metrics().failures(DeadLetterReason.DECODE_TIMEOUT));
            assertEquals(stuckBefore + 1, DecodeWatchdog.stuckThreads(), "the spinning thread still runs, abandoned");
            assertTrue(Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().equals("framewise-decode-0-1-stuck") && t.isDaemon()));
        }
        assertNoMarkers();
    }

    @Test
    void tooManyStuckThreadsFailTheTask() throws Exception {
        int stuck = DecodeWatchdog.stuckThreads();
        IsolationSettings iso = new IsolationSettings(200, stuck + 1, 2, dir.toString(), "limit");
        try (var h = harness(iso)) {
            h.processElement(record("cam-1", 0, 0, TestFaults.SPIN), 1);
            assertEquals(List.of(DeadLetterReason.DECODE_TIMEOUT), dead(h).stream().map(DeadLetter::reason).toList());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> h.processElement(record("cam-1", 1, 1, TestFaults.SPIN), 1));
            assertTrue(e.getMessage().contains("decode threads are stuck in this JVM"), e.getMessage());
        }
    }

    @Test
    void aRecordADeadProcessCrashedDecodingIsOneCrashDeadLetter() throws Exception {
        Path markers = Files.createDirectories(dir.resolve("crash"));
        long gone = deadPid();
        Path report = dir.resolve("hs_err_pid" + gone + ".log");
        Path crashed = markers.resolve(gone + "-1.decoding");
        Files.writeString(crashed, gone + " " + report + "\n" + CrashQuarantine.name("frames", 0, 1) + "\n");
        Files.writeString(report, "# A fatal error has been detected by the Java Runtime Environment\n");
        // a record in flight in a process that still runs (this one) is no crash
        Path live = markers.resolve(ProcessHandle.current().pid() + "-0.decoding");
        Files.writeString(live, ProcessHandle.current().pid() + "\n" + CrashQuarantine.name("frames", 0, 2) + "\n");
        // a dead writer that was idle: nothing to act on, removed
        Files.writeString(markers.resolve(gone + "-2.decoding"), gone + " " + report + "\n");
        IsolationSettings iso = new IsolationSettings(10_000, 4, 2, dir.toString(), "crash");
        try (var h = harness(iso)) {
            for (int i = 0; i < 4; i++) {
                h.processElement(record("cam-1", i, i, null), 1);
            }
            assertEquals(List.of("cam-1/0", "cam-1/2", "cam-1/3"), frames(h));
            List<DeadLetter> dead = dead(h);
            assertEquals(1, dead.size(), dead::toString);
            assertEquals(DeadLetterReason.DECODER_CRASH, dead.get(0).reason());
            assertEquals(1, dead.get(0).offset());
            assertTrue(dead.get(0).message().contains("a process crashed while decoding this record"), dead.get(0).message());
            assertTrue(dead.get(0).message().contains(report.toString()), dead.get(0).message());
        }
        assertFalse(Files.exists(crashed), "acted on: deleted");
        assertFalse(Files.exists(markers.resolve(gone + "-2.decoding")), "idle and dead: deleted");
        Files.delete(live); // a live writer's marker is left alone; ours are removed on close
        assertNoMarkers();
        // replayed once more (a later restart), the record decodes: the marker was consumed
        try (var h = harness(new IsolationSettings(10_000, 4, 2, dir.toString(), "crash"))) {
            h.processElement(record("cam-1", 1, 1, null), 1);
            assertEquals(List.of("cam-1/1"), frames(h));
        }
    }

    @Test
    void aRecordWhoseProcessWasKilledDecodesAgainAndTheSecondDeathConvictsIt() throws Exception {
        Path markers = Files.createDirectories(dir.resolve("kill"));
        long gone = deadPid();
        // killed (SIGKILL, the OOM killer) while decoding offset 1: no fatal error report anywhere
        Path report = dir.resolve("hs_err_pid" + gone + ".log");
        Files.writeString(markers.resolve(gone + "-1.decoding"), gone + " " + report + "\n"
                + CrashQuarantine.name("frames", 0, 1) + "\n");
        // a report older than the marker's last write is an earlier process's that had the same PID
        Path stale = dir.resolve("old").resolve("hs_err_pid" + gone + ".log");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "old");
        Files.setLastModifiedTime(stale, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Files.writeString(markers.resolve(gone + "-3.decoding"), gone + " " + stale + "\n" + CrashQuarantine.name("frames", 0, 5) + " 1\n");
        IsolationSettings iso = new IsolationSettings(10_000, 4, 2, dir.toString(), "kill");
        try (var h = harness(iso)) {
            h.processElement(record("cam-1", 1, 1, null), 1);
            h.processElement(record("cam-1", 5, 5, null), 1);
            assertEquals(List.of("cam-1/1"), frames(h), "one death without a report: decoded again");
            List<DeadLetter> dead = dead(h);
            assertEquals(List.of(5L), dead.stream().map(DeadLetter::offset).toList(), dead::toString);
            assertEquals(DeadLetterReason.DECODER_CRASH, dead.get(0).reason());
            assertTrue(dead.get(0).message().startsWith("2 processes died while decoding this record"),
                    dead.get(0).message());
        }
        assertNoMarkers();
        // with one strike a kill is enough, as before the strikes existed
        Files.writeString(markers.resolve(gone + "-4.decoding"), gone + "\n" + CrashQuarantine.name("frames", 0, 7) + "\n");
        try (var h = harness(new IsolationSettings(10_000, 4, 1, dir.toString(), "kill"))) {
            h.processElement(record("cam-1", 7, 7, null), 1);
            assertEquals(List.of(), frames(h));
            assertEquals(List.of(DeadLetterReason.DECODER_CRASH), dead(h).stream().map(DeadLetter::reason).toList());
        }
    }

    @Test
    void aRecordDecodedAgainCarriesItsDeathsInItsMarker() throws Exception {
        Path folder = dir.resolve("carry");
        Files.createDirectories(folder);
        long gone = deadPid();
        Files.writeString(folder.resolve(gone + "-1.decoding"), gone + "\n" + CrashQuarantine.name("frames", 2, 40) + "\n");
        CrashQuarantine q = CrashQuarantine.open(folder);
        CrashQuarantine.Suspicion s = q.takeSuspect("frames", 2, 40);
        assertEquals(new CrashQuarantine.Suspicion(1, null), s);
        assertFalse(s.convicted(2));
        assertTrue(s.convicted(1));
        assertEquals(null, q.takeSuspect("frames", 2, 40), "taken once");
        Path own;
        try (var files = Files.list(folder)) {
            own = files.findFirst().orElseThrow();
        }
        try (CrashQuarantine.Marker m = q.mark("frames", 2, 40, s.deaths())) {
            List<String> lines = Files.readAllLines(own);
            assertEquals("frames@2@40 1", lines.get(1));
            // this process dies here: its marker, under a dead PID, is what the next subtask reads
            Files.writeString(folder.resolve(gone + "-2.decoding"), gone + "\n" + lines.get(1) + "\n");
        }
        q.close();
        CrashQuarantine next = CrashQuarantine.open(folder);
        CrashQuarantine.Suspicion again = next.takeSuspect("frames", 2, 40);
        assertEquals(2, again.deaths());
        assertTrue(again.convicted(2));
        next.close();
        assertNoMarkers();
    }

    /** The PID of a process that has ended. */
    private static long deadPid() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        return gone.pid();
    }

    @Test
    void theMarkerNamesTheRecordOnlyWhileItDecodes() throws Exception {
        CrashQuarantine q = CrashQuarantine.open(dir.resolve("m"));
        Path file;
        try (var files = Files.list(dir.resolve("m"))) {
            file = files.findFirst().orElseThrow();
        }
        String first = Files.readAllLines(file).get(0);
        String pid = Long.toString(ProcessHandle.current().pid());
        assertTrue(first.startsWith(pid + " /") && first.endsWith("hs_err_pid" + pid + ".log"),
                "the PID and where this JVM writes its fatal error report: " + first);
        assertEquals(List.of(first), Files.readAllLines(file));
        try (CrashQuarantine.Marker m = q.mark("frames", 3, 77777)) {
            assertEquals(List.of(first, "frames@3@77777"), Files.readAllLines(file));
        }
        assertEquals("", Files.readAllLines(file).get(1), "idle: the second line is empty");
        try (CrashQuarantine.Marker m = q.mark("frames", 3, 8)) {
            assertEquals(first + "\nframes@3@8\n", Files.readString(file).substring(0, first.length() + 12));
        }
        q.close();
        assertFalse(Files.exists(file));
    }

    private void assertNoMarkers() throws Exception {
        try (var files = Files.walk(dir)) {
            assertEquals(List.of(), files.filter(p -> p.toString().endsWith(".decoding")).toList());
        }
    }

    static FrameRecord record(String camera, long offset, long seq, String fault) {
        Map<String, byte[]> h = new LinkedHashMap<>();
        h.put(FrameHeaders.VERSION, "1".getBytes(StandardCharsets.UTF_8));
        h.put(FrameHeaders.CODEC, "jpeg".getBytes(StandardCharsets.UTF_8));
        h.put(FrameHeaders.CAPTURE_TS, Long.toString(NOW + 40 * seq).getBytes(StandardCharsets.UTF_8));
        h.put(FrameHeaders.SEQUENCE, Long.toString(seq).getBytes(StandardCharsets.UTF_8));
        if (fault != null) {
            h.put(TestFaults.HEADER, fault.getBytes(StandardCharsets.UTF_8));
        }
        return new FrameRecord(camera, camera.getBytes(StandardCharsets.UTF_8), jpeg, h, "frames", 0, offset, NOW);
    }

    static List<String> frames(KeyedOneInputStreamOperatorTestHarness<String, FrameRecord, ModelFrame> h) {
        return h.extractOutputValues().stream().map(f -> f.camera() + "/" + f.sequence()).toList();
    }

    static List<DeadLetter> dead(KeyedOneInputStreamOperatorTestHarness<String, FrameRecord, ModelFrame> h) {
        List<DeadLetter> out = new ArrayList<>();
        var side = h.getSideOutput(DeadLetters.TAG);
        if (side != null) {
            for (StreamRecord<DeadLetter> d : side) {
                out.add(d.getValue());
            }
        }
        return out;
    }

    static DecodeFunction function(IsolationSettings iso) {
        return new DecodeFunction(DecodeSettings.defaults(224, 224), 16, GateSettings.OFF, iso);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, FrameRecord, ModelFrame> harness(IsolationSettings iso)
            throws Exception {
        return harness(function(iso));
    }

    static KeyedOneInputStreamOperatorTestHarness<String, FrameRecord, ModelFrame> harness(DecodeFunction f)
            throws Exception {
        var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(f, FrameRecord::camera, Types.STRING);
        return h; // set up and opened by forKeyedProcessFunction
    }
}
