package io.framewise.pipeline.cli;

import io.framewise.pipeline.produce.FrameRecordSender;
import io.framewise.pipeline.produce.ProduceLoop;
import io.framewise.pipeline.produce.ProduceStats;
import io.framewise.pipeline.produce.encode.MediaChunk;
import io.framewise.pipeline.produce.encode.MediaReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;

/**
 * The producer of {@code framewise produce}, callable from other commands (the demo): one source
 * onto one topic as one camera, with the same options, checks and record format, without the
 * command's terminal output.
 */
public final class SourceProducer implements AutoCloseable {

    /** What one source sent. */
    public record Result(String camera, long records, long frames, long bytes, double seconds) {
    }

    private final ProduceCommand options = new ProduceCommand();
    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile ProduceStats stats;
    private Records records = (seq, frames) -> { };

    /** Told of each record as it is handed to the sender, with its sequence number and frame count. */
    public interface Records {
        void sent(long seq, int frames);
    }

    /**
     * @param produceArgs the arguments {@code framewise produce} takes (SOURCE, --bootstrap, --camera, ...)
     * @throws CommandLine.ParameterException when they are invalid, as the command would report them
     */
    public SourceProducer(List<String> produceArgs) {
        new CommandLine(options).parseArgs(produceArgs.toArray(String[]::new));
    }

    /** Arguments for one camera; {@code extra} e.g. "--realtime" or "--limit", "100". */
    public static List<String> args(String source, String bootstrap, String topic, String camera, String format,
                                    int maxRecordBytes, Map<String, String> kafka, String... extra) {
        List<String> a = new ArrayList<>(List.of(source, "--bootstrap", bootstrap, "--topic", topic,
                "--camera", camera, "--format", format, "--max-record-bytes", Integer.toString(maxRecordBytes)));
        kafka.forEach((k, v) -> a.addAll(List.of("--kafka", k + "=" + v)));
        a.addAll(List.of(extra));
        return a;
    }

    /**
     * Reports every record to {@code listener} ({@code chaos} keeps its books per frame with it). The
     * loop numbers records 0, 1, 2, ... in the order the source yields them and sends each one it takes,
     * so counting the chunks the source hands out gives each record's sequence number.
     */
    public SourceProducer onRecord(Records listener) {
        this.records = listener;
        return this;
    }

    /** Sends the whole source (or until {@link #close()}); returns the counts once all was delivered. */
    public Result run() throws Exception {
        ProduceLoop.Opener plain = options.opener();
        long[] next = {0};
        ProduceLoop.Opener opener = () -> counted(plain.open(), next);
        try (FrameRecordSender sender = new FrameRecordSender(options.bootstrap, options.topic, options.camera,
                options.maxRecordBytes, options.kafka)) {
            sender.checkTopic(options.bootstrap);
            ProduceStats s = new ProduceStats(options.camera, -1, false);
            stats = s;
            try {
                new ProduceLoop(opener, sender, s, options.loop, options.limit, options.realtime, stop::get)
                        .run(opener.open());
            } finally {
                sender.flush();
                s.close();
            }
            return new Result(options.camera, s.records(), s.frames(), s.bytes(), s.seconds());
        }
    }

    private MediaReader counted(MediaReader r, long[] next) {
        return new MediaReader() {
            @Override
            public MediaChunk next() throws IOException {
                MediaChunk c = r.next();
                if (c != null) {
                    records.sent(next[0]++, c.frames());
                }
                return c;
            }

            @Override
            public double frameRate() {
                return r.frameRate();
            }

            @Override
            public boolean live() {
                return r.live();
            }

            @Override
            public long expectedFrames() {
                return r.expectedFrames();
            }

            @Override
            public void close() throws IOException {
                r.close();
            }
        };
    }

    /** Frames handed to Kafka so far (for progress; exact once {@link #run()} returned). */
    public long framesSent() {
        ProduceStats s = stats;
        return s == null ? 0 : s.frames();
    }

    /** Asks a running {@link #run()} to stop after the current record. */
    @Override
    public void close() {
        stop.set(true);
    }
}
