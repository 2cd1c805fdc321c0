package io.framewise.operators.frames;

import java.util.Locale;
import java.util.Optional;

/** Media kinds a frame record can carry, by their wire name in the {@code fw-codec} header. */
public enum Codec {
    JPEG("jpeg", true),
    PNG("png", true),
    BMP("bmp", true),
    RAW_RGB24("raw-rgb24", true),
    H264("h264", false),
    HEVC("hevc", false),
    MPEGTS("mpegts", false),
    MP4("mp4", false),
    MKV("mkv", false);

    private final String wireName;
    private final boolean stillImage;

    Codec(String wireName, boolean stillImage) {
        this.wireName = wireName;
        this.stillImage = stillImage;
    }

    public String wireName() {
        return wireName;
    }

    /** One record = one frame (true) or a segment of N frames (false). */
    public boolean isStillImage() {
        return stillImage;
    }

    public static Optional<Codec> fromWireName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Codec c : values()) {
            if (c.wireName.equals(n)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
