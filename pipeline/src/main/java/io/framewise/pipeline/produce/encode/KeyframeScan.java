package io.framewise.pipeline.produce.encode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * Reads a file's video packets (no decoding: a few ms per minute of video) and decides whether the
 * existing keyframes sit exactly where the segment cuts fall, so segments can be remuxed unchanged.
 */
final class KeyframeScan {

    private record Pkt(long ptsMicros, boolean key) {
    }

    private final List<Pkt> packets;
    private final boolean ptsMonotonic;

    private KeyframeScan(List<Pkt> packets, boolean ptsMonotonic) {
        this.packets = packets;
        this.ptsMonotonic = ptsMonotonic;
    }

    static KeyframeScan of(String location) throws IOException {
        try (VideoSource s = VideoSource.open(location)) {
            AVRational tb = s.grabber().getFormatContext().streams(s.grabber().getVideoStream()).time_base();
            List<Pkt> list = new ArrayList<>();
            boolean monotonic = true;
            long first = Long.MIN_VALUE;
            long prev = Long.MIN_VALUE;
            AVPacket p;
            while ((p = s.grabVideoPacket()) != null) {
                long raw = p.pts() != avutil.AV_NOPTS_VALUE ? p.pts() : p.dts();
                if (raw == avutil.AV_NOPTS_VALUE) {
                    return new KeyframeScan(List.of(), false);
                }
                long us = micros(raw, tb);
                if (first == Long.MIN_VALUE) {
                    first = us;
                }
                monotonic &= us > prev;
                prev = us;
                list.add(new Pkt(us - first, (p.flags() & avcodec.AV_PKT_FLAG_KEY) != 0));
            }
            return new KeyframeScan(list, monotonic);
        }
    }

    static long micros(long ts, AVRational tb) {
        return avutil.av_rescale_q(ts, tb, avutil.av_make_q(1, 1_000_000));
    }

    /**
     * True when every point where a segment of {@code cutMicros} is due falls on a keyframe. Packets
     * must come in presentation order (no B-frame reordering): with reordering, the frames after a
     * cut in decode order could belong before it on screen.
     */
    boolean cutsOnKeyframes(long cutMicros, long frameMicros) {
        if (!ptsMonotonic || packets.isEmpty() || !packets.get(0).key()) {
            return false;
        }
        long segStart = packets.get(0).ptsMicros();
        for (int i = 1; i < packets.size(); i++) {
            Pkt p = packets.get(i);
            if (SegmentCuts.due(p.ptsMicros() - segStart, cutMicros, frameMicros)) {
                if (!p.key()) {
                    return false;
                }
                segStart = p.ptsMicros();
            }
        }
        return true;
    }

    int keyframes() {
        return (int) packets.stream().filter(Pkt::key).count();
    }
}
