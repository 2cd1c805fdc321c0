package io.framewise.inference.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.inference.SharedData;
import io.framewise.inference.tflite.TfliteModelLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelSummaryTest {

    /**
     * Totals against the published figures (MobileNetV2 paper: 300M multiply-adds, 3.4M parameters;
     * MobileNetV1 table for 0.25/128 and 0.5/160), and tight bounds around what the files really hold.
     */
    @ParameterizedTest
    @CsvSource({
        // file, published MACs, published params, measured MACs, measured params
        "mobilenet_v2_1.0_224_quant.tflite, 300e6, 3.4e6, 300775552, 3489097",
        "tf2_mobilenet_v2_1.0_224_ptq.tflite, 300e6, 3.4e6, 300775552, 3489097",
        "mobilenet_v1_0.25_128_quant.tflite, 14e6, 0.47e6, 13570304, 467593",
        "mobilenet_v1_0.5_160_quant.tflite, 77e6, 1.32e6, 76525312, 1326633",
    })
    void totalsMatchThePapers(String file, double publishedMacs, double publishedParams, long macs, long params) {
        ModelSummary s = ModelSummary.of(TfliteModelLoader.load(SharedData.model(file)));
        assertEquals(publishedMacs, s.totalMacs(), 0.035 * publishedMacs, "MACs");
        assertEquals(publishedParams, s.totalParams(), 0.035 * publishedParams, "params");
        assertEquals(macs, s.totalMacs(), 0.001 * macs);
        assertEquals(params, s.totalParams(), 0.001 * params);
    }

    @Test
    void separablePairsAgreeWithTheClosedForm() {
        ModelGraph g = TfliteModelLoader.load(SharedData.model("mobilenet_v2_1.0_224_quant.tflite"));
        ModelSummary s = ModelSummary.of(g);
        assertEquals(17, s.pairs().size());
        for (ModelSummary.SeparablePair p : s.pairs()) {
            assertEquals(3, p.kernel());
            assertEquals(p.closedForm(), p.ratio(), 1e-12, "pair at " + p.depthwiseIndex());
            assertEquals(1.0 / p.outChannels() + 1.0 / 9, p.closedForm(), 1e-15);
            Layer.Conv2D pw = (Layer.Conv2D) g.layers().get(p.pointwiseIndex());
            assertEquals(pw.cout(), p.outChannels());
        }
        // The first pair of V2: 112x112x32 -> dw 3x3 -> pw 1x1 -> 16 channels.
        ModelSummary.SeparablePair first = s.pairs().get(0);
        assertEquals(112L * 112 * 32 * 9 + 112L * 112 * 32 * 16, first.separableMacs());
        assertEquals(112L * 112 * 16 * 9 * 32, first.standardMacs());
        ModelSummary v1 = ModelSummary.of(TfliteModelLoader.load(SharedData.model("mobilenet_v1_0.25_128_quant.tflite")));
        assertEquals(13, v1.pairs().size());
    }

    @Test
    void rowsCoverEveryLayerWithShapesAndCosts() {
        ModelGraph g = TfliteModelLoader.load(SharedData.model("mobilenet_v1_0.25_128_quant.tflite"));
        ModelSummary s = ModelSummary.of(g);
        assertEquals(g.layers().size(), s.rows().size());
        ModelSummary.Row stem = s.rows().get(0);
        assertEquals("CONV_2D", stem.type());
        assertEquals(8 * 3 * 3 * 3 + 8, stem.params());
        assertEquals(64L * 64 * 8 * 27, stem.macs());
        ModelSummary.Row dw = s.rows().get(1);
        assertEquals(3 * 3 * 8 + 8, dw.params());
        assertEquals(64L * 64 * 8 * 9, dw.macs());
        long sumMacs = s.rows().stream().mapToLong(ModelSummary.Row::macs).sum();
        assertEquals(sumMacs, s.totalMacs());
        String text = s.format();
        System.out.println(text);
        assertTrue(text.contains("13,570,304 multiply-adds"), text);
        assertTrue(text.contains("467,593 parameters"), text);
        assertTrue(text.contains("AVERAGE_POOL_2D"), text);
        assertTrue(text.contains("1/n'+1/f^2"), text);
        assertEquals(2 + g.layers().size() + 3 + s.pairs().size() + 2, text.split("\n").length);
    }
}
