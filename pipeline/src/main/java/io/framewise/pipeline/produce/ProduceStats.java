package io.framewise.pipeline.produce;

import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Counts what was sent and shows it: a progress bar (frames, MB/s, elapsed) when a terminal is
 * attached, and always one summary line at the end.
 */
public final class ProduceStats implements AutoCloseable {

    private final long startNanos = System.nanoTime();
    private final ProgressBar bar;
    private long records;
    private long frames;
    private long bytes;

    /** @param expectedFrames the bar's length, -1 when unknown (live, looping, or limited) */
    public ProduceStats(String camera, long expectedFrames, boolean terminal) {
        this.bar = terminal ? new ProgressBarBuilder()
                .setTaskName(camera)
                .setInitialMax(expectedFrames)
                .setUnit(" frames", 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .build() : null;
    }

    void sent(int recordFrames, int recordBytes) {
        records++;
        frames += recordFrames;
        bytes += recordBytes;
        if (bar != null) {
            bar.stepBy(recordFrames);
            bar.setExtraMessage(String.format(Locale.ROOT, "%.2f MB/s", megabytes() / seconds()));
        }
    }

    public long records() {
        return records;
    }

    public long frames() {
        return frames;
    }

    public long bytes() {
        return bytes;
    }

    public double seconds() {
        return Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
    }

    private double megabytes() {
        return bytes / 1e6;
    }

    public String summary(String camera, String topic) {
        double s = seconds();
        return String.format(Locale.ROOT,
                "camera %s -> topic %s: %d records, %d frames, %.2f MB in %.2f s: %.1f records/s, %.2f MB/s",
                camera, topic, records, frames, megabytes(), s, records / s, megabytes() / s);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
