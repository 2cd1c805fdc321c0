package io.framewise.pipeline.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Exit code, stdout and stderr of one in-process run of the {@code ./framewise} command line. */
public record CliRun(int exit, String out, String err) {

    /** Runs {@code args} through {@link FramewiseCli#commandLine()} with captured output. */
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = FramewiseCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }
}
