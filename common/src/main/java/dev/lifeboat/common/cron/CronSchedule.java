package dev.lifeboat.common.cron;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

/**
 * A cluster's schedule: a 5-field Unix cron expression (minute hour day-of-month month
 * day-of-week) evaluated in UTC, as in a Kubernetes CronJob. The one parser of the product: the
 * snapshot-service fires by it and the retention-service derives the recovery point objective
 * from its {@link #interval}.
 */
public final class CronSchedule {
    /** The longest gap a registered schedule may leave between two snapshots unless configured otherwise. */
    public static final Duration DEFAULT_MAX_INTERVAL = Duration.ofDays(7);

    /** Gaps looked at for {@link #interval}: enough to see a weekly pattern of daily runs. */
    private static final int GAPS_CONSIDERED = 8;
    /** How far ahead {@link #requireFiresWithin} looks: a year covers every month and weekday pattern. */
    private static final Duration HORIZON = Duration.ofDays(366);
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final String expression;
    private final ExecutionTime executions;

    private CronSchedule(String expression, ExecutionTime executions) {
        this.expression = expression;
        this.executions = executions;
    }

    /**
     * Parses {@code expression} (surrounding blanks ignored); throws {@link IllegalArgumentException}
     * with a readable message for anything that is not a valid 5-field expression.
     */
    public static CronSchedule parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("empty cron expression");
        }
        String trimmed = expression.trim();
        if (trimmed.split("\\s+").length != 5) {
            throw new IllegalArgumentException("'" + expression + "' is not a 5-field cron expression "
                    + "(minute hour day-of-month month day-of-week)");
        }
        try {
            return new CronSchedule(trimmed, ExecutionTime.forCron(PARSER.parse(trimmed).validate()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + expression + "' is not a valid cron expression: " + e.getMessage());
        }
    }

    /** The first run strictly after {@code after}, if the schedule ever runs again. */
    public Optional<Instant> nextAfter(Instant after) {
        return executions.nextExecution(ZonedDateTime.ofInstant(after, ZoneOffset.UTC)).map(ZonedDateTime::toInstant);
    }

    /**
     * The schedule's interval seen from {@code from}: the gap between its next two runs. For
     * irregular schedules (weekdays only, say) the longest of the next few gaps, so that a
     * weekend without runs is not taken for a stale backup. Empty for a schedule that never runs twice.
     */
    public Optional<Duration> interval(Instant from) {
        Optional<Instant> previous = nextAfter(from);
        Duration longest = null;
        for (int i = 0; i < GAPS_CONSIDERED && previous.isPresent(); i++) {
            Optional<Instant> next = nextAfter(previous.get());
            if (next.isEmpty()) {
                break;
            }
            Duration gap = Duration.between(previous.get(), next.get());
            longest = longest == null || gap.compareTo(longest) > 0 ? gap : longest;
            previous = next;
        }
        return Optional.ofNullable(longest);
    }

    /**
     * Refuses a schedule that leaves more than {@code maxInterval} between two runs anywhere in the
     * year after {@code from} (or never runs at all: {@code 0 0 31 2 *}), so that no registered
     * cluster goes unprotected for longer than that. A gap of exactly {@code maxInterval} is allowed.
     *
     * @return this schedule
     * @throws IllegalArgumentException naming the expression, the gap found and the limit
     */
    public CronSchedule requireFiresWithin(Duration maxInterval, Instant from) {
        if (maxInterval == null || maxInterval.isNegative() || maxInterval.isZero()) {
            throw new IllegalArgumentException("the maximum schedule interval must be positive");
        }
        if (nextAfter(from).isEmpty()) {
            throw new IllegalArgumentException("'" + expression + "' never fires");
        }
        // Every gap longer than maxInterval contains a point of a grid spaced maxInterval (or less)
        // apart, so looking at the gap around each grid point finds it without walking every run.
        Duration step = maxInterval.compareTo(Duration.ofDays(30)) < 0 ? maxInterval : Duration.ofDays(30);
        Instant start = from.truncatedTo(ChronoUnit.MINUTES);
        Instant end = start.plus(HORIZON);
        for (Instant point = start; !point.isAfter(end); point = point.plus(step)) {
            ZonedDateTime at = ZonedDateTime.ofInstant(point, ZoneOffset.UTC);
            Instant next = executions.nextExecution(at).map(ZonedDateTime::toInstant)
                    .orElseThrow(() -> new IllegalArgumentException("'" + expression + "' stops firing after " + at));
            if (executions.isMatch(at)) { // a run at the grid point itself: the gaps on either side
                requireGap(executions.lastExecution(at).map(ZonedDateTime::toInstant).orElse(point), point, maxInterval);
                requireGap(point, next, maxInterval);
            } else {
                requireGap(executions.lastExecution(at).map(ZonedDateTime::toInstant).orElse(start), next, maxInterval);
            }
        }
        return this;
    }

    private void requireGap(Instant before, Instant after, Duration maxInterval) {
        Duration gap = Duration.between(before, after);
        if (gap.compareTo(maxInterval) > 0) {
            throw new IllegalArgumentException("'" + expression + "' leaves " + readable(gap)
                    + " between two snapshots (" + before + " to " + after
                    + "); a schedule must fire at least every " + readable(maxInterval));
        }
    }

    @Override
    public String toString() {
        return expression;
    }

    private static String readable(Duration d) {
        if (d.toMinutes() % (24 * 60) == 0) {
            return d.toDays() + (d.toDays() == 1 ? " day" : " days");
        }
        if (d.toMinutes() % 60 == 0) {
            return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
        }
        return d.toMinutes() + " minutes";
    }
}
