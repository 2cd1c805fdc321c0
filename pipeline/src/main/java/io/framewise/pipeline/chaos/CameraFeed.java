package io.framewise.pipeline.chaos;

import java.util.List;

/**
 * One camera's producer as a chaos run drives it: sends until closed, telling the books each record it
 * took. The CLI makes them from {@code framewise produce}'s loop and hands the factory in, so this
 * package does not depend on the CLI (which depends on it for {@code framewise chaos}).
 */
public interface CameraFeed extends AutoCloseable {

    /** Sends until {@link #close()} (or the source ends). */
    void run() throws Exception;

    /** Stops sending; {@link #run()} then returns once what was sent is delivered. */
    @Override
    void close();

    /** Hears each record: its sequence number and how many frames it holds. */
    @FunctionalInterface
    interface Records {
        void sent(long seq, int frames);
    }

    /** Opens the feed of one camera: {@code format} jpeg or segment, {@code extra} producer flags. */
    @FunctionalInterface
    interface Factory {
        CameraFeed open(String source, String bootstrap, String topic, String camera, String format, int maxRecordBytes,
                        List<String> extra, Records onRecord);
    }
}
