package io.framewise.operators.records;

import io.framewise.inference.exec.Segmentation;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * The output event of one frame (JSON form: {@code kafka.LabeledEventJson}, schema in
 * {@code docs/labeled-event.schema.json}).
 *
 * @param model        model file name
 * @param modelSha256  SHA-256 of the model file, hex
 * @param top          the top-k classes, best first (classification; empty for segmentation)
 * @param inferred     true when the model ran on this frame; false when it carries the camera's last result
 * @param batchId      the inference batch that produced the result ({@code <subtask>-<n>})
 * @param batchSize    frames in that batch
 * @param gate         set when the change gate let this frame skip inference ({@code inferred} false)
 * @param classes      segmentation: the classes present in the class map, by class index, with boxes in
 *                     the frame's pixel coordinates; null for classification (the task follows from it)
 * @param mapSha256    segmentation: SHA-256 of the class map; null for classification
 */
@TypeInfo(LabeledEventSerializer.TypeFactory.class)
public record LabeledEvent(String camera, long sequence, int indexInSegment, long captureTsMs, long ptsMs,
                           String topic, int partition, long offset, String model, String modelSha256, List<Top> top,
                           boolean inferred, String batchId, int batchSize, Latency latency,
                           GateReading gate, List<Segmentation.ClassArea> classes, String mapSha256) {

    /** The {@code task} of a classification event (JSON). */
    public static final String CLASSIFICATION = "classification";
    /** The {@code task} of a segmentation event (JSON). */
    public static final String SEGMENTATION = "segmentation";

    public LabeledEvent {
        Objects.requireNonNull(camera, "camera");
        top = List.copyOf(top);
        Objects.requireNonNull(latency, "latency");
        classes = classes == null ? null : List.copyOf(classes);
    }

    /** A classification event. */
    public LabeledEvent(String camera, long sequence, int indexInSegment, long captureTsMs, long ptsMs, String topic,
                        int partition, long offset, String model, String modelSha256, List<Top> top, boolean inferred,
                        String batchId, int batchSize, Latency latency, GateReading gate) {
        this(camera, sequence, indexInSegment, captureTsMs, ptsMs, topic, partition, offset, model, modelSha256, top,
                inferred, batchId, batchSize, latency, gate, null, null);
    }

    /** An event the gate did not judge. */
    public LabeledEvent(String camera, long sequence, int indexInSegment, long captureTsMs, long ptsMs, String topic,
                        int partition, long offset, String model, String modelSha256, List<Top> top, boolean inferred,
                        String batchId, int batchSize, Latency latency) {
        this(camera, sequence, indexInSegment, captureTsMs, ptsMs, topic, partition, offset, model, modelSha256, top,
                inferred, batchId, batchSize, latency, null, null, null);
    }

    /** {@link #CLASSIFICATION} or {@link #SEGMENTATION}. */
    public String task() {
        return classes == null ? CLASSIFICATION : SEGMENTATION;
    }

    /** Unique per frame and stable across replays: the idempotency key for consumers. */
    public String eventId() {
        return eventId(topic, partition, offset, indexInSegment);
    }

    public static String eventId(String topic, int partition, long offset, int indexInSegment) {
        return topic + "-" + partition + "-" + offset + "-" + indexInSegment;
    }

    /** One of the top-k classes. */
    public record Top(int index, String label, float score) {
    }

    /**
     * Latencies in milliseconds.
     *
     * @param decodeMs     decode time of the frame (the record's decode time over its frame count)
     * @param queueMs      from decoded to the start of its inference batch
     * @param inferenceMs  the batch's inference time (0 for frames not inferred)
     * @param endToEndMs   from capture ({@code captureTsMs}) to the event's creation
     */
    public record Latency(double decodeMs, double queueMs, double inferenceMs, double endToEndMs) {
    }
}
