package io.framewise.pipeline.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BooksTest {

    /** cam-1: 3 JPEG records; cam-2: 2 segments of 4 frames; one poison record. */
    static Books sent() {
        Books b = new Books();
        for (int s = 0; s < 3; s++) {
            b.sent("cam-1", s, 1);
        }
        b.sent("cam-2", 0, 4);
        b.sent("cam-2", 1, 4);
        b.sentPoison("poison-1", 0);
        return b;
    }

    static void everyFrameOnce(Books b) {
        for (int s = 0; s < 3; s++) {
            b.event("cam-1", s, 0);
        }
        for (int s = 0; s < 2; s++) {
            for (int i = 0; i < 4; i++) {
                b.event("cam-2", s, i);
            }
        }
        b.deadLetter("poison-1", 0, "DECODER_CRASH");
    }

    @Test
    void everyFrameOnceAndThePoisonOneDeadLetterBalances() {
        Books b = sent();
        everyFrameOnce(b);
        Books.Totals t = b.totals();
        assertEquals(11, t.framesIn());
        assertEquals(11, t.events());
        assertEquals(1, t.deadLetters());
        assertEquals(1, t.poisonDeadLetters());
        assertEquals(0, t.duplicates());
        assertEquals(0, t.losses());
        assertTrue(t.balanced(), t.toString());
        assertEquals(12, b.accountedFor());
    }

    @Test
    void aReplayedTailAsAtLeastOnceWritesItIsCaughtAsDuplicates() {
        Books b = sent();
        everyFrameOnce(b);
        // the restart after a TaskManager kill replays from the checkpoint: these events come out again
        b.event("cam-1", 2, 0);
        b.event("cam-2", 1, 2);
        b.event("cam-2", 1, 3);
        Books.Totals t = b.totals();
        assertEquals(3, t.duplicates());
        assertEquals(0, t.losses());
        assertFalse(t.balanced());
    }

    @Test
    void aMissingFrameIsALossNamedPerIndexInSegment() {
        Books b = sent();
        everyFrameOnce(b);
        Books c = sent();
        c.event("cam-1", 0, 0);
        c.event("cam-1", 1, 0);
        for (int i = 0; i < 4; i++) {
            c.event("cam-2", 0, i);
        }
        c.event("cam-2", 1, 0);
        c.event("cam-2", 1, 3);
        c.deadLetter("poison-1", 0, "DECODER_CRASH");
        Books.Totals t = c.totals();
        assertEquals(3, t.losses()); // cam-1/2/0, cam-2/1/1, cam-2/1/2
        assertEquals(0, t.duplicates());
        assertFalse(t.balanced());
    }

    @Test
    void aDeadLetterAccountsForItsWholeRecordOnceAndTwiceIsADuplicate() {
        Books b = sent();
        everyFrameOnce(b);
        Books c = sent();
        for (int s = 0; s < 3; s++) {
            c.event("cam-1", s, 0);
        }
        for (int i = 0; i < 4; i++) {
            c.event("cam-2", 0, i);
        }
        c.deadLetter("cam-2", 1, "DECODER_CRASH"); // a TaskManager killed while decoding it
        c.deadLetter("poison-1", 0, "DECODER_CRASH");
        assertEquals(0, c.totals().losses(), "the dead letter accounts for the record's frames");
        assertEquals(0, c.totals().duplicates());
        assertEquals(12, c.accountedFor());
        // but a healthy record must not be one: a kill mid-decode is the quarantine's second strike, not a crash
        assertEquals(1, c.totals().healthyDeadLettered());
        assertFalse(c.totals().balanced(), c.totals().toString());
        c.deadLetter("cam-2", 1, "DECODER_CRASH");
        c.event("cam-2", 1, 0);
        assertEquals(2, c.totals().duplicates());
        assertFalse(c.totals().balanced());
    }

    @Test
    void thePoisonRecordMustBeExactlyOneDeadLetter() {
        Books none = sent();
        everyFrameOnce(none);
        Books twice = sent();
        everyFrameOnce(twice);
        twice.deadLetter("poison-1", 0, "DECODER_CRASH");
        assertEquals(1, twice.totals().poisonWrong());
        assertFalse(twice.totals().balanced());

        Books missing = new Books();
        missing.sentPoison("poison-1", 0);
        assertEquals(1, missing.totals().poisonWrong());
        assertFalse(missing.totals().balanced());
    }

    @Test
    void outputForAFrameNobodySentIsUnexpected() {
        Books b = sent();
        everyFrameOnce(b);
        b.event("cam-9", 0, 0);
        b.event("cam-1", 0, 1); // a JPEG record has one frame
        assertEquals(2, b.totals().unexpected());
        assertFalse(b.totals().balanced());
    }
}
