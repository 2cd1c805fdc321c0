package io.framewise.pipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.framewise.inference.exec.ClassifierOptions;
import io.framewise.inference.exec.CompiledModel;
import io.framewise.inference.exec.Segmentation;
import io.framewise.inference.exec.Segmenter;
import io.framewise.inference.preprocess.RgbImage;
import io.framewise.operators.kafka.SegmentationJson;
import io.framewise.pipeline.report.MaskOverlay;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code framewise segment}: which classes cover which pixels of image files, one JSON line per image. */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = "Segment image files (BMP, JPEG, PNG) with a DeepLabV3 model; prints one JSON line per image "
                + "with the classes present, their share of the pixels, boxes and regions.")
final class SegmentCommand implements Callable<Integer> {

    /** The model {@code segment} uses when none is named. */
    static final String DEFAULT_MODEL = "deeplabv3_mnv2_pascal_quant.tflite";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", defaultValue = DEFAULT_MODEL, description = ModelTasks.MODEL_HELP)
    String model;

    @Option(names = "--labels", description = ModelTasks.LABELS_HELP)
    String labels;

    @Option(names = "--min-area", defaultValue = "0.005",
            description = "Smallest connected region reported, as a fraction of the class map's pixels, in [0, 1) "
                    + "(default: ${DEFAULT-VALUE}).")
    double minArea;

    @Option(names = "--masks", paramLabel = "DIR",
            description = "Also write DIR/<image name>.mask.png: class colours over the picture, region boxes labeled.")
    Path masks;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files.")
    List<Path> images;

    @Override
    public Integer call() throws IOException {
        if (!(minArea >= 0 && minArea < 1)) {
            throw new IllegalArgumentException("--min-area must be in [0, 1), got " + minArea);
        }
        CompiledModel m = ModelTasks.segmenter(model, labels);
        if (masks != null) {
            System.setProperty("java.awt.headless", "true");
            Files.createDirectories(masks);
        }
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper json = new ObjectMapper();
        byte[][] pixels = {new byte[m.imageBytes()]};
        try (Segmenter s = new Segmenter(m, ClassifierOptions.defaults().withMaxBatch(1))) {
            for (Path image : images) {
                RgbImage img = ModelTasks.readInto(image, m.input(), null, pixels[0], 0);
                s.segment(pixels, 1);
                Segmentation seg = s.result(0, img.width(), img.height(), minArea, masks != null);
                ObjectNode line = json.createObjectNode();
                line.put("image", image.toString());
                line.put("width", img.width());
                line.put("height", img.height());
                line.put("model", m.graph().name());
                SegmentationJson.put(line, seg);
                out.println(json.writeValueAsString(line));
                out.flush();
                if (masks != null) {
                    ImageIO.write(MaskOverlay.render(img, seg), "png", maskFile(masks, image).toFile());
                }
            }
        }
        return 0;
    }

    /** DIR/&lt;image file name without extension&gt;.mask.png */
    static Path maskFile(Path dir, Path image) {
        String name = image.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        return dir.resolve(name + ".mask.png");
    }
}
