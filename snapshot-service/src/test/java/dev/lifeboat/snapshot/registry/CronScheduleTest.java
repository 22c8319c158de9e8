package dev.lifeboat.snapshot.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class CronScheduleTest {
    @Test
    void nextFireTimesAreInUtc() {
        Instant t = Instant.parse("2026-11-21T04:46:49Z");
        assertThat(CronSchedule.parse("0 * * * *").nextAfter(t)).contains(Instant.parse("2026-11-21T05:00:00Z"));
        assertThat(CronSchedule.parse("*/15 * * * *").nextAfter(t)).contains(Instant.parse("2026-11-21T05:00:00Z"));
        assertThat(CronSchedule.parse("30 2 * * 0").nextAfter(t)).contains(Instant.parse("2026-11-22T02:30:00Z"));
        assertThat(CronSchedule.parse("0 0 1 * *").nextAfter(t)).contains(Instant.parse("2026-12-01T00:00:00Z"));
    }

    @Test
    void nextIsStrictlyAfter() {
        Instant onTheHour = Instant.parse("2026-11-21T05:00:00Z");
        assertThat(CronSchedule.parse("0 * * * *").nextAfter(onTheHour)).contains(Instant.parse("2026-11-21T06:00:00Z"));
    }
}
