package io.framewise.operators.decode;

/**
 * Bounds a decoder enforces before it spends memory on a record.
 *
 * @param maxEncodedBytes       largest accepted record value
 * @param maxWidth              largest accepted picture width
 * @param maxHeight             largest accepted picture height
 * @param maxPixels             largest accepted width*height (a 8192x8192 frame is allowed by the side
 *                              limits but not by this one: 40 Mpixel is ~120 MB of RGB)
 * @param maxFramesPerSegment   most frames one segment record may hold
 */
public record DecodeLimits(int maxEncodedBytes, int maxWidth, int maxHeight, long maxPixels, int maxFramesPerSegment) {

    public static final DecodeLimits DEFAULTS = new DecodeLimits(16 << 20, 8192, 8192, 40_000_000L, 600);

    public DecodeLimits {
        if (maxEncodedBytes <= 0 || maxWidth <= 0 || maxHeight <= 0 || maxPixels <= 0 || maxFramesPerSegment <= 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxEncodedBytes + ", " + maxWidth + "x"
                    + maxHeight + ", " + maxPixels + " px, " + maxFramesPerSegment + " frames");
        }
    }

    public DecodeLimits withMaxEncodedBytes(int v) {
        return new DecodeLimits(v, maxWidth, maxHeight, maxPixels, maxFramesPerSegment);
    }

    public DecodeLimits withMaxSize(int w, int h, long pixels) {
        return new DecodeLimits(maxEncodedBytes, w, h, pixels, maxFramesPerSegment);
    }

    public DecodeLimits withMaxFramesPerSegment(int v) {
        return new DecodeLimits(maxEncodedBytes, maxWidth, maxHeight, maxPixels, v);
    }

    /** Null when the size is within limits, else why not. */
    String sizeViolation(long width, long height) {
        if (width <= 0 || height <= 0) {
            return "non-positive size " + width + "x" + height;
        }
        if (width > maxWidth || height > maxHeight) {
            return "size " + width + "x" + height + " over the limit " + maxWidth + "x" + maxHeight;
        }
        if (width * height > maxPixels) {
            return "size " + width + "x" + height + " = " + width * height + " pixels over the limit " + maxPixels;
        }
        return null;
    }
}
