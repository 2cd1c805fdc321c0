package io.framewise.inference.tflite;

import java.nio.ByteBuffer;

/** schema.fbs {@code table ResizeBilinearOptions}: new_height, new_width (deprecated), align_corners, half_pixel_centers. */
public final class ResizeBilinearOptions extends FlatTable {

    public static ResizeBilinearOptions at(int pos, ByteBuffer bb) {
        ResizeBilinearOptions t = new ResizeBilinearOptions();
        t.bind(pos, bb);
        return t;
    }

    public boolean alignCorners() { return boolField(2); }
    public boolean halfPixelCenters() { return boolField(3); }
}
