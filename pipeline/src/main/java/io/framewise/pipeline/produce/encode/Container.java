package io.framewise.pipeline.produce.encode;

import io.framewise.operators.frames.Codec;
import java.util.Locale;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/** Output containers for video segments; each segment is a complete, independently playable file. */
public enum Container {
    MPEGTS("mpegts", Codec.MPEGTS),
    /** Fragmented MP4: the muxer writes to a stream and cannot seek back to patch a moov atom. */
    MP4("mp4", Codec.MP4),
    MKV("matroska", Codec.MKV);

    private final String ffmpegFormat;
    private final Codec codec;

    Container(String ffmpegFormat, Codec codec) {
        this.ffmpegFormat = ffmpegFormat;
        this.codec = codec;
    }

    public Codec codec() {
        return codec;
    }

    /** Parses the CLI spelling: {@code mpegts}, {@code ts}, {@code mp4}, {@code mkv}, {@code matroska}. */
    public static Container parse(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "mpegts":
            case "ts":
                return MPEGTS;
            case "mp4":
                return MP4;
            case "mkv":
            case "matroska":
                return MKV;
            default:
                throw new IllegalArgumentException("unknown container '" + s + "' (expected mpegts, mp4 or mkv)");
        }
    }

    void configure(FFmpegFrameRecorder recorder) {
        recorder.setFormat(ffmpegFormat);
        if (this == MP4) {
            recorder.setOption("movflags", "frag_keyframe+empty_moov+default_base_moof");
        }
    }
}
