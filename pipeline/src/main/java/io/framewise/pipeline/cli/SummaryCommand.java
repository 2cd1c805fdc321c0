package io.framewise.pipeline.cli;

import io.framewise.inference.exec.SharedModels;
import io.framewise.inference.model.ModelSummary;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code framewise summary}: the per-layer table with parameters, multiply-adds and cost ratios. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Per-layer table of a model: shapes, parameters, multiply-adds, depthwise separable cost ratios.")
final class SummaryCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = SharedModels.DEFAULT_MODEL,
            description = "Model file or name (default: ${DEFAULT-VALUE}).")
    String model;

    @Override
    public Integer call() {
        System.out.println(ModelSummary.of(SharedModels.graph(model)).format());
        return 0;
    }
}
