package dev.lifeboat.common.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class CronScheduleTest {
    private static final Instant T = Instant.parse("2026-11-21T04:46:49Z"); // a Saturday
    private static final Duration WEEK = Duration.ofDays(7);

    @Test
    void nextFireTimesAreInUtc() {
        assertThat(CronSchedule.parse("0 * * * *").nextAfter(T)).contains(Instant.parse("2026-11-21T05:00:00Z"));
        assertThat(CronSchedule.parse("*/15 * * * *").nextAfter(T)).contains(Instant.parse("2026-11-21T05:00:00Z"));
        assertThat(CronSchedule.parse("30 2 * * 0").nextAfter(T)).contains(Instant.parse("2026-11-22T02:30:00Z"));
        assertThat(CronSchedule.parse("0 0 1 * *").nextAfter(T)).contains(Instant.parse("2026-12-01T00:00:00Z"));
    }

    @Test
    void nextIsStrictlyAfter() {
        Instant onTheHour = Instant.parse("2026-11-21T05:00:00Z");
        assertThat(CronSchedule.parse("0 * * * *").nextAfter(onTheHour)).contains(Instant.parse("2026-11-21T06:00:00Z"));
    }

    @Test
    void surroundingBlanksAreIgnored() {
        assertThat(CronSchedule.parse("  0 * * * *\t").nextAfter(T)).contains(Instant.parse("2026-11-21T05:00:00Z"));
    }

    @Test
    void onlyValidFiveFieldExpressionsParse() {
        assertThatThrownBy(() -> CronSchedule.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("empty cron expression");
        assertThatThrownBy(() -> CronSchedule.parse("  ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("empty cron expression");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 * * * *")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a 5-field cron expression");
        assertThatThrownBy(() -> CronSchedule.parse("* * * *")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a 5-field cron expression");
        assertThatThrownBy(() -> CronSchedule.parse("61 * * * *")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'61 * * * *' is not a valid cron expression");
        assertThatThrownBy(() -> CronSchedule.parse("0 25 * * *")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'0 25 * * *' is not a valid cron expression");
        assertThatThrownBy(() -> CronSchedule.parse("@daily")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void intervalIsTheGapBetweenTheNextTwoRuns() {
        assertThat(CronSchedule.parse("0 * * * *").interval(T)).contains(Duration.ofHours(1));
        assertThat(CronSchedule.parse("*/15 * * * *").interval(T)).contains(Duration.ofMinutes(15));
        assertThat(CronSchedule.parse("30 2 * * *").interval(T)).contains(Duration.ofDays(1));
        assertThat(CronSchedule.parse("30 2 * * 0").interval(T)).contains(WEEK);
    }

    @Test
    void intervalOfAnIrregularScheduleIsItsLongestGap() {
        // weekdays at 09:00: the weekend leaves Friday 09:00 to Monday 09:00
        assertThat(CronSchedule.parse("0 9 * * 1-5").interval(T)).contains(Duration.ofDays(3));
        // twice a day, at 00:00 and 06:00: the night gap is 18 hours
        assertThat(CronSchedule.parse("0 0,6 * * *").interval(T)).contains(Duration.ofHours(18));
    }

    @Test
    void aScheduleThatNeverFiresHasNoInterval() {
        assertThat(CronSchedule.parse("0 0 31 2 *").interval(T)).isEmpty();
    }

    @Test
    void frequentSchedulesAreAccepted() {
        for (String ok : new String[] {"* * * * *", "0 * * * *", "30 2 * * *", "0 9 * * 1-5", "0 0 13 * 5"}) {
            CronSchedule schedule = CronSchedule.parse(ok);
            assertThat(schedule.requireFiresWithin(WEEK, T)).as(ok).isSameAs(schedule);
        }
    }

    @Test
    void aWeeklyScheduleIsExactlyAtTheDefaultLimit() {
        assertThat(CronSchedule.DEFAULT_MAX_INTERVAL).isEqualTo(WEEK);
        CronSchedule weekly = CronSchedule.parse("30 2 * * 0");
        weekly.requireFiresWithin(WEEK, T);
        weekly.requireFiresWithin(WEEK, Instant.parse("2026-11-22T02:30:00Z")); // from a run itself
        assertThatThrownBy(() -> weekly.requireFiresWithin(WEEK.minusMinutes(1), T))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaves 7 days between two snapshots");
    }

    @Test
    void aScheduleThatNeverFiresIsRefused() {
        assertThatThrownBy(() -> CronSchedule.parse("0 0 31 2 *").requireFiresWithin(WEEK, T))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("'0 0 31 2 *' never fires");
    }

    @Test
    void sparseSchedulesAreRefusedWithTheGapAndTheLimit() {
        assertThatThrownBy(() -> CronSchedule.parse("0 0 1 * *").requireFiresWithin(WEEK, T))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'0 0 1 * *' leaves ")
                .hasMessageEndingWith("a schedule must fire at least every 7 days");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 29 2 *").requireFiresWithin(WEEK, T))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaves 1461 days");
    }

    @Test
    void aGapLaterInTheYearIsFoundAlthoughTheNextRunsAreClose() {
        // every day of January, seen from mid-January: the next runs are a day apart, February is not
        Instant midJanuary = Instant.parse("2027-01-15T12:00:00Z");
        CronSchedule january = CronSchedule.parse("0 0 * 1 *");
        assertThat(january.interval(midJanuary)).contains(Duration.ofDays(1));
        assertThatThrownBy(() -> january.requireFiresWithin(WEEK, midJanuary))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(2027-01-31T00:00:00Z to 2028-01-01T00:00:00Z)");
    }

    @Test
    void aLargerLimitAcceptsAMonthlySchedule() {
        CronSchedule.parse("0 0 1 * *").requireFiresWithin(Duration.ofDays(31), T);
        assertThatThrownBy(() -> CronSchedule.parse("0 0 1 * *").requireFiresWithin(Duration.ofDays(30), T))
                .hasMessageContaining("leaves 31 days");
    }

    @Test
    void theLimitMustBePositive() {
        assertThatThrownBy(() -> CronSchedule.parse("0 * * * *").requireFiresWithin(Duration.ZERO, T))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
