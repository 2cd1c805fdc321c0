package io.framewise.operators.episode;

import io.framewise.operators.records.CameraConfig;
import io.framewise.operators.records.Episode;
import io.framewise.operators.records.EpisodeSerializer;
import io.framewise.operators.records.LabeledEvent;
import java.util.List;
import java.util.Queue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * {@link EpisodeFunction} as the job runs it: keyed events on input 1, camera configurations broadcast on
 * input 2, which is idle for good (as the job's camera-config stream is, {@code zones.WithoutEventTime}),
 * so event time is the events' alone.
 */
final class EpisodeHarness implements AutoCloseable {

    final KeyedTwoInputStreamOperatorTestHarness<String, LabeledEvent, CameraConfig, Episode> h;

    EpisodeHarness(EpisodeFunction fn, int maxParallelism, int parallelism, int subtask, OperatorSubtaskState state)
            throws Exception {
        h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(fn, List.of(EpisodeFunction.ZONES)), LabeledEvent::camera, null,
                Types.STRING, maxParallelism, parallelism, subtask);
        h.setup(EpisodeSerializer.INSTANCE);
        if (state != null) {
            h.initializeState(state);
        }
        h.open();
        h.processWatermarkStatus2(WatermarkStatus.IDLE);
    }

    void processElement(LabeledEvent e, long ts) throws Exception {
        h.processElement1(new StreamRecord<>(e, ts));
    }

    void processConfig(CameraConfig c) throws Exception {
        h.processElement2(new StreamRecord<>(c));
    }

    void processWatermark(long t) throws Exception {
        h.processWatermark1(new Watermark(t));
    }

    OperatorSubtaskState snapshot(long checkpointId, long ts) throws Exception {
        return h.snapshot(checkpointId, ts);
    }

    List<Episode> extractOutputValues() {
        return h.extractOutputValues();
    }

    Queue<Object> getOutput() {
        return h.getOutput();
    }

    @Override
    public void close() throws Exception {
        h.close();
    }
}
