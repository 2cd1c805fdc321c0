package io.framewise.pipeline.cli;

import picocli.CommandLine;

/**
 * Turns the exceptions a user can cause (missing model file, bad image, unreachable broker) into one
 * clear line on stderr and exit code 2, instead of a stack trace. Set {@code FRAMEWISE_DEBUG=1} for
 * the trace.
 */
final class UserErrors implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        if (System.getenv("FRAMEWISE_DEBUG") != null) {
            ex.printStackTrace(cmd.getErr());
        }
        String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        cmd.getErr().println("framewise " + cmd.getCommandName() + ": " + msg);
        return 2;
    }
}
