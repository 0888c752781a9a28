package com.invoicehub.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Spring-free: the one verdict every path uses (receipt rows, a race's losers, replays, dry runs). */
class LedgerVerdictsTest {

    @Test
    void aFreeKeyIsAppliedTheSameContentIsADuplicateOtherContentAConflict() {
        assertThat(Verdict.of("h1", null)).isEqualTo(new Verdict(Verdict.Kind.APPLIED, null));
        assertThat(Verdict.of("h1", new LedgerEntry("h1", 42L)))
                .isEqualTo(new Verdict(Verdict.Kind.DUPLICATE, "already applied from record 42"));
        assertThat(Verdict.of("h2", new LedgerEntry("h1", 42L))).isEqualTo(new Verdict(Verdict.Kind.CONFLICT,
                "applied before from record 42 with different content; nothing changed"));
    }

    @Test
    void aKeyAppliedEarlierInTheRunHoldsForTheRowsAfterIt() {
        LedgerVerdicts verdicts = new LedgerVerdicts(Map.of("K-held", new LedgerEntry("old", 7L)));
        assertThat(verdicts.decide("K-1", "a", 100L).kind()).isEqualTo(Verdict.Kind.APPLIED);
        assertThat(verdicts.decide("K-1", "a", 101L))
                .isEqualTo(new Verdict(Verdict.Kind.DUPLICATE, "already applied from record 100"));
        assertThat(verdicts.decide("K-1", "b", 102L).kind()).isEqualTo(Verdict.Kind.CONFLICT);
        assertThat(verdicts.decide("K-held", "new", 103L).message()).contains("record 7");
        // A dry run's rows have no records yet.
        assertThat(verdicts.decide("K-2", "c", null).kind()).isEqualTo(Verdict.Kind.APPLIED);
        assertThat(verdicts.decide("K-2", "c", null).message()).isEqualTo("already applied from an earlier row of "
                + "this run");
        // The batch still being written counts as held.
        verdicts.hold("K-3", new LedgerEntry("d", 55L));
        assertThat(verdicts.decide("K-3", "d", 104L).message()).isEqualTo("already applied from record 55");
    }
}
