package io.framewise.pipeline.loadtest;

import io.framewise.operators.frames.Codec;
import io.framewise.pipeline.produce.FrameRecordSender;
import io.framewise.pipeline.produce.encode.MediaChunk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Many cameras from one thread and one Kafka producer: a thousand cameras as a thousand producers
 * (the small fleet's way, one {@code SourceProducer} each) would be a thousand threads and buffers on
 * the machine under test. Each camera loops one pre-encoded clip at the same frame rate, round-robin,
 * so the fleet sends {@code active × fps} frames per second in all.
 *
 * <p>Churn: every {@code churnSeconds} the oldest {@code churnFraction} of the active cameras stop for
 * good and as many new ones (new ids, sequence from 0) start, as cameras come and go in a real
 * deployment. That is what makes per-camera keyed state grow unless it expires: the soak watches it.
 */
public final class CameraFleet implements AutoCloseable {

    private static final class Camera {
        final String id;
        final List<byte[]> clip;
        int position;
        long seq;

        Camera(String id, List<byte[]> clip) {
            this.id = id;
            this.clip = clip;
        }
    }

    private final FrameRecordSender sender;
    private final List<List<byte[]>> clips;
    private final double fpsPerCamera;
    private final double churnSeconds;
    private final double churnFraction;
    private final Deque<Camera> active = new ArrayDeque<>(); // send order (round-robin); only the sender thread touches it once started
    private final Map<String, AtomicLong> sent = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong retired = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;
    private int nextId = 1;

    /**
     * @param clipFolders folders of JPEG files ({@link PreEncodedClips}), camera i loops folder i mod n
     */
    public CameraFleet(String bootstrap, String topic, int maxRecordBytes, Map<String, String> kafka,
                       List<Path> clipFolders, int cameras, double fpsPerCamera, double churnSeconds,
                       double churnFraction) throws IOException {
        if (cameras < 1 || fpsPerCamera <= 0 || churnSeconds < 0 || churnFraction < 0 || churnFraction > 1) {
            throw new IllegalArgumentException("cameras >= 1, fps > 0, churn seconds >= 0, churn fraction in [0, 1]");
        }
        this.clips = new ArrayList<>();
        for (Path folder : clipFolders) {
            clips.add(readFolder(folder));
        }
        this.fpsPerCamera = fpsPerCamera;
        this.churnSeconds = churnSeconds;
        this.churnFraction = churnFraction;
        for (int i = 0; i < cameras; i++) {
            add();
        }
        this.sender = new FrameRecordSender(bootstrap, topic, "fleet", maxRecordBytes, kafka);
        sender.checkTopic(bootstrap);
        this.thread = new Thread(this::loop, "loadtest-fleet");
        thread.setDaemon(true);
        thread.start();
    }

    private static List<byte[]> readFolder(Path folder) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.sorted().toList()) {
                frames.add(Files.readAllBytes(p));
            }
        }
        if (frames.isEmpty()) {
            throw new IOException("no frames in " + folder);
        }
        return frames;
    }

    private void add() {
        String id = "cam-" + nextId;
        active.addLast(new Camera(id, clips.get((nextId - 1) % clips.size())));
        sent.put(id, new AtomicLong());
        nextId++;
    }

    private void loop() {
        try {
            int n = active.size();
            double rate = n * fpsPerCamera;
            long start = System.nanoTime();
            long nextChurn = churnSeconds > 0 ? start + (long) (churnSeconds * 1e9) : Long.MAX_VALUE;
            long k = 0;
            while (running) {
                long due = start + (long) (k / rate * 1e9);
                long now = System.nanoTime();
                if (due > now) {
                    Thread.sleep((due - now) / 1_000_000, (int) ((due - now) % 1_000_000));
                    continue;
                }
                if (now >= nextChurn) {
                    churn();
                    nextChurn += (long) (churnSeconds * 1e9);
                }
                Camera c = active.pollFirst();
                active.addLast(c); // round-robin
                byte[] frame = c.clip.get(c.position);
                c.position = (c.position + 1) % c.clip.size();
                sender.send(c.id, new MediaChunk(frame, Codec.JPEG, MediaChunk.NO_PTS, 1, 0, 0, 0), c.seq++,
                        System.currentTimeMillis(), fpsPerCamera);
                sent.get(c.id).incrementAndGet();
                total.incrementAndGet();
                k++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    /** The oldest cameras by id stop, as many new ones start. */
    private void churn() {
        int replace = (int) Math.round(active.size() * churnFraction);
        List<Camera> byAge = new ArrayList<>(active);
        byAge.sort((a, b) -> Integer.compare(number(a.id), number(b.id)));
        for (int i = 0; i < replace; i++) {
            active.remove(byAge.get(i));
            retired.incrementAndGet();
        }
        for (int i = 0; i < replace; i++) {
            add();
        }
    }

    private static int number(String id) {
        return Integer.parseInt(id.substring(id.indexOf('-') + 1));
    }

    /** Frames sent per camera, every camera that ever sent (retired ones too). */
    public Map<String, Long> framesByCamera() {
        Map<String, Long> m = new LinkedHashMap<>();
        sent.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    public long framesSent() {
        return total.get();
    }

    /** Cameras that stopped for good so far. */
    public long retired() {
        return retired.get();
    }

    /** Cameras that ever sent. */
    public int camerasSeen() {
        return sent.size();
    }

    /** Throws when sending failed (a record was not delivered). */
    public void check() {
        Throwable f = failure.get();
        if (f != null) {
            throw new IllegalStateException("the camera fleet stopped: " + f.getMessage(), f);
        }
    }

    /** Stops sending, waits until every record sent is delivered; the frames sent. */
    public long stopAndFlush() throws InterruptedException {
        running = false;
        thread.join();
        check();
        sender.flush();
        return total.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
        sender.close();
    }
}
