package io.framewise.pipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.framewise.inference.exec.Classification;
import io.framewise.inference.exec.Classifier;
import io.framewise.inference.exec.ClassifierOptions;
import io.framewise.inference.exec.CompiledModel;
import io.framewise.inference.exec.SharedModels;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code framewise classify}: label image files, one JSON line per image. */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Classify image files (BMP, JPEG, PNG); prints one JSON line per image.")
final class ClassifyCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = SharedModels.DEFAULT_MODEL, description = ModelTasks.MODEL_HELP)
    String model;

    @Option(names = "--labels", description = ModelTasks.LABELS_HELP)
    String labels;

    @Option(names = "--top", defaultValue = "5", description = "Classes per image (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--crop", description = "Central crop fraction in (0, 1], e.g. 0.875 (default: whole image, stretched).")
    Double crop;

    @Option(names = "--batch", defaultValue = "8", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", defaultValue = "1", description = "Threads per batch (default: ${DEFAULT-VALUE}).")
    int threads;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files.")
    List<Path> images;

    @Override
    public Integer call() throws Exception {
        CompiledModel m = ModelTasks.classifier(model, labels);
        ObjectMapper json = new ObjectMapper();
        try (Classifier c = new Classifier(m, new ClassifierOptions(top, batch, threads, false))) {
            byte[] pixels = new byte[batch * m.imageBytes()];
            for (int start = 0; start < images.size(); start += batch) {
                int n = Math.min(batch, images.size() - start);
                for (int i = 0; i < n; i++) {
                    ModelTasks.readInto(images.get(start + i), m.input(), crop, pixels, i * m.imageBytes());
                }
                long t0 = System.nanoTime();
                Classification[] r = c.classify(pixels, n);
                double ms = (System.nanoTime() - t0) / 1e6 / n;
                for (int i = 0; i < n; i++) {
                    ObjectNode line = json.createObjectNode();
                    line.put("image", images.get(start + i).toString());
                    line.put("model", m.graph().name());
                    ArrayNode topArr = line.putArray("top");
                    for (int k = 0; k < r[i].k(); k++) {
                        topArr.addObject().put("index", r[i].index(k)).put("label", r[i].label(k))
                                .put("score", Math.round(r[i].score(k) * 1e6) / 1e6);
                    }
                    line.put("ms", Math.round(ms * 100) / 100.0);
                    System.out.println(json.writeValueAsString(line));
                }
            }
        }
        return 0;
    }
}
