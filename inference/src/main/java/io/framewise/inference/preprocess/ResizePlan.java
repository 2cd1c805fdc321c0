package io.framewise.inference.preprocess;

import java.nio.ByteBuffer;

/**
 * Bilinear resize with half-pixel centres from an 8-bit, 3-channel image to the model's input size,
 * for one fixed geometry (source size, crop box, output size): the per-column and per-row source
 * indices and weights are computed once, so per-frame work is only the interpolation.
 *
 * <p>The recipe is the one {@code ../shared/reference/tflite-top5.json} was produced with, bit for bit:
 * {@code src = (dst + 0.5) * in / out - 0.5}; {@code x0 = floor(src)}, {@code x1 = x0 + 1}, both
 * clamped to [0, in - 1]; {@code w = src - floor(src)}; {@code v = lerp_y(lerp_x(...))} in double
 * precision with {@code lerp(a, b, w) = a * (1 - w) + b * w}; rounded as {@code floor(v + 0.5)}. No
 * antialiasing.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ResizePlan {

    private final int srcWidth;
    private final int srcHeight;
    private final int outWidth;
    private final int outHeight;
    private final boolean swapRedBlue;
    private final int[] x0; // [outWidth] source column of the left neighbour, already clamped
    private final int[] x1; // [outWidth]
    private final double[] wx; // [outWidth]
    private final int[] y0; // [outHeight]
    private final int[] y1; // [outHeight]
    private final double[] wy; // [outHeight]

    private ResizePlan(int srcWidth, int srcHeight, int cropX, int cropY, int cropW, int cropH,
                       int outWidth, int outHeight, boolean swapRedBlue) {
        this.srcWidth = srcWidth;
        this.srcHeight = srcHeight;
        this.outWidth = outWidth;
        this.outHeight = outHeight;
        this.swapRedBlue = swapRedBlue;
        this.x0 = new int[outWidth];
        this.x1 = new int[outWidth];
        this.wx = new double[outWidth];
        this.y0 = new int[outHeight];
        this.y1 = new int[outHeight];
        this.wy = new double[outHeight];
        axis(cropX, cropW, outWidth, x0, x1, wx);
        axis(cropY, cropH, outHeight, y0, y1, wy);
    }

    private static void axis(int start, int in, int out, int[] i0, int[] i1, double[] w) {
        double scale = (double) in / out;
        for (int d = 0; d < out; d++) {
            double src = (d + 0.5) * scale - 0.5;
            double fl = Math.floor(src);
            int a = (int) fl;
            int b = a + 1;
            i0[d] = start + Math.min(Math.max(a, 0), in - 1);
            i1[d] = start + Math.min(Math.max(b, 0), in - 1);
            w[d] = src - fl;
        }
    }

    /** Whole image, stretched to the output size (the reference's "full" variant). */
    public static ResizePlan full(int srcWidth, int srcHeight, int outWidth, int outHeight) {
        return new ResizePlan(check(srcWidth, srcHeight, outWidth, outHeight), srcHeight, 0, 0, srcWidth, srcHeight,
                outWidth, outHeight, false);
    }

    /**
     * Central crop keeping {@code fraction} of each side ({@code tf.image.central_crop} arithmetic:
     * {@code top = int((H - fraction*H) / 2)}, crop height {@code H - 2*top}), then resized.
     */
    public static ResizePlan centralCrop(int srcWidth, int srcHeight, double fraction, int outWidth, int outHeight) {
        check(srcWidth, srcHeight, outWidth, outHeight);
        if (!(fraction > 0.0 && fraction <= 1.0)) {
            throw new IllegalArgumentException("crop fraction must be in (0, 1], got " + fraction);
        }
        int top = (int) ((srcHeight - fraction * srcHeight) / 2);
        int left = (int) ((srcWidth - fraction * srcWidth) / 2);
        return new ResizePlan(srcWidth, srcHeight, left, top, srcWidth - 2 * left, srcHeight - 2 * top,
                outWidth, outHeight, false);
    }

    /** The same geometry reading BGR input (FFmpeg's and OpenCV's default) and writing RGB. */
    public ResizePlan fromBgr() {
        return new ResizePlan(this, true);
    }

    private ResizePlan(ResizePlan o, boolean swap) {
        this.srcWidth = o.srcWidth;
        this.srcHeight = o.srcHeight;
        this.outWidth = o.outWidth;
        this.outHeight = o.outHeight;
        this.swapRedBlue = swap;
        this.x0 = o.x0;
        this.x1 = o.x1;
        this.wx = o.wx;
        this.y0 = o.y0;
        this.y1 = o.y1;
        this.wy = o.wy;
    }

    private static int check(int srcWidth, int srcHeight, int outWidth, int outHeight) {
        if (srcWidth <= 0 || srcHeight <= 0 || outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("sizes must be positive: source " + srcWidth + "x" + srcHeight
                    + ", output " + outWidth + "x" + outHeight);
        }
        return srcWidth;
    }

    public int srcWidth() {
        return srcWidth;
    }

    public int srcHeight() {
        return srcHeight;
    }

    public int outWidth() {
        return outWidth;
    }

    public int outHeight() {
        return outHeight;
    }

    /** Bytes one output image takes: {@code outHeight * outWidth * 3}. */
    public int outputBytes() {
        return outHeight * outWidth * 3;
    }

    /** Resizes a packed {@code [H][W][3]} byte image. */
    public void resize(byte[] src, byte[] dst, int dstOff) {
        resize(ByteBuffer.wrap(src), 0, srcWidth * 3, dst, dstOff);
    }

    /**
     * Resizes from a buffer with a row stride (FFmpeg frames have padded lines).
     *
     * @param src       pixels, row {@code y} starts at {@code srcOff + y * srcStride}; 3 bytes a pixel
     * @param dst       {@code [outHeight][outWidth][3]} RGB at {@code dstOff}
     */
    public void resize(ByteBuffer src, int srcOff, int srcStride, byte[] dst, int dstOff) {
        if (srcStride < srcWidth * 3) {
            throw new IllegalArgumentException("row stride " + srcStride + " < width*3 = " + srcWidth * 3);
        }
        long needed = srcOff + (long) (srcHeight - 1) * srcStride + srcWidth * 3L;
        if (needed > src.limit()) {
            throw new IllegalArgumentException("source buffer holds " + src.limit() + " bytes, a "
                    + srcWidth + "x" + srcHeight + " image with stride " + srcStride + " needs " + needed);
        }
        if (dstOff + outputBytes() > dst.length) {
            throw new IllegalArgumentException("destination too small");
        }
        int rOut = swapRedBlue ? 2 : 0;
        int bOut = swapRedBlue ? 0 : 2;
        int o = dstOff;
        for (int dy = 0; dy < outHeight; dy++) {
            int row0 = srcOff + y0[dy] * srcStride;
            int row1 = srcOff + y1[dy] * srcStride;
            double fy = wy[dy];
            for (int dx = 0; dx < outWidth; dx++) {
                int c0 = x0[dx] * 3;
                int c1 = x1[dx] * 3;
                double fx = wx[dx];
                for (int ch = 0; ch < 3; ch++) {
                    double top = lerp(src.get(row0 + c0 + ch) & 0xFF, src.get(row0 + c1 + ch) & 0xFF, fx);
                    double bottom = lerp(src.get(row1 + c0 + ch) & 0xFF, src.get(row1 + c1 + ch) & 0xFF, fx);
                    double v = lerp(top, bottom, fy);
                    int target = ch == 0 ? rOut : ch == 2 ? bOut : 1;
                    dst[o + target] = (byte) (int) Math.floor(v + 0.5);
                }
                o += 3;
            }
        }
    }

    /** This form, not {@code a + (b - a) * w}: the two round differently and only this one matches the reference. */
    private static double lerp(double a, double b, double w) {
        return a * (1 - w) + b * w;
    }
}
