package dev.lifeboat.replicator.lag;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ReplicationLagTest {
    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    static final Optional<String> AT_10 = Optional.of("20261121T100000Z-00000001");
    static final Optional<String> AT_11 = Optional.of("20261121T110000Z-00000002");

    @Test
    void currentRegionHasNoLag() {
        assertThat(ReplicationLag.of(AT_11, AT_11, AT_10, NOW)).isZero();
    }

    @Test
    void lagIsTheDistanceBetweenNewestSnapshots() {
        assertThat(ReplicationLag.of(AT_11, AT_10, AT_10, NOW)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void emptyRegionLagsSinceTheOldestSnapshotItShouldHold() {
        assertThat(ReplicationLag.of(AT_11, Optional.empty(), AT_10, NOW)).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void nothingToCopyIsNoLagAndARegionAheadIsNotNegative() {
        assertThat(ReplicationLag.of(Optional.empty(), Optional.empty(), Optional.empty(), NOW)).isZero();
        assertThat(ReplicationLag.of(AT_10, AT_11, AT_10, NOW)).isZero();
    }

    @Test
    void lagBookLearnsFromEventsAndIsResetByReconciliation() {
        LagBook book = new LagBook();
        book.seenInSource("c", AT_10.get());
        book.seenInSource("c", AT_11.get());
        book.seenInRegion("c", "eu", AT_10.get());
        assertThat(book.lag("c", "eu", NOW)).isEqualTo(Duration.ofHours(1));
        book.seenInRegion("c", "eu", AT_11.get());
        assertThat(book.lag("c", "eu", NOW)).isZero();
        book.reset("c", "eu", AT_11, AT_10, Optional.empty());
        assertThat(book.lag("c", "eu", NOW)).isEqualTo(Duration.ofHours(2));
    }
}
