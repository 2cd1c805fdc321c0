package io.framewise.operators.decode;

/**
 * One decoded frame, already resized for the model.
 *
 * @param rgb            // [outHeight][outWidth][3] RGB, row-major from the top-left pixel
 * @param outWidth       model input width
 * @param outHeight      model input height
 * @param sourceWidth    width of the decoded picture before resizing
 * @param sourceHeight   height of the decoded picture before resizing
 * @param ptsMs          presentation time: the record's capture ts plus the offset within the segment
 * @param index          0-based position within the record (always 0 for still images)
 * @param keyFrame       true for stills and for segment frames the codec flagged as keyframes
 */
public record DecodedFrame(byte[] rgb, int outWidth, int outHeight, int sourceWidth, int sourceHeight,
                           long ptsMs, int index, boolean keyFrame) {

    public DecodedFrame {
        if (rgb.length != outWidth * outHeight * 3) {
            throw new IllegalArgumentException("rgb holds " + rgb.length + " bytes, expected "
                    + outWidth + "x" + outHeight + "x3");
        }
    }
}
