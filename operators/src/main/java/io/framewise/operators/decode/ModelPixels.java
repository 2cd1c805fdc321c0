package io.framewise.operators.decode;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;

import io.framewise.inference.preprocess.ResizePlan;
import io.framewise.operators.records.DeadLetterReason;
import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Turns a decoded {@link AVFrame} into the model's input: packed RGB at the source size (sws_scale
 * colour conversion only, no scaling), then {@link ResizePlan} to the model size — the same resize
 * classify applies to decoded RGB, so the pixels are bit-identical to it.
 *
 * <p>RGB24 and BGR24 frames (PNG, BMP) skip sws_scale: the plan reads them in place with the
 * frame's line stride. The {@code SwsContext}, the RGB buffer and the plan are cached per source
 * geometry and pixel format. Not thread-safe; owned by one decoder.
 */
final class ModelPixels implements AutoCloseable {

    private static final int STRIDE_ALIGN = 64;
    // The flags JavaCV's grabber uses: the SIMD fast path. ACCURATE_RND|FULL_CHR_H_INT was measured
    // at ~3x the cost of the whole decode (2.0 vs 0.7 ms per 768x432 frame) for < 1 level difference.
    private static final int SWS_FLAGS = SWS_BILINEAR;

    private final int outWidth;
    private final int outHeight;

    private SwsContext sws;
    private BytePointer rgb; // [srcHeight][rgbStride] RGB24 at the source size
    private int rgbStride;
    // sws_scale writes up to 4 planes: 1-element arrays here crash the JVM (stack-notes).
    private final PointerPointer<BytePointer> dstData = new PointerPointer<>(4);
    private final IntPointer dstStride = new IntPointer(4);

    private ResizePlan plan;
    private ResizePlan planBgr;

    ModelPixels(int outWidth, int outHeight) {
        if (outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("model input size must be positive: " + outWidth + "x" + outHeight);
        }
        this.outWidth = outWidth;
        this.outHeight = outHeight;
    }

    int outWidth() {
        return outWidth;
    }

    int outHeight() {
        return outHeight;
    }

    /** Resizes the frame into a new {@code [outHeight][outWidth][3]} RGB array. */
    byte[] toModelRgb(AVFrame frame) throws DecodeException {
        int w = frame.width();
        int h = frame.height();
        int fmt = frame.format();
        byte[] out = new byte[outHeight * outWidth * 3];
        ResizePlan p = planFor(w, h);
        int linesize = frame.linesize(0);
        if ((fmt == AV_PIX_FMT_RGB24 || fmt == AV_PIX_FMT_BGR24) && linesize >= w * 3) {
            ByteBuffer src = frame.data(0).capacity((long) linesize * h).asByteBuffer();
            (fmt == AV_PIX_FMT_BGR24 ? planBgr : p).resize(src, 0, linesize, out, 0);
            return out;
        }
        sws = swscale.sws_getCachedContext(sws, w, h, fmt, w, h, AV_PIX_FMT_RGB24,
                SWS_FLAGS, null, null, (DoublePointer) null);
        if (sws == null) {
            throw new DecodeException(DeadLetterReason.DECODER_ERROR, "sws_getCachedContext failed for pixel format "
                    + fmt + " " + w + "x" + h);
        }
        ensureRgb(w, h);
        int lines = swscale.sws_scale(sws, frame.data(), frame.linesize(), 0, h, dstData, dstStride);
        if (lines != h) {
            throw new DecodeException(DeadLetterReason.DECODER_ERROR, "sws_scale converted " + lines + " of " + h + " lines");
        }
        p.resize(rgb.position(0).asByteBuffer(), 0, rgbStride, out, 0);
        return out;
    }

    /** Resizes a packed {@code [h][w][3]} RGB array (raw-rgb24 records). */
    byte[] toModelRgb(byte[] packedRgb, int w, int h) {
        byte[] out = new byte[outHeight * outWidth * 3];
        planFor(w, h).resize(packedRgb, out, 0);
        return out;
    }

    private ResizePlan planFor(int w, int h) {
        if (plan == null || plan.srcWidth() != w || plan.srcHeight() != h) {
            plan = ResizePlan.full(w, h, outWidth, outHeight);
            planBgr = plan.fromBgr();
        }
        return plan;
    }

    private void ensureRgb(int w, int h) {
        int stride = (w * 3 + STRIDE_ALIGN - 1) / STRIDE_ALIGN * STRIDE_ALIGN;
        long bytes = (long) stride * h;
        if (rgb == null || rgb.capacity() < bytes || rgbStride != stride) {
            if (rgb != null) {
                rgb.close();
            }
            rgb = new BytePointer(bytes);
            rgbStride = stride;
        }
        rgb.limit(bytes);
        dstData.put(0, rgb);
        dstStride.put(0, stride);
    }

    @Override
    public void close() {
        if (sws != null) {
            swscale.sws_freeContext(sws);
            sws = null;
        }
        if (rgb != null) {
            rgb.close();
            rgb = null;
        }
        dstData.close();
        dstStride.close();
    }
}
