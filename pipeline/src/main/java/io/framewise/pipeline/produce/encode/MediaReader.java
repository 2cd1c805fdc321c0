package io.framewise.pipeline.produce.encode;

import java.io.IOException;

/** Pulls {@link MediaChunk}s out of a source, in presentation order. Not thread-safe. */
public interface MediaReader extends AutoCloseable {

    /** The next chunk, or {@code null} at the end of the source. */
    MediaChunk next() throws IOException;

    /** Frames per second of the chunks produced (after any rate cap), 0 when unknown. */
    double frameRate();

    /** True for sources that run on their own clock (cameras, streams): capture time is wall time. */
    boolean live();

    /** Frames the source will yield in one pass, or -1 when unknown (live sources, some containers). */
    long expectedFrames();

    @Override
    void close() throws IOException;
}
