package dev.lifeboat.retention.freshness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.lifeboat.events.ClusterSpec;

class RecoveryPointObjectiveTest {
    private static final Instant NOW = Instant.parse("2026-11-19T10:17:00Z"); // a Thursday

    @Test
    void explicitRpoWins() {
        assertThat(RecoveryPointObjective.of(spec("0 * * * *", 45), NOW)).contains(Duration.ofMinutes(45));
    }

    @Test
    void defaultIsTwiceTheScheduleInterval() {
        assertThat(RecoveryPointObjective.of(spec("0 * * * *", null), NOW)).contains(Duration.ofHours(2));
        assertThat(RecoveryPointObjective.of(spec("*/15 * * * *", null), NOW)).contains(Duration.ofMinutes(30));
        assertThat(RecoveryPointObjective.of(spec("30 2 * * *", null), NOW)).contains(Duration.ofDays(2));
    }

    @Test
    void aWeekdaySchedulesIntervalCoversTheWeekend() {
        assertThat(RecoveryPointObjective.of(spec("0 9 * * 1-5", null), NOW)).contains(Duration.ofDays(6));
    }

    @Test
    void onDemandClustersWithoutRpoAreNotWatched() {
        assertThat(RecoveryPointObjective.of(spec(null, null), NOW)).isEmpty();
    }

    @Test
    void theFirstBackupIsDueAtTheFirstScheduledRunAfterRegistration() {
        assertThat(RecoveryPointObjective.firstBackupDue(spec("0 * * * *", null), NOW, NOW))
                .contains(Instant.parse("2026-11-19T11:00:00Z"));
        assertThat(RecoveryPointObjective.firstBackupDue(spec(null, 60), NOW, NOW))
                .contains(NOW.plus(Duration.ofHours(1)));
    }

    @Test
    void staleWhenTheNewestVerifiedIsOlderThanTheRpoOrTheFirstIsOverdue() {
        Duration rpo = Duration.ofHours(2);
        Duration grace = Duration.ofMinutes(15);
        assertThat(Freshness.judge(Optional.of(NOW.minus(Duration.ofMinutes(119))), rpo, Optional.empty(), grace, NOW)
                .stale()).isFalse();
        assertThat(Freshness.judge(Optional.of(NOW.minus(Duration.ofMinutes(121))), rpo, Optional.empty(), grace, NOW)
                .stale()).isTrue();
        Optional<Instant> due = Optional.of(NOW.minus(Duration.ofMinutes(10)));
        assertThat(Freshness.judge(Optional.empty(), rpo, due, grace, NOW).stale()).isFalse();
        assertThat(Freshness.judge(Optional.empty(), rpo, due, grace, NOW.plus(Duration.ofMinutes(6))).stale()).isTrue();
    }

    private static ClusterSpec spec(String schedule, Integer rpoMinutes) {
        return new ClusterSpec(List.of("http://127.0.0.1:2379"), null, schedule, null, null, rpoMinutes, Map.of());
    }
}
