package io.framewise.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/** {@code loadtest --chaos} refuses what it cannot do at start-up, naming the option, before any broker or job starts. */
class LoadChaosOptionsTest {

    private static String[] run(String... args) {
        CommandLine cl = FramewiseCli.commandLine();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        return new String[] {Integer.toString(rc), err.toString()};
    }

    @Test
    void chaosWithoutTheClusterIsRefused() {
        String[] r = run("loadtest", "--chaos");
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains("--chaos needs --cluster"), r[1]);
    }

    @Test
    void poisonRecordsAndUnknownFaultsAndShortGapsAreRefusedByName() {
        String[] poison = run("loadtest", "--cluster", "/nonexistent", "--chaos", "poison-record");
        assertEquals("2", poison[0], poison[1]);
        assertTrue(poison[1].contains("poison-record") && poison[1].contains("framewise chaos"), poison[1]);
        String[] unknown = run("loadtest", "--cluster", "/nonexistent", "--chaos", "tm-kill");
        assertEquals("2", unknown[0], unknown[1]);
        assertTrue(unknown[1].contains("tm-kill"), unknown[1]);
        String[] gap = run("loadtest", "--cluster", "/nonexistent", "--chaos", "--chaos-every", "5");
        assertEquals("2", gap[0], gap[1]);
        assertTrue(gap[1].contains("--chaos-every"), gap[1]);
    }
}
