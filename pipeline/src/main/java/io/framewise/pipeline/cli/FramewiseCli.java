package io.framewise.pipeline.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code ./framewise} command line: one subcommand per user task. */
@Command(name = "framewise",
        mixinStandardHelpOptions = true,
        version = "framewise 0.1.0",
        description = "Streaming video analytics on Apache Flink with a pure-Java MobileNet core.",
        subcommands = {
                ClassifyCommand.class,
                SegmentCommand.class,
                SummaryCommand.class,
                BenchCommand.class,
                io.framewise.pipeline.cli.ProduceCommand.class,
                io.framewise.pipeline.cli.ConsumeCommand.class,
                io.framewise.pipeline.cli.JobCommand.class,
                io.framewise.pipeline.cli.DemoCommand.class,
                io.framewise.pipeline.cli.ReportCommand.class,
                io.framewise.pipeline.cli.LoadtestCommand.class,
                ClusterCommand.class,
                ChaosCommand.class,
                CommandLine.HelpCommand.class
        })
public final class FramewiseCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests execute it in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new FramewiseCli());
        cl.setExecutionExceptionHandler(new UserErrors());
        return cl;
    }
}
