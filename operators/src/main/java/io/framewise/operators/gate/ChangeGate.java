package io.framewise.operators.gate;

import io.framewise.operators.records.GateReading;

/**
 * The change gate's arithmetic: a frame is reduced to a {@value #SIZE}x{@value #SIZE} grayscale
 * thumbnail (box average of the model-size RGB frame, luma {@code (77 R + 150 G + 29 B) / 256}) and
 * compared with the thumbnail of the camera's last inferred frame.
 *
 * <p>Two figures, both mean absolute differences on the 0..255 scale: over the whole thumbnail
 * ({@code difference}), and the largest over the {@value #GRID}x{@value #GRID} blocks of
 * {@value #BLOCK}x{@value #BLOCK} thumbnail pixels ({@code blockMax}, each block 1/64 of the picture).
 * A frame may be skipped only when both are below their thresholds and less than {@code maxSkipMs} of
 * event time passed since the last inferred frame. Pure integer arithmetic on the frame's pixels:
 * a replay decides exactly as the first run.
 */
public final class ChangeGate {

    public static final int SIZE = 32;
    public static final int GRID = 8;
    static final int BLOCK = SIZE / GRID;

    private final GateSettings settings;

    public ChangeGate(GateSettings settings) {
        this.settings = settings;
    }

    /** The gate's verdict: {@code skip} true when the frame need not be inferred. */
    public record Decision(boolean skip, GateReading reading) {
    }

    /**
     * Decides for a frame with thumbnail {@code thumb} at event time {@code ptsMs}, given the camera's
     * last inferred thumbnail and its time (null when none).
     */
    public Decision decide(byte[] thumb, long ptsMs, byte[] lastThumb, Long lastPtsMs) {
        if (lastThumb == null || lastPtsMs == null || ptsMs < lastPtsMs || ptsMs - lastPtsMs >= settings.maxSkipMs()) {
            return new Decision(false, null);
        }
        GateReading d = compare(thumb, lastThumb);
        boolean skip = d.difference() < settings.meanThreshold() && d.blockMax() < settings.blockThreshold();
        return new Decision(skip, d);
    }

    /** The grayscale thumbnail of an RGB frame ({@code [h][w][3]}). */
    public static byte[] thumbnail(byte[] rgb, int width, int height) {
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException(rgb.length + " bytes is not " + width + "x" + height + " RGB");
        }
        byte[] out = new byte[SIZE * SIZE];
        for (int ty = 0; ty < SIZE; ty++) {
            int y0 = ty * height / SIZE;
            int y1 = Math.max(y0 + 1, (ty + 1) * height / SIZE);
            for (int tx = 0; tx < SIZE; tx++) {
                int x0 = tx * width / SIZE;
                int x1 = Math.max(x0 + 1, (tx + 1) * width / SIZE);
                long sum = 0;
                for (int y = y0; y < y1; y++) {
                    int p = (y * width + x0) * 3;
                    for (int x = x0; x < x1; x++, p += 3) {
                        sum += 77 * (rgb[p] & 0xff) + 150 * (rgb[p + 1] & 0xff) + 29 * (rgb[p + 2] & 0xff);
                    }
                }
                long n = (long) (y1 - y0) * (x1 - x0) * 256;
                out[ty * SIZE + tx] = (byte) ((sum + n / 2) / n);
            }
        }
        return out;
    }

    public static GateReading compare(byte[] a, byte[] b) {
        long total = 0;
        long maxBlock = 0;
        for (int by = 0; by < GRID; by++) {
            for (int bx = 0; bx < GRID; bx++) {
                long block = 0;
                for (int y = by * BLOCK; y < (by + 1) * BLOCK; y++) {
                    for (int x = bx * BLOCK; x < (bx + 1) * BLOCK; x++) {
                        block += Math.abs((a[y * SIZE + x] & 0xff) - (b[y * SIZE + x] & 0xff));
                    }
                }
                total += block;
                maxBlock = Math.max(maxBlock, block);
            }
        }
        return new GateReading((double) total / (SIZE * SIZE), (double) maxBlock / (BLOCK * BLOCK));
    }
}
