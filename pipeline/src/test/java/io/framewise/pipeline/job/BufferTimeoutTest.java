package io.framewise.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobOptions;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** Every edge of the job flushes its network buffers after {@code framewise.buffer-timeout-ms}, not Flink's 100 ms. */
class BufferTimeoutTest {

    private static StreamGraph graph(Map<String, String> options) {
        JobConfig cfg = JobConfig.parse(options);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        FramewiseJob.build(env, cfg);
        return env.getStreamGraph();
    }

    @Test
    void theDefaultAndAnExplicitTimeoutReachEveryNode() {
        for (StreamNode n : graph(Map.of()).getStreamNodes()) {
            assertEquals(5L, n.getBufferTimeout(), n.getOperatorName());
        }
        for (StreamNode n : graph(Map.of(JobOptions.BUFFER_TIMEOUT_MS.key(), "0")).getStreamNodes()) {
            assertEquals(0L, n.getBufferTimeout(), n.getOperatorName());
        }
    }
}
