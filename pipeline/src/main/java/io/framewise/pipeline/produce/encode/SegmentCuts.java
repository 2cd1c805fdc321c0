package io.framewise.pipeline.produce.encode;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a segmenting reader for a video source: remuxing the source's own H.264 packets when its
 * keyframes fall on the segment cuts (no quality loss, almost no CPU), re-encoding otherwise.
 */
public final class SegmentCuts {

    /** How segments are made. */
    public enum Mode { REMUX, REENCODE }

    private static final Logger LOG = LoggerFactory.getLogger(SegmentCuts.class);

    private SegmentCuts() {
    }

    /**
     * A cut is due when the elapsed time reaches the segment length, with half a frame of slack so
     * 25 frames at 12.5 fps (1.92 s + one 80 ms frame) make a 2 s segment despite timestamp rounding.
     */
    static boolean due(long elapsedMicros, long cutMicros, long frameMicros) {
        return elapsedMicros >= cutMicros - frameMicros / 2;
    }

    /** Chooses the mode: remux only for files (live streams cannot be scanned ahead). */
    public static Mode chooseMode(String location, SegmentOptions options) throws IOException {
        if (VideoSource.isUrl(location)) {
            return Mode.REENCODE;
        }
        double sourceFps;
        boolean h264;
        try (VideoSource s = VideoSource.open(location)) {
            sourceFps = s.frameRate();
            h264 = s.isH264();
        }
        if (!h264 || sourceFps <= 0 || options.maxFps() > 0 && options.maxFps() < sourceFps) {
            return Mode.REENCODE;
        }
        long frameMicros = Math.round(1_000_000.0 / sourceFps);
        KeyframeScan scan = KeyframeScan.of(location);
        boolean fits = scan.cutsOnKeyframes(options.cutMicros(), frameMicros);
        if (!fits) {
            LOG.info("{}: its {} keyframes do not fall on {} s cuts; re-encoding", location, scan.keyframes(),
                    options.seconds());
        }
        return fits ? Mode.REMUX : Mode.REENCODE;
    }

    /** Opens a reader in the mode {@link #chooseMode} picks. */
    public static MediaReader open(String location, SegmentOptions options) throws IOException {
        return open(location, options, chooseMode(location, options));
    }

    public static MediaReader open(String location, SegmentOptions options, Mode mode) throws IOException {
        return mode == Mode.REMUX ? new RemuxSegmenter(location, options) : new ReencodeSegmenter(location, options);
    }
}
