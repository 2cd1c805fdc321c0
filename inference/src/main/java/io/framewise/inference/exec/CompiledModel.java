package io.framewise.inference.exec;

import io.framewise.inference.kernels.KernelSet;
import io.framewise.inference.model.InputSpec;
import io.framewise.inference.model.ModelGraph;
import io.framewise.inference.plan.Plan;
import io.framewise.inference.plan.PlanOptions;
import io.framewise.inference.plan.Planner;
import io.framewise.inference.plan.Workspace;
import io.framewise.inference.preprocess.InputQuantization;

/**
 * A model ready to run: its graph, its plan with weights packed for this process's kernels, its
 * labels and its input mapping. Immutable: build once per JVM and share across threads and operator
 * instances; each thread then needs only a {@link Workspace} (a {@link Classifier} owns those).
 */
public final class CompiledModel {

    private final ModelGraph graph;
    private final Plan plan;
    private final Classification.LabelLookup labels;
    private final InputQuantization inputMap;

    private CompiledModel(ModelGraph graph, Plan plan, Classification.LabelLookup labels) {
        this.graph = graph;
        this.plan = plan;
        this.labels = labels;
        this.inputMap = new InputQuantization(graph.input());
    }

    public static CompiledModel compile(ModelGraph graph, Classification.LabelLookup labels, KernelSet kernels,
                                        PlanOptions options) {
        return new CompiledModel(graph, Planner.plan(graph, kernels, options), labels);
    }

    public ModelGraph graph() {
        return graph;
    }

    public Plan plan() {
        return plan;
    }

    public Classification.LabelLookup labels() {
        return labels;
    }

    public InputQuantization inputMap() {
        return inputMap;
    }

    public InputSpec input() {
        return graph.input();
    }

    public int numClasses() {
        return graph.numClasses();
    }

    /** Bytes of one preprocessed image: {@code H * W * 3}. */
    public int imageBytes() {
        InputSpec in = graph.input();
        return in.height() * in.width() * in.channels();
    }
}
