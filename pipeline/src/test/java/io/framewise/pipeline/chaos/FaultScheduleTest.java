package io.framewise.pipeline.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

    static final List<FaultKind> ALL = List.of(FaultKind.values());

    @Test
    void theSameSeedGivesTheSameScheduleAndAnotherSeedAnother() {
        FaultSchedule a = FaultSchedule.draw(1, Duration.ofMinutes(10), ALL);
        assertEquals(a.faults(), FaultSchedule.draw(1, Duration.ofMinutes(10), ALL).faults());
        assertNotEquals(a.faults(), FaultSchedule.draw(2, Duration.ofMinutes(10), ALL).faults());
    }

    @Test
    void faultsStartAfterTheWarmUpAtLeastTheGapApartAndFillTheRun() {
        for (long seed = 0; seed < 200; seed++) {
            List<FaultSchedule.Fault> f = FaultSchedule.draw(seed, Duration.ofMinutes(10), ALL).faults();
            assertTrue(f.get(0).at().compareTo(FaultSchedule.WARM_UP) >= 0, "seed " + seed + ": " + f);
            for (int i = 1; i < f.size(); i++) {
                assertTrue(f.get(i).at().minus(f.get(i - 1).at()).compareTo(FaultSchedule.MIN_GAP) >= 0,
                        "seed " + seed + ": " + f);
            }
            assertTrue(f.get(f.size() - 1).at().compareTo(Duration.ofMinutes(10).minus(FaultSchedule.MIN_GAP)) <= 0);
            // (600 - 30 - 20) / 20 + 1 faults fit
            assertEquals(28, f.size(), "seed " + seed);
        }
    }

    @Test
    void aSoakSpacesItsFaultsAtTheGapItAsksFor() {
        Duration gap = Duration.ofMinutes(3);
        for (long seed = 0; seed < 100; seed++) {
            List<FaultSchedule.Fault> f = FaultSchedule.draw(seed, Duration.ofMinutes(30), ALL, gap).faults();
            // (1800 - 30 - 180) / 180 + 1 faults fit
            assertEquals(9, f.size(), "seed " + seed + ": " + f);
            for (int i = 1; i < f.size(); i++) {
                assertTrue(f.get(i).at().minus(f.get(i - 1).at()).compareTo(gap) >= 0, "seed " + seed + ": " + f);
            }
            assertTrue(f.get(f.size() - 1).at().compareTo(Duration.ofMinutes(30).minus(gap)) <= 0, f.toString());
        }
        assertThrows(IllegalArgumentException.class,
                () -> FaultSchedule.draw(1, Duration.ofMinutes(30), ALL, Duration.ofSeconds(5)));
    }

    @Test
    void everyKindComesOnceBeforeAnyComesTwice() {
        for (long seed = 0; seed < 50; seed++) {
            List<FaultSchedule.Fault> f = FaultSchedule.draw(seed, Duration.ofMinutes(3), ALL).faults();
            Set<FaultKind> first = EnumSet.noneOf(FaultKind.class);
            f.subList(0, ALL.size()).forEach(x -> first.add(x.kind()));
            assertEquals(EnumSet.allOf(FaultKind.class), first, "seed " + seed + ": " + f);
        }
    }

    @Test
    void theKindsFilterIsObeyedAndAShortRunStillGetsEachKindOnce() {
        List<FaultKind> two = FaultKind.parseList("taskmanager-kill, poison-record");
        List<FaultSchedule.Fault> f = FaultSchedule.draw(7, Duration.ofMinutes(1), two).faults();
        assertEquals(2, f.size(), f.toString());
        assertEquals(Set.of(FaultKind.TASKMANAGER_KILL, FaultKind.POISON_RECORD),
                Set.of(f.get(0).kind(), f.get(1).kind()));
        assertEquals(Duration.ofSeconds(30), f.get(0).at());
        assertEquals(Duration.ofSeconds(50), f.get(1).at());
        assertTrue(FaultSchedule.draw(3, Duration.ofMinutes(5), List.of(FaultKind.BROKER_KILL)).faults().stream()
                .allMatch(x -> x.kind() == FaultKind.BROKER_KILL));
    }

    @Test
    void unknownKindsAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FaultKind.parseList("tm-kill"));
        assertTrue(e.getMessage().contains("tm-kill") && e.getMessage().contains("taskmanager-kill"), e.getMessage());
        assertEquals(ALL, FaultKind.parseList(null));
    }
}
