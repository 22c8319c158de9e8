package dev.lifeboat.snapshot.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

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
