package io.framewise.pipeline.local;

import io.framewise.inference.exec.Classifier;
import io.framewise.inference.exec.CompiledModel;
import io.framewise.inference.exec.JitWarmUp;
import io.framewise.inference.exec.Segmenter;
import io.framewise.inference.exec.SharedModels;
import io.framewise.operators.infer.InferenceSettings;
import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobOptions;
import io.framewise.pipeline.job.FramewiseJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.JobID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What every command that runs the job in this process shares ({@code demo}, {@code loadtest},
 * {@code job}, and the coming {@code chaos}): the local defaults of the configuration, the submission
 * to a {@link LocalFlink}, the model warm-up and the default sources.
 */
public final class LocalRun {

    /** How long a submitted job may take to have all its tasks running (a cold JVM loads the model). */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    /** At most this long; it ends sooner when the JIT has gone quiet ({@link JitWarmUp}). */
    private static final Duration WARM_UP_BUDGET = Duration.ofSeconds(15);
    private static final Duration JIT_QUIET = Duration.ofMillis(500);

    private LocalRun() {
    }

    /**
     * The job options a local run starts from, before the user's flags: read the topics from the
     * beginning (they are new) and checkpoint every second (events become visible at each commit).
     */
    public static Map<String, String> defaults() {
        Map<String, String> base = new LinkedHashMap<>();
        base.put(JobOptions.STARTING_OFFSETS.key(), "earliest");
        base.put(JobOptions.CHECKPOINT_INTERVAL_MS.key(), "1000");
        return base;
    }

    /** The model {@code demo} shows a newcomer: where the people are, and presence episodes from it. */
    public static final String DEMO_MODEL = "deeplabv3_mnv2_pascal_quant.tflite";

    /**
     * {@link #defaults()} plus what {@code demo} shows without flags: segmentation with {@link #DEMO_MODEL},
     * two inference subtasks, and the model run at most {@value #DEMO_MAX_FPS} times a second per camera
     * (the other frames' events carry the camera's last result). A 513x513 frame takes ~70 ms on a quiet
     * core: the two person videos at 15 and 12 fps would need ~2 cores for inference alone, and the
     * latency the demo shows would grow for its whole run.
     */
    public static Map<String, String> demoDefaults() {
        Map<String, String> base = defaults();
        base.put(JobOptions.MODEL.key(), DEMO_MODEL);
        base.put(JobOptions.PARALLELISM.key(), "2");
        base.put(JobOptions.MAX_FPS.key(), Double.toString(DEMO_MAX_FPS));
        return base;
    }

    static final double DEMO_MAX_FPS = 5;

    /** Builds the job for {@code cfg}, submits it and waits until every task runs. */
    public static JobID submit(LocalFlink flink, JobConfig cfg) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(FramewiseJob.flinkConfiguration(cfg));
        FramewiseJob.build(env, cfg);
        JobID job = flink.submit(env.getStreamGraph());
        // Frames sent before the job runs would wait for it, and their latency would show start-up.
        flink.awaitRunning(job, START_TIMEOUT);
        return job;
    }

    /**
     * Runs the model on a few batches in this JVM before frames flow. The MiniCluster shares the JVM
     * and its model cache, so the JIT has compiled the kernels before the first real batch; without
     * it the first seconds of a run show latencies of a second and more. It runs until the JIT goes
     * quiet (at most {@link #WARM_UP_BUDGET}): on a busy machine C2 needs far more than a fixed few
     * seconds, and kernels it has not compiled run 10-100× slower.
     */
    public static void warmUp(JobConfig cfg, PrintWriter err, String who) {
        InferenceSettings s = inferenceSettings(cfg);
        CompiledModel m = SharedModels.load(s.model(), s.labels());
        int batch = s.batchSize();
        JitWarmUp.Report r;
        if (m.graph().isSegmentation()) {
            byte[][] images = new byte[batch][m.imageBytes()];
            Random random = new Random(1);
            for (byte[] image : images) {
                random.nextBytes(image);
            }
            try (Segmenter seg = new Segmenter(m, s.classifierOptions())) {
                r = JitWarmUp.run(n -> seg.segment(images, n), batch, JIT_QUIET, WARM_UP_BUDGET);
            }
        } else {
            try (Classifier c = new Classifier(m, s.classifierOptions())) {
                byte[] pixels = new byte[batch * m.imageBytes()];
                new Random(1).nextBytes(pixels);
                r = JitWarmUp.run(c, pixels, JIT_QUIET, WARM_UP_BUDGET);
            }
        }
        err.println(who + ": model warmed up (batches of " + batch + ", 1 and " + (batch + 1) / 2 + "): " + r);
        err.flush();
    }

    /** The inference settings the job will run with: the model decides the task and its default batch. */
    public static InferenceSettings inferenceSettings(JobConfig cfg) {
        return cfg.inferenceSettings(SharedModels.graph(cfg.get(JobOptions.MODEL)).isSegmentation());
    }

    /**
     * {@code sources}, or two shared videos: for a segmentation model the two with people in them
     * (a worker in a factory zone, a street), for a classifier the two with one clear object class.
     */
    public static List<String> sourcesOrSharedVideos(List<String> sources, boolean segmentation) {
        if (!sources.isEmpty()) {
            return sources;
        }
        Path data = SharedModels.dataDir().orElseThrow(() -> new IllegalStateException(
                "no --source and no shared data ($FRAMEWISE_DATA or ../shared) with the default videos"));
        return segmentation
                ? List.of(data.resolve("videos/worker-zone-detection.mp4").toString(),
                        data.resolve("videos/person-bicycle-car-detection.mp4").toString())
                : List.of(data.resolve("videos/car-detection.mp4").toString(),
                        data.resolve("videos/bottle-detection.mp4").toString());
    }
}
