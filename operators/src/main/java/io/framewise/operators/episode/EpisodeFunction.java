package io.framewise.operators.episode;

import io.framewise.operators.records.CameraConfig;
import io.framewise.operators.records.CameraConfigSerializer;
import io.framewise.operators.records.Episode;
import io.framewise.operators.records.EpisodeSerializer;
import io.framewise.operators.records.LabeledEvent;
import io.framewise.operators.records.LabeledEventSerializer;
import io.framewise.operators.zones.ZoneHistory;
import io.framewise.operators.zones.ZoneOverlap;
import io.framewise.operators.zones.ZoneSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Presence episodes per (camera, class) on event time, keyed by camera, after inference.
 *
 * <p>Event time is the frame's capture time ({@link LabeledEvent#ptsMs()}: {@code fw-ts} plus its offset
 * in the segment). An event arrives out of order within the source's bounded out-of-orderness, so it
 * waits in keyed state ({@code pending}) until the watermark passes it; then the pending events up to
 * the watermark are applied in event-time order (ties: source offset, index in segment). An event at or
 * behind the watermark on arrival is late: counted ({@value #LATE_FRAMES}) and dropped, so it never
 * reopens a closed episode. The allowed lateness is therefore the watermark's out-of-orderness bound.
 *
 * <p>Per class ({@link Episode} in a map keyed by label): a class observed in a frame starts a
 * {@code CANDIDATE}; each consecutive frame with it adds to it; a frame without it drops a candidate.
 * At {@code minFrames} frames the candidate opens (an {@code OPEN} record). An open episode closes
 * (a {@code CLOSE} record) once event time reaches its last observation plus {@code gapMs}: an
 * event-time timer, so a quiet camera's episode closes as the watermark passes, and before a later
 * frame is applied, so a frame at exactly {@code last + gapMs} starts a new episode. End of input
 * (the max watermark) closes every episode.
 *
 * <p>Zones ({@code docs/zones.md}): each camera's zones come from the zones file ({@link ZoneSettings})
 * until a {@link CameraConfig} for it arrives on the broadcast input ({@code camera-config} topic),
 * which replaces them for frames captured from its record's timestamp on (broadcast state
 * {@link #ZONES}: each camera's {@link ZoneHistory}, checkpointed). An observation counts for the
 * class's episode of the whole picture, as without zones, and for one episode of (class, zone) per zone
 * it is in ({@link ZoneOverlap}); each is tracked on its own. A frame is looked up by its capture time
 * when it is applied (behind the watermark), so a configuration must have arrived by then (the topic is
 * read within milliseconds; frames wait the out-of-orderness bound). An episode of a removed zone closes
 * after the gap like any other.
 *
 * <p>State per camera: open and candidate episodes (at most one per class the model knows, and per
 * class and zone) and the events not yet behind the watermark (out-of-orderness times frame rate, at
 * most {@code maxPending}: see {@link #releaseOldestHalf}). All
 * expire {@code cameraTtlMs} after their last write (processing time), for cameras gone for good.
 */
public final class EpisodeFunction extends KeyedBroadcastProcessFunction<String, LabeledEvent, CameraConfig, Episode> {

    private static final long serialVersionUID = 1L;

    public static final String LATE_FRAMES = "episodeLateFrames";
    public static final String RELEASED_EARLY = "episodeFramesReleasedEarly";
    public static final String OPENED = "episodesOpened";
    public static final String CLOSED = "episodesClosed";
    public static final String ZONE_UPDATES = "cameraConfigsApplied";

    /** Broadcast state: camera -> its configurations from the {@code camera-config} topic ({@link ZoneHistory}). */
    public static final MapStateDescriptor<String, List<CameraConfig>> ZONES = new MapStateDescriptor<>("camera-zones",
            Types.STRING, Types.LIST(CameraConfigSerializer.TYPE_INFO));

    private static final Comparator<LabeledEvent> EVENT_TIME = Comparator.comparingLong(LabeledEvent::ptsMs)
            .thenComparingLong(LabeledEvent::offset).thenComparingInt(LabeledEvent::indexInSegment);

    private final EpisodeSettings settings;
    private final ObservationSource observations;
    private final ZoneSettings zones;

    private transient ListState<LabeledEvent> pending;
    private transient ValueState<Integer> pendingCount; // frames in `pending`
    private transient ValueState<Long> releasedUpTo;    // event time applied ahead of the watermark (cap)
    private transient MapState<String, Episode> episodes; // track key (class, class@zone) -> candidate or open episode
    private transient Counter late;
    private transient Counter releasedEarly;
    private transient Counter opened;
    private transient Counter closed;
    private transient Counter zoneUpdates;

    /** Without zones (until a {@code camera-config} record brings some). */
    public EpisodeFunction(EpisodeSettings settings, ObservationSource observations) {
        this(settings, observations, ZoneSettings.NONE);
    }

    public EpisodeFunction(EpisodeSettings settings, ObservationSource observations, ZoneSettings zones) {
        this.settings = settings;
        this.observations = observations;
        this.zones = zones;
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl = StateTtlConfig.newBuilder(Duration.ofMillis(settings.cameraTtlMs()))
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build();
        ListStateDescriptor<LabeledEvent> p = new ListStateDescriptor<>("episode-pending", LabeledEventSerializer.TYPE_INFO);
        p.enableTimeToLive(ttl);
        pending = getRuntimeContext().getListState(p);
        MapStateDescriptor<String, Episode> e = new MapStateDescriptor<>("episodes", Types.STRING,
                EpisodeSerializer.TYPE_INFO);
        e.enableTimeToLive(ttl);
        episodes = getRuntimeContext().getMapState(e);
        ValueStateDescriptor<Integer> count = new ValueStateDescriptor<>("episode-pending-count", Types.INT);
        count.enableTimeToLive(ttl);
        pendingCount = getRuntimeContext().getState(count);
        ValueStateDescriptor<Long> released = new ValueStateDescriptor<>("episode-released-up-to", Types.LONG);
        released.enableTimeToLive(ttl);
        releasedUpTo = getRuntimeContext().getState(released);
        late = getRuntimeContext().getMetricGroup().counter(LATE_FRAMES);
        releasedEarly = getRuntimeContext().getMetricGroup().counter(RELEASED_EARLY);
        opened = getRuntimeContext().getMetricGroup().counter(OPENED);
        closed = getRuntimeContext().getMetricGroup().counter(CLOSED);
        zoneUpdates = getRuntimeContext().getMetricGroup().counter(ZONE_UPDATES);
    }

    @Override
    public void processBroadcastElement(CameraConfig c, Context ctx, Collector<Episode> out) throws Exception {
        ctx.getBroadcastState(ZONES).put(c.camera(), ZoneHistory.add(ctx.getBroadcastState(ZONES).get(c.camera()), c));
        zoneUpdates.inc();
    }

    @Override
    public void processElement(LabeledEvent e, ReadOnlyContext ctx, Collector<Episode> out) throws Exception {
        Long released = releasedUpTo.value();
        if (e.ptsMs() <= ctx.timerService().currentWatermark() || (released != null && e.ptsMs() <= released)) {
            late.inc();
            return;
        }
        pending.add(e);
        ctx.timerService().registerEventTimeTimer(e.ptsMs());
        Integer n = pendingCount.value();
        int count = (n == null ? 0 : n) + 1;
        pendingCount.update(count);
        if (count > settings.maxPending()) {
            releaseOldestHalf(ctx, out);
        }
    }

    /**
     * The watermark is the slowest partition's time: while partitions drift apart (a backlog read
     * unevenly, a partition that was idle) a fast partition's cameras hold frames for it. Past
     * {@code maxPending} the oldest half is applied now, in event-time order, and anything at or
     * before the last of them is late from then on, so the order of applied frames never goes back.
     * Watermark alignment would pause the fast partition instead; Flink 2.2.1 can leave a paused idle
     * split paused for good (FLINK-40093, fixed after it), so the job bounds state here (README, "Episodes").
     */
    private void releaseOldestHalf(ReadOnlyContext ctx, Collector<Episode> out) throws Exception {
        List<LabeledEvent> all = new ArrayList<>();
        pending.get().forEach(all::add);
        all.sort(EVENT_TIME);
        int release = all.size() - settings.maxPending() / 2;
        long upTo = all.get(release - 1).ptsMs();
        while (release < all.size() && all.get(release).ptsMs() == upTo) {
            release++; // frames of one instant go together: the late rule is by time
        }
        releasedUpTo.update(upTo);
        releasedEarly.inc(release);
        List<LabeledEvent> later = new ArrayList<>(all.subList(release, all.size()));
        pending.update(later);
        pendingCount.update(later.size());
        advance(all.subList(0, release), upTo, ctx, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Episode> out) throws Exception {
        long watermark = Math.max(timestamp, ctx.timerService().currentWatermark());
        List<LabeledEvent> due = new ArrayList<>();
        List<LabeledEvent> later = new ArrayList<>();
        Iterable<LabeledEvent> all = pending.get();
        if (all != null) {
            for (LabeledEvent e : all) {
                (e.ptsMs() <= watermark ? due : later).add(e);
            }
        }
        if (!due.isEmpty()) {
            pending.update(later);
            pendingCount.update(later.size());
            due.sort(EVENT_TIME);
        }
        advance(due, watermark, ctx, out);
    }

    /** Applies {@code due} (in event-time order) and closes what ended by {@code watermark}. */
    private void advance(List<LabeledEvent> due, long watermark, ReadOnlyContext ctx, Collector<Episode> out)
            throws Exception {
        Map<String, Episode> current = new HashMap<>();
        for (Map.Entry<String, Episode> en : episodes.entries()) {
            current.put(en.getKey(), en.getValue());
        }
        Map<String, Episode> before = new HashMap<>(current);
        List<CameraConfig> history = due.isEmpty() ? null : ctx.getBroadcastState(ZONES).get(ctx.getCurrentKey());
        CameraConfig fromFile = zones.fromFile().get(ctx.getCurrentKey());
        for (LabeledEvent e : due) {
            closeUpTo(e.ptsMs(), current, out);
            apply(e, ZoneHistory.at(history, e.ptsMs(), fromFile), current, ctx, out);
        }
        closeUpTo(watermark, current, out);
        for (String label : before.keySet()) {
            if (!current.containsKey(label)) {
                episodes.remove(label);
            }
        }
        for (Map.Entry<String, Episode> en : current.entrySet()) {
            if (!en.getValue().equals(before.get(en.getKey()))) {
                episodes.put(en.getKey(), en.getValue());
            }
        }
    }

    /** Closes the open episodes whose gap ended at or before {@code t}. */
    private void closeUpTo(long t, Map<String, Episode> current, Collector<Episode> out) {
        List<Episode> done = current.values().stream()
                .filter(ep -> ep.kind() == Episode.Kind.OPEN && ep.endMs() + settings.gapMs() <= t)
                .sorted(Comparator.comparingLong(Episode::endMs).thenComparing(Comparator.comparing(Episode::trackKey)))
                .toList();
        for (Episode ep : done) {
            current.remove(ep.trackKey());
            closed.inc();
            out.collect(ep.as(Episode.Kind.CLOSE));
        }
    }

    private void apply(LabeledEvent e, CameraConfig camera, Map<String, Episode> current, ReadOnlyContext ctx,
                       Collector<Episode> out) {
        Set<String> labels = new HashSet<>();
        Set<String> seen = new HashSet<>(); // track keys: class, class@zone
        for (Observation o : observations.observe(e)) {
            if (!labels.add(o.label())) {
                continue;
            }
            List<String> in = ZoneOverlap.zonesOf(camera, o.box(), zones.minOverlap());
            List<String> tracks = new ArrayList<>(in.size() + 1);
            tracks.add(null); // the whole picture
            tracks.addAll(in);
            for (String zone : tracks) {
                String key = Episode.trackKey(o.label(), zone);
                seen.add(key);
                Episode ep = current.get(key);
                ep = ep == null
                        ? Episode.first(e.camera(), o.label(), zone, o.measure(), e.ptsMs(), o.value(), o.box(),
                                e.eventId())
                        : ep.observed(e.ptsMs(), o.value(), o.box(), e.eventId());
                if (ep.kind() == Episode.Kind.CANDIDATE && ep.frames() >= settings.minFrames()) {
                    ep = ep.as(Episode.Kind.OPEN);
                    opened.inc();
                    out.collect(ep);
                }
                current.put(key, ep);
                if (ep.kind() == Episode.Kind.OPEN) {
                    ctx.timerService().registerEventTimeTimer(ep.endMs() + settings.gapMs());
                }
            }
        }
        // a candidate needs consecutive frames: one without its class (in its zone) drops it
        current.values().removeIf(ep -> ep.kind() == Episode.Kind.CANDIDATE && !seen.contains(ep.trackKey()));
    }

    /** Frames applied ahead of the watermark because the camera's pending frames hit the cap (tests). */
    public long framesReleasedEarly() {
        return releasedEarly.getCount();
    }

    /** Frames dropped as late (tests). */
    public long lateFrames() {
        return late.getCount();
    }
}
