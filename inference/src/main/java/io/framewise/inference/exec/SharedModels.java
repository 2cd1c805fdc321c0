package io.framewise.inference.exec;

import io.framewise.inference.kernels.select.KernelSelection;
import io.framewise.inference.model.Labels;
import io.framewise.inference.model.ModelFiles;
import io.framewise.inference.model.ModelGraph;
import io.framewise.inference.plan.PlanOptions;
import io.framewise.inference.tflite.TfliteModelLoader;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JVM-wide model cache: a model file is parsed, dequantized, planned and packed once per process
 * (once per Flink TaskManager) and the immutable result is shared by every caller.
 */
public final class SharedModels {

    /** The model commands use when none is named. */
    public static final String DEFAULT_MODEL = "mobilenet_v2_1.0_224_quant.tflite";

    private static final ConcurrentHashMap<String, CompiledModel> CACHE = new ConcurrentHashMap<>();

    private SharedModels() {
    }

    /** Resolves, loads and compiles {@code model} with the labels that go with it (or {@code labels}); cached. */
    public static CompiledModel load(String model, String labels) {
        Path m = modelPath(model);
        Path l = labelsPath(m, labels);
        String key = m.toAbsolutePath().normalize() + "|" + l.toAbsolutePath().normalize();
        return CACHE.computeIfAbsent(key, k -> compile(m, l, PlanOptions.fromSystemProperties()));
    }

    /** An uncached compile with explicit plan options (benchmarks compare plans). */
    public static CompiledModel compile(String model, PlanOptions options) {
        Path m = modelPath(model);
        return compile(m, labelsPath(m, null), options);
    }

    private static CompiledModel compile(Path model, Path labels, PlanOptions options) {
        ModelGraph g = TfliteModelLoader.load(model);
        Labels lab = Labels.load(labels).forClasses(g.numClasses());
        return CompiledModel.compile(g, lab::label, KernelSelection.get(), options);
    }

    public static ModelGraph graph(String model) {
        return TfliteModelLoader.load(modelPath(model));
    }

    public static Path modelPath(String model) {
        return ModelFiles.resolve(model);
    }

    /** The shared data folder ($FRAMEWISE_DATA or ../shared), if there is one. */
    public static Optional<Path> dataDir() {
        try {
            Path models = ModelFiles.resolve("imagenet_labels.txt").toAbsolutePath().getParent();
            return Optional.ofNullable(models == null ? null : models.getParent());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Path labelsPath(Path model, String labels) {
        return ModelFiles.resolve(labels != null ? labels : ModelFiles.labelsFor(model.getFileName().toString()));
    }
}
