package io.framewise.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.records.LabeledEvent;
import io.framewise.pipeline.cli.SourceProducer;
import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobOptions;
import io.framewise.pipeline.kafka.EmbeddedKafka;
import io.framewise.pipeline.local.LocalFlink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Runs the real job on a local MiniCluster against the embedded broker, and produces test input. */
final class JobRuns {

    private JobRuns() {
    }

    /** Options for a bounded run over fresh topics: reads what is in the input topic, then finishes. */
    /** A fresh input, output and dead-letter topic for one test (in and out with {@code partitions}). */
    record Topics(String in, String out, String dlq) {
    }

    static Topics topics(EmbeddedKafka kafka, int partitions) throws Exception {
        Topics t = new Topics(EmbeddedKafka.uniqueTopic("frames"), EmbeddedKafka.uniqueTopic("labels"),
                EmbeddedKafka.uniqueTopic("dlq"));
        kafka.createTopic(t.in(), partitions);
        kafka.createTopic(t.out(), partitions);
        kafka.createTopic(t.dlq(), 1);
        return t;
    }

    static Map<String, String> bounded(EmbeddedKafka kafka, String in, String out, String dlq) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(JobOptions.BOOTSTRAP.key(), kafka.bootstrapServers());
        m.put(JobOptions.INPUT_TOPIC.key(), in);
        m.put(JobOptions.OUTPUT_TOPIC.key(), out);
        m.put(JobOptions.DLQ_TOPIC.key(), dlq);
        m.put(JobOptions.GROUP.key(), "g-" + in);
        m.put(JobOptions.TRANSACTIONAL_ID_PREFIX.key(), "tx-" + in);
        m.put(JobOptions.STARTING_OFFSETS.key(), "earliest");
        m.put(JobOptions.STOP_AT_LATEST.key(), "true");
        m.put(JobOptions.CHECKPOINT_INTERVAL_MS.key(), "500");
        m.put(JobOptions.RESTART_ATTEMPTS.key(), "0");
        m.put(JobOptions.RESTART_DELAY_MS.key(), "200");
        m.put(JobOptions.PARALLELISM.key(), "2");
        return m;
    }

    /** Submits the whole job (source to sinks) and returns at once; the caller cancels it. */
    static JobID submit(LocalFlink flink, JobConfig cfg) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(FramewiseJob.flinkConfiguration(cfg));
        FramewiseJob.build(env, cfg);
        return flink.submit(env.getStreamGraph());
    }

    /** Runs the job to its end; fails the test if it did not finish successfully in time. */
    static JobResult run(LocalFlink flink, JobConfig cfg, UnaryOperator<DataStream<LabeledEvent>> beforeSink,
                         Duration timeout) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(FramewiseJob.flinkConfiguration(cfg));
        FramewiseJob.Streams streams = FramewiseJob.dataflow(env, cfg);
        FramewiseJob.sinks(streams.withEvents(beforeSink.apply(streams.events())), cfg);
        JobID id = flink.submit(env.getStreamGraph());
        JobResult r;
        try {
            r = flink.result(id).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            flink.cancel(id, Duration.ofSeconds(30));
            throw new AssertionError("job did not finish within " + timeout, e);
        }
        assertTrue(r.isSuccess(), () -> "job ended " + r.getApplicationStatus() + ": "
                + r.getSerializedThrowable().map(t -> t.getFullStringifiedStackTrace()).orElse(""));
        return r;
    }

    /** Sends a source as several cameras (one producer each, in parallel) with {@code framewise produce}'s code. */
    static long produce(EmbeddedKafka kafka, String topic, String source, String format, List<String> cameras,
                        String... extra) throws Exception {
        List<Thread> threads = new ArrayList<>();
        long[] frames = new long[cameras.size()];
        Exception[] failure = new Exception[1];
        for (int i = 0; i < cameras.size(); i++) {
            int k = i;
            SourceProducer p = new SourceProducer(SourceProducer.args(source, kafka.bootstrapServers(), topic,
                    cameras.get(i), format, 4 << 20, Map.of(), extra));
            Thread t = new Thread(() -> {
                try {
                    frames[k] = p.run().frames();
                } catch (Exception e) {
                    failure[0] = e;
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        long sum = 0;
        for (long f : frames) {
            sum += f;
        }
        return sum;
    }
}
