package io.framewise.inference.preprocess;

/**
 * A decoded 8-bit image, RGB, packed {@code [H][W][3]}.
 */
public record RgbImage(int width, int height, byte[] pixels) {

    public RgbImage {
        if ((long) width * height * 3 != pixels.length) {
            throw new IllegalArgumentException("an RGB " + width + "x" + height + " image has "
                    + (long) width * height * 3 + " bytes, got " + pixels.length);
        }
    }
}
