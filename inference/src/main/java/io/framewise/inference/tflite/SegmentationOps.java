package io.framewise.inference.tflite;

import io.framewise.inference.model.Layer;
import io.framewise.inference.model.ModelFormatException;
import io.framewise.inference.model.TensorInfo;

import java.util.Arrays;

/**
 * The operators DeepLabV3 adds to a MobileNetV2 backbone: RESIZE_BILINEAR, CONCATENATION and ARG_MAX
 * (the atrous depthwise convolution and the requantizing QUANTIZE live in {@link OpConverter}).
 * Kept apart so the classifier operators' converter stays readable.
 */
final class SegmentationOps {

    /** Largest resize output side we accept: DeepLab's is 513; a larger one is a foreign or corrupt file. */
    private static final int MAX_RESIZE_SIDE = 8192;

    private SegmentationOps() {
    }

    static Layer resize(OpConverter c, GraphBuilder b, Operator op, int[] ins, int out, String where) {
        OpConverter.inputCount(ins, 2, 2, where);
        int in = b.activation(ins[0], where);
        int[] is = c.featureMap(in, where);
        int[] os = b.perImageShape(out, where);
        if (os.length != 3 || os[2] != is[2] || os[0] < 1 || os[1] < 1 || os[0] > MAX_RESIZE_SIDE
                || os[1] > MAX_RESIZE_SIDE) {
            throw new ModelFormatException(where + ": output shape " + Arrays.toString(os) + " for input "
                    + Arrays.toString(is));
        }
        int pos = c.options(op, BuiltinOptions.RESIZE_BILINEAR_OPTIONS, where);
        ResizeBilinearOptions o = ResizeBilinearOptions.at(pos, b.bytes());
        if (o.alignCorners() && o.halfPixelCenters()) {
            throw new ModelFormatException(where + ": align_corners and half_pixel_centers are exclusive");
        }
        TensorInfo ti = b.info(in);
        float[] r = b.representableRange(out, where);
        // Interpolation stays inside the input's range.
        float lo = Math.max(ti.lo(), r[0]);
        float hi = Math.min(ti.hi(), r[1]);
        int id = b.define(out, where, lo, hi);
        return new Layer.ResizeBilinear(in, id, o.alignCorners(), o.halfPixelCenters(), lo, hi);
    }

    static Layer concatenation(OpConverter c, GraphBuilder b, Operator op, int[] ins, int out, String where) {
        OpConverter.inputCount(ins, 1, 16, where);
        int pos = c.options(op, BuiltinOptions.CONCATENATION_OPTIONS, where);
        ConcatenationOptions o = ConcatenationOptions.at(pos, b.bytes());
        int[] ids = new int[ins.length];
        int channels = 0;
        int[] first = null;
        for (int k = 0; k < ins.length; k++) {
            ids[k] = b.activation(ins[k], where);
            int[] s = c.featureMap(ids[k], where);
            if (first == null) {
                first = s;
            } else if (s[0] != first[0] || s[1] != first[1]) {
                throw new ModelFormatException(where + ": inputs " + Arrays.toString(first) + " and "
                        + Arrays.toString(s) + " differ in H or W");
            }
            channels += s[2];
        }
        int axis = o.axis() < 0 ? o.axis() + 4 : o.axis();
        if (axis != 3) {
            throw new ModelFormatException(where + ": concatenation along axis " + o.axis()
                    + " is not supported; only channels (3)");
        }
        c.expectShape(out, new int[] {first[0], first[1], channels}, where);
        float[] clamp = c.clamp(o.fusedActivationFunction(), out, where);
        int id = b.define(out, where, clamp[0], clamp[1]);
        return new Layer.Concatenation(ids, id, clamp[0], clamp[1], "CONCATENATION");
    }

    static Layer argMax(OpConverter c, GraphBuilder b, TensorData data, Operator op, int[] ins, int out, String where) {
        OpConverter.inputCount(ins, 2, 2, where);
        int in = b.activation(ins[0], where);
        int[] is = c.featureMap(in, where);
        long[] axis = data.intConstant(ins[1], 1, where);
        if (axis.length != 1 || (axis[0] != 3 && axis[0] != -1)) {
            throw new ModelFormatException(where + ": ARG_MAX over axis " + Arrays.toString(axis)
                    + " is not supported; only channels (3)");
        }
        int type = data.type(out);
        if (type != TensorType.INT32 && type != TensorType.INT64) {
            throw new ModelFormatException(where + ": ARG_MAX output " + data.name(out) + " is "
                    + TensorType.name(type) + ", expected INT32 or INT64");
        }
        c.expectShape(out, new int[] {is[0], is[1]}, where);
        int id = b.define(out, where, 0f, is[2] - 1);
        return new Layer.ArgMax(in, id);
    }
}
