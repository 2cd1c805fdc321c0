package io.framewise.pipeline.chaos;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The books of a chaos run, per frame (camera, sequence, index in segment): what went in (each record
 * the producers sent, with its frame count, and each poison record) against what came out read_committed
 * (events, one per frame; dead letters, one per record). A frame with no event and whose record has no
 * dead letter is a loss; a second event for a frame, a second dead letter for a record, or an event
 * for a frame whose record was also dead-lettered is a duplicate; an event or dead letter for a frame
 * nobody sent is unexpected. A poison record must come out as exactly one dead letter and no event; a
 * healthy record must come out as events, never as a dead letter (a TaskManager killed while decoding it
 * is no reason: docs/decoder-isolation.md). The books balance when there are no losses, duplicates,
 * unexpected outputs or healthy records dead-lettered, and every poison record did as it must.
 * Thread-safe: the producers and the reader record concurrently.
 */
public final class Books {

    /** One record in: its frames and what came out for each. */
    private static final class Entry {
        int frames = -1; // -1: not sent (yet), so anything out for it is unexpected
        boolean poison;
        int[] events = new int[0];
        int dead;
        final Map<String, Integer> deadReasons = new TreeMap<>();

        int[] events(int index) {
            if (index >= events.length) {
                events = java.util.Arrays.copyOf(events, Math.max(index + 1, 2 * events.length));
            }
            return events;
        }
    }

    /** The figures, as the report prints them. */
    public record Totals(long recordsIn, long framesIn, long poisonIn, long events, long deadLetters,
                         long poisonDeadLetters, long duplicates, long losses, long unexpected, long poisonWrong,
                         long healthyDeadLettered, Map<String, Long> deadByReason) {
        /**
         * No loss, no duplicate, nothing unexpected, every poison record exactly one dead letter and no
         * healthy record a dead letter.
         */
        public boolean balanced() {
            return duplicates == 0 && losses == 0 && unexpected == 0 && poisonWrong == 0 && healthyDeadLettered == 0;
        }
    }

    private final Map<String, Map<Long, Entry>> cameras = new HashMap<>();

    private Entry entry(String camera, long seq) {
        return cameras.computeIfAbsent(camera, c -> new HashMap<>()).computeIfAbsent(seq, s -> new Entry());
    }

    /** A record the producers sent (delivered: acks=all). */
    public synchronized void sent(String camera, long seq, int frames) {
        if (frames < 1) {
            throw new IllegalArgumentException("a record holds at least one frame: " + camera + "/" + seq);
        }
        entry(camera, seq).frames = frames;
    }

    /** A poison record sent: it must become one dead letter. */
    public synchronized void sentPoison(String camera, long seq) {
        Entry e = entry(camera, seq);
        e.frames = 1;
        e.poison = true;
    }

    /** An event read from the labels topic. */
    public synchronized void event(String camera, long seq, int indexInSegment) {
        if (indexInSegment < 0) {
            indexInSegment = Integer.MAX_VALUE / 2; // counted as unexpected below
        }
        Entry e = entry(camera, seq);
        e.events(indexInSegment)[indexInSegment]++;
    }

    /** A dead letter read from the dead-letter topic ({@code seq} from its frame headers). */
    public synchronized void deadLetter(String camera, long seq, String reason) {
        Entry e = entry(camera, seq);
        e.dead++;
        e.deadReasons.merge(reason == null ? "?" : reason, 1, Integer::sum);
    }

    /** Frames accounted for so far (an event or a dead letter), counting each at most once: drain progress. */
    public synchronized long accountedFor() {
        long n = 0;
        for (Map<Long, Entry> m : cameras.values()) {
            for (Entry e : m.values()) {
                if (e.frames < 0) {
                    continue;
                }
                if (e.dead > 0) {
                    n += e.frames;
                    continue;
                }
                for (int i = 0; i < Math.min(e.frames, e.events.length); i++) {
                    n += e.events[i] > 0 ? 1 : 0;
                }
            }
        }
        return n;
    }

    public synchronized Totals totals() {
        long records = 0;
        long frames = 0;
        long poison = 0;
        long events = 0;
        long dead = 0;
        long poisonDead = 0;
        long dup = 0;
        long lost = 0;
        long unexpected = 0;
        long poisonWrong = 0;
        long healthyDead = 0;
        Map<String, Long> reasons = new TreeMap<>();
        for (Map<Long, Entry> m : cameras.values()) {
            for (Entry e : m.values()) {
                e.deadReasons.forEach((r, c) -> reasons.merge(r, (long) c, Long::sum));
                int eventsOut = 0;
                for (int c : e.events) {
                    eventsOut += c;
                }
                events += eventsOut;
                dead += e.dead;
                if (e.frames < 0) {
                    unexpected += eventsOut + e.dead;
                    continue;
                }
                if (e.poison) {
                    poison++;
                    poisonDead += e.dead;
                    if (e.dead != 1 || eventsOut != 0) {
                        poisonWrong++;
                    }
                    dup += Math.max(0, e.dead - 1);
                    continue;
                }
                records++;
                frames += e.frames;
                dup += Math.max(0, e.dead - 1);
                if (e.dead > 0) {
                    healthyDead++;
                }
                for (int i = 0; i < e.events.length; i++) {
                    int c = e.events[i];
                    if (i >= e.frames) {
                        unexpected += c;
                    } else if (e.dead > 0) {
                        dup += c; // the record is a dead letter already
                    } else {
                        dup += Math.max(0, c - 1);
                    }
                }
                if (e.dead == 0) {
                    for (int i = 0; i < e.frames; i++) {
                        if (i >= e.events.length || e.events[i] == 0) {
                            lost++;
                        }
                    }
                }
            }
        }
        return new Totals(records, frames, poison, events, dead, poisonDead, dup, lost, unexpected, poisonWrong,
                healthyDead, reasons);
    }
}
