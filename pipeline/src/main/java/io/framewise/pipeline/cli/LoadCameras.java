package io.framewise.pipeline.cli;

import io.framewise.pipeline.loadtest.CameraFleet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The synthetic cameras: one {@link SourceProducer} per camera, each on its own thread. */
final class LoadCameras implements AutoCloseable {
    final String bootstrap;
    final String topic;
    private final String format;
    final int maxRecord;
    final Map<String, String> kafka;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<SourceProducer> producers = new ArrayList<>();
    private final List<Future<SourceProducer.Result>> results = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    /** Exact frame counts once a batch of cameras finished (what {@link #awaitAll()} returned). */
    private final Map<String, Long> finished = new LinkedHashMap<>();
    private CameraFleet fleet; // instead of one producer per camera (many cameras, churn)

    void startFleet(CameraFleet f) {
        fleet = f;
    }

    LoadCameras(String bootstrap, String topic, String format, int maxRecord, Map<String, String> kafka) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.format = format;
        this.maxRecord = maxRecord;
        this.kafka = kafka;
    }

    void start(String camera, String source, String... extra) {
        SourceProducer p = new SourceProducer(SourceProducer.args(source, bootstrap, topic, camera, format,
                maxRecord, kafka, extra));
        producers.add(p);
        names.add(camera);
        results.add(pool.submit(p::run));
    }

    /** Frames each camera sent so far (of the cameras started last; exact once they finished). */
    Map<String, Long> framesByCamera() {
        if (fleet != null) {
            return fleet.framesByCamera();
        }
        if (producers.isEmpty()) {
            return finished;
        }
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < producers.size(); i++) {
            m.put(names.get(i), producers.get(i).framesSent());
        }
        return m;
    }

    /** Throws if a camera failed (e.g. a record was not delivered). */
    void check() throws Exception {
        if (fleet != null) {
            fleet.check();
        }
        for (Future<SourceProducer.Result> f : results) {
            if (f.isDone()) {
                f.get();
            }
        }
    }

    void stopAll() {
        producers.forEach(SourceProducer::close);
    }

    /** Waits for every camera to finish (all its records delivered); the frames they sent; resets. */
    long awaitAll() throws Exception {
        long frames = 0;
        finished.clear();
        if (fleet != null) {
            frames += fleet.stopAndFlush();
            finished.putAll(fleet.framesByCamera());
            fleet.close();
            fleet = null;
        }
        for (Future<SourceProducer.Result> f : results) {
            SourceProducer.Result r = f.get();
            frames += r.frames();
            finished.put(r.camera(), r.frames());
        }
        producers.clear();
        results.clear();
        names.clear();
        return frames;
    }

    @Override
    public void close() throws InterruptedException {
        stopAll();
        if (fleet != null) {
            fleet.close();
        }
        pool.shutdownNow();
    }
}
