package io.framewise.operators.records;

import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A presence episode of one class on one camera, in event time (JSON form: {@code kafka.EpisodeJson},
 * schema in {@code docs/episode.schema.json}). The episode operator keeps one per tracked class as
 * state ({@link Kind#CANDIDATE} until it has enough consecutive frames, then {@link Kind#OPEN}) and emits
 * it twice: when it opens ({@link Kind#OPEN}) and when it closes ({@link Kind#CLOSE}).
 *
 * @param label        the class
 * @param measure      what {@code valueSum} and {@code valueMax} add up: {@code score} (classification
 *                     top-1) or {@code area} (segmentation area fraction)
 * @param startMs      event time of the first observation
 * @param endMs        event time of the last observation so far
 * @param frames       frames the class was observed in
 * @param box          the box covering every observation's box; null when none had one
 * @param firstEventId the event of the first observation
 * @param lastEventId  the event of the last observation so far
 * @param zone         the camera zone the class was observed in, null for the episode of the whole
 *                     picture (see {@code docs/zones.md}): a zoned episode is tracked apart from the
 *                     class's plain one
 */
@TypeInfo(EpisodeSerializer.TypeFactory.class)
public record Episode(Kind kind, String camera, String label, String measure, long startMs, long endMs, int frames,
                      double valueSum, double valueMax, Box box, String firstEventId, String lastEventId,
                      String zone) {

    public enum Kind { CANDIDATE, OPEN, CLOSE }

    public Episode {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(camera, "camera");
        Objects.requireNonNull(label, "label");
    }

    /** An episode of the whole picture (no zone). */
    public Episode(Kind kind, String camera, String label, String measure, long startMs, long endMs, int frames,
                   double valueSum, double valueMax, Box box, String firstEventId, String lastEventId) {
        this(kind, camera, label, measure, startMs, endMs, frames, valueSum, valueMax, box, firstEventId, lastEventId,
                null);
    }

    /** Stable across replays: camera, class (with {@code @zone} for a zone's episode) and start. */
    public String episodeId() {
        return camera + "/" + trackKey() + "/" + startMs;
    }

    /** What the episode operator tracks it under: the class, or {@code class@zone}. */
    public String trackKey() {
        return trackKey(label, zone);
    }

    public static String trackKey(String label, String zone) {
        return zone == null ? label : label + "@" + zone;
    }

    public long durationMs() {
        return endMs - startMs;
    }

    public double valueMean() {
        return frames == 0 ? 0 : valueSum / frames;
    }

    public Episode as(Kind k) {
        return new Episode(k, camera, label, measure, startMs, endMs, frames, valueSum, valueMax, box, firstEventId,
                lastEventId, zone);
    }

    /** This episode with one more observation at {@code tsMs}. */
    public Episode observed(long tsMs, double value, Box b, String eventId) {
        return new Episode(kind, camera, label, measure, startMs, Math.max(endMs, tsMs), frames + 1, valueSum + value,
                Math.max(valueMax, value), b == null ? box : b.union(box), firstEventId, eventId, zone);
    }

    /** A candidate from its first observation; {@code zone} null for the whole picture. */
    public static Episode first(String camera, String label, String zone, String measure, long tsMs, double value,
                                Box box, String eventId) {
        return new Episode(Kind.CANDIDATE, camera, label, measure, tsMs, tsMs, 1, value, value, box, eventId, eventId,
                zone);
    }
}
