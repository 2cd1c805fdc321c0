package io.framewise.inference.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.inference.SharedData;
import io.framewise.inference.model.Layer;
import io.framewise.inference.model.ModelGraph;
import io.framewise.inference.model.TensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the integer domain loads: which graphs get it, and that its numbers are XNNPACK's integers
 * (the class maps that follow from them are checked against TFLite in the segmentation ITs).
 */
class IntegerDomainTest {

    @ParameterizedTest
    @ValueSource(strings = {"deeplabv3_mnv2_pascal_quant.tflite", "deeplabv3_mnv2_dm05_pascal_quant.tflite"})
    void deepLabLoadsAsIntegers(String name) {
        ModelGraph g = TfliteModelLoader.load(SharedData.model(name));
        assertTrue(g.integerDomain(), name);
        assertEquals(1f, g.input().scale(), "pixels map to q - zero point");
        int convs = 0;
        int adds = 0;
        for (Layer l : g.layers()) {
            if (l instanceof Layer.Conv2D c) {
                convs++;
                assertTrue(c.requant() > 0 && c.requant() < 256, c + ": requantization scale");
                assertIntegers(c.weights(), 255, name + " weights");
                assertIntegers(c.bias(), 1 << 24, name + " bias");
                TensorInfo out = g.tensor(c.output());
                // the clamp is in accumulator units: the output's integer bounds over the scale
                assertEquals(out.hi(), Math.rint(c.hi() * c.requant()), 1e-3, c.opName() + " upper bound");
            } else if (l instanceof Layer.DepthwiseConv2D d) {
                assertTrue(d.requant() > 0, "depthwise requantization scale");
                assertIntegers(d.weights(), 255, name + " depthwise weights");
            } else if (l instanceof Layer.Add a) {
                adds++;
                assertTrue(a.shift() >= 12 && a.shift() <= 30, "XNNPACK's shift range, got " + a.shift());
                int larger = Math.max(a.aMultiplier(), a.bMultiplier());
                assertTrue(larger >= 1 << 20 && larger <= 1 << 21, "the larger multiplier has 21 bits: " + larger);
            }
        }
        assertEquals(38, convs, "CONV_2D layers");
        assertEquals(10, adds, "ADD layers");
        for (TensorInfo t : g.tensors()) {
            assertTrue(t.grid() == 1f || t.grid() == 0f, t.name() + " grid " + t.grid());
            assertEquals(Math.rint(t.lo()), t.lo(), t.name() + " lower bound is an integer");
        }
    }

    /** Classifiers end in a softmax over real scores: they stay real-valued. */
    @Test
    void classifiersStayReal() {
        ModelGraph g = TfliteModelLoader.load(SharedData.model("mobilenet_v2_1.0_224_quant.tflite"));
        assertFalse(g.integerDomain());
        assertTrue(g.input().scale() < 1f);
    }

    private static void assertIntegers(float[] values, float bound, String what) {
        for (float v : values) {
            if (v != Math.rint(v) || Math.abs(v) > bound) {
                throw new AssertionError(what + " hold " + v + ", not an integer within " + bound);
            }
        }
    }
}
