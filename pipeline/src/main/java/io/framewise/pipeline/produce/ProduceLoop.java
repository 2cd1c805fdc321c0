package io.framewise.pipeline.produce;

import io.framewise.pipeline.produce.encode.MediaChunk;
import io.framewise.pipeline.produce.encode.MediaReader;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Pulls chunks from a source and sends them: assigns sequence numbers and capture timestamps,
 * restarts the source for {@code --loop}, stops at {@code --limit}, and paces to the source clock
 * for {@code --realtime}.
 *
 * <p>Capture time: for live sources the wall clock when the record's last frame arrived, minus the
 * time its earlier frames span; for files the start time plus the presentation time, so a 12.5 fps
 * file yields timestamps exactly 80 ms apart however fast it is read. Each loop pass continues the
 * clock where the previous one ended.
 */
public final class ProduceLoop {

    /** Opens the source afresh (for the first pass and each loop). */
    public interface Opener {
        MediaReader open() throws IOException;
    }

    private final Opener opener;
    private final FrameRecordSender sender;
    private final ProduceStats stats;
    private final boolean loop;
    private final long limit;
    private final boolean realtime;
    private final BooleanSupplier stopRequested;

    public ProduceLoop(Opener opener, FrameRecordSender sender, ProduceStats stats, boolean loop, long limit,
                boolean realtime, BooleanSupplier stopRequested) {
        this.opener = opener;
        this.sender = sender;
        this.stats = stats;
        this.loop = loop;
        this.limit = limit;
        this.realtime = realtime;
        this.stopRequested = stopRequested;
    }

    public void run(MediaReader first) throws IOException, InterruptedException {
        long startMillis = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        long passOffsetMicros = 0;
        long seq = 0;
        MediaReader reader = first;
        try {
            while (true) {
                long passEndMicros = 0;
                long passRecords = 0;
                MediaChunk c;
                while (!done(seq) && (c = reader.next()) != null) {
                    long ts;
                    if (!reader.live() && c.hasPts()) {
                        long pts = passOffsetMicros + c.ptsMicros();
                        if (realtime) {
                            // A record is ready when its last frame would have been captured.
                            pace(startNanos, pts + Math.max(0, c.durationMicros() - frameMicros(reader)));
                        }
                        ts = startMillis + pts / 1000;
                        passEndMicros = Math.max(passEndMicros, c.ptsMicros() + c.durationMicros());
                    } else {
                        ts = System.currentTimeMillis()
                                - Math.max(0, c.durationMicros() - frameMicros(reader)) / 1000;
                    }
                    sender.send(c, seq, ts, reader.frameRate());
                    stats.sent(c.frames(), c.bytes().length);
                    seq++;
                    passRecords++;
                }
                if (!loop || done(seq) || passRecords == 0) {
                    return;
                }
                passOffsetMicros += passEndMicros;
                reader.close();
                reader = opener.open();
            }
        } finally {
            reader.close();
        }
    }

    private boolean done(long seq) {
        return limit > 0 && seq >= limit || stopRequested.getAsBoolean();
    }

    private static long frameMicros(MediaReader r) {
        return r.frameRate() > 0 ? Math.round(1_000_000.0 / r.frameRate()) : 0;
    }

    private void pace(long startNanos, long dueMicros) throws InterruptedException {
        long waitNanos = startNanos + TimeUnit.MICROSECONDS.toNanos(dueMicros) - System.nanoTime();
        while (waitNanos > 0 && !stopRequested.getAsBoolean()) {
            TimeUnit.NANOSECONDS.sleep(Math.min(waitNanos, 200_000_000L));
            waitNanos = startNanos + TimeUnit.MICROSECONDS.toNanos(dueMicros) - System.nanoTime();
        }
    }
}
