package io.framewise.pipeline.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.pipeline.config.JobConfig;
import io.framewise.pipeline.config.JobOptions;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * What a restore needs from the job graph: the savepoint from {@code framewise.from-savepoint} or,
 * left empty, from Flink's own keys (as {@code flink run -s / -n} set them), a fixed max parallelism,
 * and a uid on every stateful node.
 */
class SavepointSettingsTest {

    private static StreamGraph graph(Configuration flink, Map<String, String> options) {
        Map<String, String> m = new LinkedHashMap<>(options);
        JobConfig cfg = JobConfig.parse(m);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        FramewiseJob.build(env, cfg);
        return env.getStreamGraph();
    }

    @Test
    void fromSavepointSetsTheRestorePathAndRefusesUnclaimedStateByDefault() {
        StreamGraph g = graph(new Configuration(), Map.of(JobOptions.FROM_SAVEPOINT.key(), "file:///sp/savepoint-1"));
        SavepointRestoreSettings s = g.getSavepointRestoreSettings();
        assertEquals("file:///sp/savepoint-1", s.getRestorePath());
        assertFalse(s.allowNonRestoredState());

        g = graph(new Configuration(), Map.of(JobOptions.FROM_SAVEPOINT.key(), "/sp/savepoint-2",
                JobOptions.ALLOW_NON_RESTORED_STATE.key(), "true"));
        assertEquals("/sp/savepoint-2", g.getSavepointRestoreSettings().getRestorePath());
        assertTrue(g.getSavepointRestoreSettings().allowNonRestoredState());
    }

    @Test
    void withoutTheOptionFlinksOwnRestoreSettingsStand() {
        // what flink run -s /sp/x -n puts into the configuration the job's environment is built from
        Configuration flinkRun = new Configuration();
        flinkRun.set(StateRecoveryOptions.SAVEPOINT_PATH, "/sp/x");
        flinkRun.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
        SavepointRestoreSettings s = graph(flinkRun, Map.of()).getSavepointRestoreSettings();
        assertEquals("/sp/x", s.getRestorePath());
        assertTrue(s.allowNonRestoredState());

        assertFalse(graph(new Configuration(), Map.of()).getSavepointRestoreSettings().restoreSavepoint(),
                "a fresh start restores nothing");
    }

    @Test
    void maxParallelismIsFixedByTheOptionNotDerivedFromTheParallelism() {
        StreamGraph g = graph(new Configuration(), Map.of(JobOptions.PARALLELISM.key(), "2"));
        assertEquals(128, g.getExecutionConfig().getMaxParallelism());
        // Flink alone would derive 512 from parallelism 300, and the savepoint would not restore at 128
        g = graph(new Configuration(), Map.of(JobOptions.PARALLELISM.key(), "300",
                JobOptions.MAX_PARALLELISM.key(), "1024"));
        assertEquals(1024, g.getExecutionConfig().getMaxParallelism());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobConfig.parse(Map.of(JobOptions.PARALLELISM.key(), "200")));
        assertTrue(e.getMessage().contains("--parallelism"), e.getMessage());
        assertTrue(e.getMessage().contains("--max-parallelism"), e.getMessage());
    }

    @Test
    void everyNodeHasAFixedUniqueUid() {
        StreamGraph g = graph(new Configuration(), Map.of());
        Set<String> uids = new HashSet<>();
        for (StreamNode n : g.getStreamNodes()) {
            assertNotNull(n.getTransformationUID(), "uid of " + n.getOperatorName());
            assertTrue(uids.add(n.getTransformationUID()), "uid used twice: " + n.getTransformationUID());
        }
        assertTrue(uids.containsAll(Set.of(FramewiseJob.UID_SOURCE, FramewiseJob.UID_ROUTING, FramewiseJob.UID_DECODE,
                FramewiseJob.UID_INFER)), "uids: " + uids);
    }
}
