package io.framewise.pipeline.produce.encode;

import io.framewise.operators.frames.Codec;
import java.io.IOException;
import org.bytedeco.javacv.Frame;

/** Decodes every video frame (after an optional rate cap) and re-encodes it as one JPEG chunk. */
public final class JpegFrameReader implements MediaReader {

    private final VideoSource source;
    private final JpegEncoder encoder;
    private final FrameSampler sampler;
    private final double fps;
    private final long frameMicros;

    /** @param maxFps rate cap, 0 for the source rate */
    public JpegFrameReader(String location, int quality, double maxFps) throws IOException {
        this.encoder = new JpegEncoder(quality);
        this.source = VideoSource.open(location);
        this.sampler = new FrameSampler(maxFps);
        this.fps = FrameSampler.effectiveRate(source.frameRate(), maxFps);
        this.frameMicros = fps > 0 ? Math.round(1_000_000.0 / fps) : 0;
    }

    @Override
    public MediaChunk next() throws IOException {
        Frame f;
        while ((f = source.grabImage()) != null) {
            long pts = source.relativeMicros(f);
            if (sampler.keep(pts)) {
                return new MediaChunk(encoder.encode(f), Codec.JPEG, pts, 1, frameMicros,
                        f.imageWidth, f.imageHeight);
            }
        }
        return null;
    }

    @Override
    public double frameRate() {
        return fps;
    }

    @Override
    public boolean live() {
        return source.live();
    }

    @Override
    public long expectedFrames() {
        return FrameSampler.expectedFrames(source.lengthInFrames(), source.frameRate(), fps);
    }

    @Override
    public void close() {
        encoder.close();
        source.close();
    }
}
