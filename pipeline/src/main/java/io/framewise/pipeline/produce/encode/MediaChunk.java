package io.framewise.pipeline.produce.encode;

import io.framewise.operators.frames.Codec;

/**
 * One unit of media ready to become one frame record: a still image or a self-contained video segment.
 *
 * @param bytes       the media bytes, exactly as they go on the wire
 * @param codec       what the bytes are, or {@code null} when unknown (the reader sniffs them)
 * @param ptsMicros   presentation time of the (first) frame relative to the source start, or
 *                    {@link #NO_PTS} when the source has no clock (e.g. an image folder without a rate)
 * @param frames      frames in the chunk: 1 for an image, N for a segment
 * @param durationMicros time the chunk covers (frames / fps), 0 when unknown
 * @param width       pixels, 0 when unknown (the producer never decodes folder images)
 * @param height      pixels, 0 when unknown
 */
public record MediaChunk(byte[] bytes, Codec codec, long ptsMicros, int frames, long durationMicros,
                         int width, int height) {

    public static final long NO_PTS = Long.MIN_VALUE;

    public boolean hasPts() {
        return ptsMicros != NO_PTS;
    }
}
