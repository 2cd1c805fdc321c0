package io.framewise.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.pipeline.cli.FramewiseCli;
import io.framewise.pipeline.config.JobOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The job and demo commands stop at start, naming the option, before touching Kafka or Flink. */
class JobCommandTest {

    private record Run(int rc, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = FramewiseCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        return new Run(rc, out.toString(), err.toString());
    }

    @Test
    void unknownOptionsFailNamingThem() {
        for (String cmd : new String[] {"job", "demo"}) {
            Run r = run(cmd, "--batch-sise", "8");
            assertEquals(2, r.rc, r.err);
            assertTrue(r.err.contains("--batch-sise"), r.err);
        }
    }

    @Test
    void invalidValuesFailNamingTheOption() {
        Run r = run("job", "--batch-size", "-1"); // 0 is valid now (auto)
        assertEquals(2, r.rc, r.err);
        assertTrue(r.err.contains("--batch-size"), r.err);
        r = run("job", "--delivery-guarantee", "twice");
        assertEquals(2, r.rc, r.err);
        assertTrue(r.err.contains("--delivery-guarantee"), r.err);
        r = run("demo", "--transaction-timeout-ms", "3600000");
        assertEquals(2, r.rc, r.err);
        assertTrue(r.err.contains("--transaction-timeout-ms"), r.err);
    }

    @Test
    void helpListsEveryJobOption() {
        for (String cmd : new String[] {"job", "demo"}) {
            Run r = run(cmd, "--help");
            assertEquals(0, r.rc, r.err);
            for (ConfigOption<?> o : JobOptions.ALL) {
                assertTrue(r.out.contains(JobOptions.flag(o)), cmd + " help lacks " + JobOptions.flag(o));
            }
        }
    }

    @Test
    void flinkRunEntryPointRejectsBadOptions() {
        CommandLine.ParameterException e = org.junit.jupiter.api.Assertions.assertThrows(
                CommandLine.ParameterException.class, () -> FramewiseJob.main(new String[] {"--top-k", "zero"}));
        assertTrue(e.getMessage().contains("--top-k"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(
                CommandLine.ParameterException.class, () -> FramewiseJob.main(new String[] {"--no-such-option"}));
        assertTrue(e.getMessage().contains("--no-such-option"), e.getMessage());
    }
}
