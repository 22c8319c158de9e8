package dev.lifeboat.snapshot.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.lifeboat.common.cron.CronSchedule;
import dev.lifeboat.store.SnapshotIds;

class FireCatchUpTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:07:42Z");
    private static final Duration DAY = Duration.ofDays(1);

    @Test
    void theLatestFireAtOrBeforeNowIsTheOneToCatchUp() {
        assertThat(FireCatchUp.latestFire(CronSchedule.parse("* * * * *"), null, NOW, DAY))
                .contains(Instant.parse("2026-12-01T10:07:00Z"));
        assertThat(FireCatchUp.latestFire(CronSchedule.parse("0 * * * *"), null, NOW, DAY))
                .contains(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(FireCatchUp.latestFire(CronSchedule.parse("*/5 * * * *"), null, Instant.parse("2026-12-01T10:05:00Z"), DAY))
                .as("a fire exactly now").contains(Instant.parse("2026-12-01T10:05:00Z"));
    }

    @Test
    void nothingBeforeTheScheduleAppliesNorBeyondTheWindow() {
        assertThat(FireCatchUp.latestFire(CronSchedule.parse("0 * * * *"), Instant.parse("2026-12-01T10:01:00Z"), NOW, DAY))
                .as("registered after the last fire").isEmpty();
        assertThat(FireCatchUp.latestFire(CronSchedule.parse("0 0 * * *"), null, NOW, Duration.ofHours(6)))
                .as("daily fire 10 h ago, window 6 h").isEmpty();
        assertThat(FireCatchUp.latestFire(CronSchedule.parse("* * * * *"), null, NOW, Duration.ZERO)).isEmpty();
    }

    private static Instant at(String hhmm) {
        return Instant.parse("2026-12-01T" + hhmm + ":00Z");
    }

    @Test
    void theFiresOfTheWindowBeforeTheLatestAreSupersededAndTheLatestIsNot() {
        CronSchedule everyMinute = CronSchedule.parse("* * * * *");
        // down from 10:02:30 to 10:07:42: the 10:07 fire is taken late, 10:03 to 10:06 are superseded
        assertThat(FireCatchUp.supersededFires(everyMinute, Instant.parse("2026-12-01T10:02:30Z"), NOW, DAY,
                at("10:07"))).containsExactly(at("10:03"), at("10:04"), at("10:05"), at("10:06"));
        assertThat(FireCatchUp.supersededFires(CronSchedule.parse("*/5 * * * *"), null, NOW, Duration.ofMinutes(16),
                at("10:05"))).as("within the window only").containsExactly(at("09:55"), at("10:00"));
        assertThat(FireCatchUp.supersededFires(everyMinute, at("10:07"), NOW, DAY, at("10:07")))
                .as("registered just before the latest fire").isEmpty();
        assertThat(FireCatchUp.supersededFires(everyMinute, null, NOW, Duration.ofDays(7), at("10:07")))
                .as("a week of a one-minute schedule: the newest day of it").hasSize(FireCatchUp.MAX_SUPERSEDED)
                .endsWith(at("10:06"));
    }

    @Test
    void onlyFiresAfterTheNewestStoredSnapshotAreUntaken() {
        List<Instant> superseded = List.of(at("10:03"), at("10:04"), at("10:05"), at("10:06"));
        assertThat(FireCatchUp.untaken(superseded, List.of(), NONE_FAILED)).as("nothing stored in the window")
                .isEqualTo(superseded);
        assertThat(FireCatchUp.untaken(superseded, List.of(at("10:03"), at("10:04")), NONE_FAILED))
                .as("the service stopped after taking 10:04").containsExactly(at("10:05"), at("10:06"));
        assertThat(FireCatchUp.untaken(superseded, List.of(at("10:04"), at("10:07")), NONE_FAILED))
                .as("a later restart, after 10:07 was taken late: named before, not again").isEmpty();
        assertThat(FireCatchUp.untaken(superseded, List.of(Instant.parse("2026-12-01T10:04:31Z")), NONE_FAILED))
                .as("an on-demand snapshot at 10:04:31").containsExactly(at("10:05"), at("10:06"));
    }

    private static final java.util.function.Predicate<Instant> NONE_FAILED = f -> false;

    @Test
    void aSupersededFireWhoseAttemptFailedIsNotNamedAgainAndTheStoreIsAskedFirst() {
        List<Instant> superseded = List.of(at("10:03"), at("10:04"), at("10:05"), at("10:06"));
        List<Instant> asked = new java.util.ArrayList<>();
        // 10:04 failed (its own failure event names it), then the service was down from 10:04:30
        assertThat(FireCatchUp.untaken(superseded, List.of(at("10:03")), f -> {
            asked.add(f);
            return f.equals(at("10:04"));
        })).containsExactly(at("10:05"), at("10:06"));
        assertThat(asked).as("only fires after the newest stored snapshot are looked up")
                .containsExactly(at("10:04"), at("10:05"), at("10:06"));
    }

    @Test
    void aFireHasTheSameIdOnEveryReplicaAndItsLateTakeAnotherUnderTheSamePrefix() {
        Instant fire = Instant.parse("2026-12-01T10:07:00Z");
        String onTime = FireIds.onTime("prod-1", fire);
        assertThat(SnapshotIds.isValidSnapshotId(onTime)).isTrue();
        assertThat(onTime).startsWith("20261201T100700Z-").isEqualTo(FireIds.onTime("prod-1", fire))
                .isNotEqualTo(FireIds.onTime("prod-2", fire)).isNotEqualTo(FireIds.late("prod-1", fire));
        assertThat(FireIds.prefix("prod-1", fire)).isEqualTo("clusters/prod-1/20261201T100700Z");
        assertThat("clusters/prod-1/" + FireIds.late("prod-1", fire)).startsWith(FireIds.prefix("prod-1", fire));
    }
}
