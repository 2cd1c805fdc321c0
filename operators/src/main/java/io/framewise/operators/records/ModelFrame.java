package io.framewise.operators.records;

import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One decoded, model-ready frame with its provenance.
 *
 * @param camera           camera id (the Kafka key)
 * @param sequence         the source record's {@code fw-seq}
 * @param indexInSegment   0-based position within the record (0 for still images)
 * @param framesInSegment  frames the record decoded to (1 for still images)
 * @param captureTsMs      the record's capture time ({@code fw-ts}), epoch milliseconds
 * @param ptsMs            this frame's presentation time: capture time plus its offset in the segment
 * @param pixels           // [H][W][3] RGB at the model input size
 * @param srcWidth         decoded picture width before resizing
 * @param srcHeight        decoded picture height before resizing
 * @param decodeNanos      decode time of the record divided by its frame count
 * @param decodedAtMs      wall clock when decoding finished, epoch milliseconds
 * @param infer            false when sampling skipped this frame: it still gets an event carrying the
 *                         camera's last result
 * @param gate             set when the change gate let this frame skip inference (then {@code infer} is
 *                         false); null otherwise
 */
@TypeInfo(ModelFrameSerializer.TypeFactory.class)
public record ModelFrame(String camera, long sequence, int indexInSegment, int framesInSegment, long captureTsMs,
                         long ptsMs, String topic, int partition, long offset, byte[] pixels, int srcWidth,
                         int srcHeight, long decodeNanos, long decodedAtMs, boolean infer, GateReading gate) {

    public ModelFrame {
        Objects.requireNonNull(camera, "camera");
        Objects.requireNonNull(pixels, "pixels");
    }

    /** A frame the gate did not judge. */
    public ModelFrame(String camera, long sequence, int indexInSegment, int framesInSegment, long captureTsMs,
                      long ptsMs, String topic, int partition, long offset, byte[] pixels, int srcWidth,
                      int srcHeight, long decodeNanos, long decodedAtMs, boolean infer) {
        this(camera, sequence, indexInSegment, framesInSegment, captureTsMs, ptsMs, topic, partition, offset, pixels,
                srcWidth, srcHeight, decodeNanos, decodedAtMs, infer, null);
    }

    /** The unique id of the event this frame produces (see {@link LabeledEvent#eventId()}). */
    public String eventId() {
        return LabeledEvent.eventId(topic, partition, offset, indexInSegment);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelFrame f && camera.equals(f.camera) && sequence == f.sequence
                && indexInSegment == f.indexInSegment && framesInSegment == f.framesInSegment
                && captureTsMs == f.captureTsMs && ptsMs == f.ptsMs && Objects.equals(topic, f.topic)
                && partition == f.partition && offset == f.offset && Arrays.equals(pixels, f.pixels)
                && srcWidth == f.srcWidth && srcHeight == f.srcHeight && decodeNanos == f.decodeNanos
                && decodedAtMs == f.decodedAtMs && infer == f.infer && Objects.equals(gate, f.gate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(camera, sequence, indexInSegment, topic, partition, offset, infer);
    }

    @Override
    public String toString() {
        return "ModelFrame[" + camera + " seq " + sequence + " #" + indexInSegment + "/" + framesInSegment + " pts "
                + ptsMs + " " + topic + "-" + partition + "@" + offset + (infer ? "" : " skip") + (gate == null ? "" : " gated") + "]";
    }
}
