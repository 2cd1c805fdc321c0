package io.framewise.inference.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.inference.kernels.select.KernelSelection;
import io.framewise.inference.SharedData;
import io.framewise.inference.plan.PlanOptions;
import io.framewise.inference.tflite.TfliteModelLoader;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One 513x513 frame on 2 and 3 threads, split layer by layer (row bands of the convolutions, the dilated
 * depthwise layers and the fused resize + ARG_MAX), gives the class map of one thread, bit for bit; a
 * batch of 2 on 3 threads too.
 */
class SegmenterIntraOpTest {

    @ParameterizedTest
    @ValueSource(strings = {"deeplabv3_mnv2_pascal_quant.tflite", "deeplabv3_mnv2_dm05_pascal_quant.tflite"})
    void classMapsSplitOverThreadsAreBitIdentical(String name) throws Exception {
        CompiledModel m = CompiledModel.compile(TfliteModelLoader.load(SharedData.model(name)), Integer::toString,
                KernelSelection.get(), PlanOptions.defaults());
        byte[][] images = {
            SegmentationAgreementITCase.modelInput(SharedData.images().resolve("grace_hopper.bmp"), m),
            SegmentationAgreementITCase.modelInput(SharedData.images().resolve("segmentation/dog_segmentation.bmp"), m)
        };
        byte[][] single = maps(m, images, 1);
        Set<Byte> classes = new HashSet<>();
        for (byte b : single[0]) {
            classes.add(b);
        }
        assertTrue(classes.size() >= 2, "the photo has a person on a background: " + classes);
        for (int threads = 2; threads <= 3; threads++) {
            byte[][] split = maps(m, images, threads);
            for (int i = 0; i < single.length; i++) {
                assertArrayEquals(single[i], split[i], name + ", " + threads + " threads, map " + i);
            }
        }
    }

    /**
     * DeepLab's atrous blocks (dilation 2) fused over bands of rows give the unfused plan's class map,
     * and so do the plans that fuse everything and nothing; on one thread and split over two.
     */
    @Test
    void atrousBlocksFusedAndUnfusedGiveTheSameMap() throws Exception {
        String name = "deeplabv3_mnv2_pascal_quant.tflite";
        var graph = TfliteModelLoader.load(SharedData.model(name));
        CompiledModel never = CompiledModel.compile(graph, Integer::toString, KernelSelection.get(),
                PlanOptions.defaults().withFusion(PlanOptions.Fusion.NEVER));
        byte[][] images = {
            SegmentationAgreementITCase.modelInput(SharedData.images().resolve("grace_hopper.bmp"), never),
            SegmentationAgreementITCase.modelInput(SharedData.images().resolve("segmentation/dog_segmentation.bmp"), never)
        };
        byte[][] expected = maps(never, images, 1);
        for (PlanOptions.Fusion f : new PlanOptions.Fusion[] {PlanOptions.Fusion.AUTO, PlanOptions.Fusion.ALWAYS}) {
            CompiledModel m = CompiledModel.compile(graph, Integer::toString, KernelSelection.get(),
                    PlanOptions.defaults().withFusion(f));
            assertTrue(m.plan().steps().stream().anyMatch(s -> s.name().startsWith("B14 ") && s.name().contains(" fused")),
                    "B14 (dilation 2) is fused under " + f);
            for (int threads = 1; threads <= 2; threads++) {
                byte[][] got = maps(m, images, threads);
                for (int i = 0; i < got.length; i++) {
                    assertArrayEquals(expected[i], got[i], f + ", " + threads + " threads, map " + i);
                }
            }
        }
    }

    /**
     * The image-pooling branch folded into the 512→256 conv's per-image bias (the default) gives the
     * class maps of the plan that broadcasts it to 33×33 and concatenates; batch 1 and 2, on one thread
     * and split over two (each part folds its own bias).
     */
    @ParameterizedTest
    @ValueSource(strings = {"deeplabv3_mnv2_pascal_quant.tflite", "deeplabv3_mnv2_dm05_pascal_quant.tflite"})
    void imagePoolingFoldedIntoTheBiasGivesTheConcatenatedMap(String name) throws Exception {
        var graph = TfliteModelLoader.load(SharedData.model(name));
        CompiledModel plain = CompiledModel.compile(graph, Integer::toString, KernelSelection.get(),
                PlanOptions.defaults().withFoldImagePooling(false));
        CompiledModel folded = CompiledModel.compile(graph, Integer::toString, KernelSelection.get(),
                PlanOptions.defaults());
        assertTrue(folded.plan().steps().stream().anyMatch(s -> s.name().endsWith("(image pooling in the bias)")),
                "the default plan folds the image pooling");
        assertTrue(folded.plan().steps().stream().filter(s -> s.name().endsWith("(pixel 0)")).count() == 2,
                "the resize from 1x1 and the requantization after it compute pixel 0 only");
        assertTrue(plain.plan().steps().stream().anyMatch(s -> s.name().endsWith("CONCATENATION")),
                "without the fold the plan concatenates");
        byte[][] images = {
            SegmentationAgreementITCase.modelInput(SharedData.images().resolve("grace_hopper.bmp"), plain),
            SegmentationAgreementITCase.modelInput(SharedData.images().resolve("segmentation/dog_segmentation.bmp"), plain)
        };
        byte[][] expected = maps(plain, images, 1);
        for (int threads = 1; threads <= 2; threads++) {
            byte[][] got = maps(folded, images, threads);
            for (int i = 0; i < got.length; i++) {
                assertArrayEquals(expected[i], got[i], name + ", " + threads + " threads, map " + i);
            }
        }
    }

    /** Image 0 alone, then both as a batch of 2: below 3 threads, so split per layer. */
    private static byte[][] maps(CompiledModel m, byte[][] images, int threads) {
        try (Segmenter s = new Segmenter(m, ClassifierOptions.defaults().withMaxBatch(2).withThreads(threads))) {
            byte[] first = s.segment(images, 1)[0].clone();
            byte[][] r = s.segment(images, 2);
            return new byte[][] {first, r[0].clone(), r[1].clone()};
        }
    }
}
