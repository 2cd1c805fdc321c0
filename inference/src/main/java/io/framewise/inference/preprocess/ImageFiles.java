package io.framewise.inference.preprocess;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decodes still images (BMP, JPEG, PNG) from files the way the shared TFLite reference did: the JDK's
 * javax.imageio readers, the raw 8-bit raster samples (no colour management, alpha dropped, grey
 * replicated). For the CLI and tests; the streaming job decodes with FFmpeg in {@code operators}.
 */
public final class ImageFiles {

    /** Largest image we agree to decode here (the raster would be allocated in full). */
    public static final long MAX_PIXELS = 64L << 20;

    private ImageFiles() {
    }

    public static RgbImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no image file at " + file);
        }
        return decode(Files.readAllBytes(file), file.toString());
    }

    public static RgbImage decode(byte[] bytes, String name) throws IOException {
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (RuntimeException e) {
            throw new IOException("cannot decode image " + name + ": " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IOException("not an image javax.imageio can read (BMP, JPEG, PNG, GIF): " + name);
        }
        int w = img.getWidth();
        int h = img.getHeight();
        if ((long) w * h > MAX_PIXELS) {
            throw new IOException("image " + name + " is " + w + "x" + h + ", over the limit of " + MAX_PIXELS + " pixels");
        }
        if (img.getColorModel() instanceof java.awt.image.IndexColorModel) {
            return fromPalette(img, w, h); // raster samples are palette indices, not colours
        }
        Raster r = img.getRaster();
        int bands = r.getNumBands();
        if (img.getColorModel().getPixelSize() / Math.max(bands, 1) > 8 && bands >= 1) {
            throw new IOException("image " + name + " has more than 8 bits per sample");
        }
        byte[] rgb = new byte[w * h * 3];
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            r.getPixels(0, y, w, 1, row);
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                int s = x * bands;
                if (bands >= 3) {
                    rgb[o] = (byte) row[s];
                    rgb[o + 1] = (byte) row[s + 1];
                    rgb[o + 2] = (byte) row[s + 2];
                } else {
                    byte g = (byte) row[s];
                    rgb[o] = g;
                    rgb[o + 1] = g;
                    rgb[o + 2] = g;
                }
            }
        }
        return new RgbImage(w, h, rgb);
    }

    private static RgbImage fromPalette(BufferedImage img, int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = img.getRGB(x, y);
                int o = (y * w + x) * 3;
                rgb[o] = (byte) (argb >> 16);
                rgb[o + 1] = (byte) (argb >> 8);
                rgb[o + 2] = (byte) argb;
            }
        }
        return new RgbImage(w, h, rgb);
    }
}
