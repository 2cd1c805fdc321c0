package io.framewise.operators.zones;

import io.framewise.operators.deadletter.DeadLetterMetrics;
import io.framewise.operators.deadletter.DeadLetters;
import io.framewise.operators.kafka.CameraConfigJson;
import io.framewise.operators.records.CameraConfig;
import io.framewise.operators.records.DeadLetter;
import io.framewise.operators.records.DeadLetterReason;
import io.framewise.operators.records.FrameRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns {@code camera-config} records (read as raw Kafka records) into {@link CameraConfig}s for the
 * episode operator's broadcast state, each applying from its record's Kafka timestamp. A record that is not one (no usable key, not JSON, a bad zone)
 * is a dead letter {@link DeadLetterReason#BAD_CAMERA_CONFIG} with the reason in its message, never a
 * job failure; the camera keeps the zones it had.
 */
public final class CameraConfigParsing extends ProcessFunction<FrameRecord, CameraConfig> {

    private static final long serialVersionUID = 1L;

    public static final String CONFIGS_IN = "cameraConfigsIn";

    private transient Counter in;
    private transient DeadLetterMetrics deadLetters;

    @Override
    public void open(OpenContext openContext) {
        in = getRuntimeContext().getMetricGroup().counter(CONFIGS_IN);
        deadLetters = new DeadLetterMetrics(getRuntimeContext().getMetricGroup(), DeadLetterReason.Stage.CONFIG);
    }

    @Override
    public void processElement(FrameRecord r, Context ctx, Collector<CameraConfig> out) {
        in.inc();
        String why;
        if (r.camera() == null) {
            why = FrameRecord.whyNoCamera(r.key());
        } else {
            try {
                out.collect(CameraConfigJson.parse(r.camera(), r.kafkaTimestamp(), r.value()));
                return;
            } catch (IllegalArgumentException e) {
                why = "camera " + r.camera() + ": " + e.getMessage();
            }
        }
        deadLetters.count(DeadLetterReason.BAD_CAMERA_CONFIG);
        ctx.output(DeadLetters.TAG, DeadLetter.of(r, DeadLetterReason.BAD_CAMERA_CONFIG, why,
                ctx.timerService().currentProcessingTime()).withoutValueOver(1024 * 1024));
    }

    /** Dead letters of this instance (tests). */
    public DeadLetterMetrics deadLetters() {
        return deadLetters;
    }
}
