package io.framewise.pipeline.report;

import io.framewise.inference.exec.ClassifierOptions;
import io.framewise.inference.exec.CompiledModel;
import io.framewise.inference.exec.Segmentation;
import io.framewise.inference.exec.Segmenter;
import io.framewise.inference.exec.SharedModels;
import io.framewise.operators.decode.DecodeResult;
import io.framewise.operators.decode.DecodedFrame;
import io.framewise.operators.decode.FrameDecoder;
import io.framewise.operators.records.LabeledEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.header.Headers;

/**
 * The class maps of segmentation events, computed again: events carry the classes and the map's
 * SHA-256, not the map. Each record is decoded by the job's own {@link FrameDecoder} at the model's
 * input size and run through the model's {@link Segmenter}, so the map is the job's map when the
 * report uses the same model file (the SHA-256 says whether it is). The summary is taken at the
 * thumbnail's size, so {@link MaskOverlay} draws its mask and region boxes straight onto the thumbnail,
 * keeping the regions the event lists.
 */
public final class MaskedFrames implements AutoCloseable {

    /** Segmentations by frame index within the record (class map kept, boxes in thumbnail pixels), or why none. */
    public record Result(Map<Integer, Segmentation> byIndex, String failure) {
    }

    private final Map<String, Segmenter> segmenters = new HashMap<>();
    private final Map<String, String> unusable = new HashMap<>();
    private final Map<String, FrameDecoder> decoders = new HashMap<>();
    private final byte[][] batch = new byte[1][];

    /**
     * Segments the frames at {@code indexes} of one record with {@code model} (the event's model name,
     * resolved like the job resolves it); never throws for bad bytes or a missing model file.
     */
    public Result segment(String model, Headers headers, byte[] value, Map<Integer, LabeledEvent> byIndex,
                          int thumbWidth, int thumbHeight) {
        Set<Integer> indexes = byIndex.keySet();
        Segmenter s = segmenter(model);
        if (s == null) {
            return new Result(Map.of(), unusable.get(model));
        }
        DecodeResult r = decoders.computeIfAbsent(model, k -> new FrameDecoder(s.model().input().width(),
                s.model().input().height())).decode(headers, value);
        if (!r.isOk()) {
            return new Result(Map.of(), r.failure().reason() + ": " + r.failure().message());
        }
        Map<Integer, Segmentation> out = new TreeMap<>();
        for (DecodedFrame f : r.frames()) {
            if (indexes.contains(f.index())) {
                batch[0] = f.rgb();
                s.segment(batch, 1);
                out.put(f.index(), s.result(0, thumbWidth, thumbHeight,
                        minRegion(byIndex.get(f.index()), s.mapWidth() * s.mapHeight()), true));
            }
        }
        batch[0] = null;
        return new Result(out, out.isEmpty() ? "record decoded to " + r.frames().size() + " frame(s), none at "
                + indexes : null);
    }

    /** SHA-256 of the model file the report resolved {@code model} to, or null when it has none loaded. */
    public String modelSha256(String model) {
        Segmenter s = segmenters.get(model);
        return s == null ? null : s.model().graph().sha256();
    }

    /**
     * The smallest region the event lists, as the fraction that keeps exactly the event's regions (the
     * job's {@code segment.min-region} is not in the event): every region at least as large as the
     * event's smallest was kept, every smaller one dropped. No regions at all: only a region covering
     * the whole map would have been kept.
     */
    static double minRegion(LabeledEvent e, int mapPixels) {
        long smallest = Long.MAX_VALUE;
        for (Segmentation.ClassArea c : e.classes()) {
            for (Segmentation.Region r : c.regions()) {
                smallest = Math.min(smallest, r.pixels());
            }
        }
        return smallest == Long.MAX_VALUE ? 1.0 : (smallest - 0.5) / mapPixels;
    }

    /** The segmenter of a model, or null (and the reason kept) when it cannot be loaded or does not segment. */
    private Segmenter segmenter(String model) {
        Segmenter s = segmenters.get(model);
        if (s != null || unusable.containsKey(model)) {
            return s;
        }
        try {
            CompiledModel m = SharedModels.load(model, null);
            if (!m.graph().isSegmentation()) {
                unusable.put(model, "model " + model + " as found here is not a segmentation model");
                return null;
            }
            s = new Segmenter(m, ClassifierOptions.defaults().withMaxBatch(1));
            segmenters.put(model, s);
            return s;
        } catch (RuntimeException e) {
            unusable.put(model, "model " + model + " not available: " + e.getMessage());
            return null;
        }
    }

    @Override
    public void close() {
        segmenters.values().forEach(Segmenter::close);
        segmenters.clear();
        decoders.values().forEach(FrameDecoder::close);
        decoders.clear();
    }
}
