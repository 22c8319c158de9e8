package dev.lifeboat.retention.freshness;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

/** A cluster's 5-field Unix cron schedule, evaluated in UTC. */
public final class CronSchedule {
    /** Gaps looked at for {@link #interval}: enough to see a weekly pattern of daily runs. */
    private static final int GAPS_CONSIDERED = 8;
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final ExecutionTime executions;

    private CronSchedule(ExecutionTime executions) {
        this.executions = executions;
    }

    /** Throws {@link IllegalArgumentException} for an expression that is not a 5-field Unix cron. */
    public static CronSchedule parse(String expression) {
        return new CronSchedule(ExecutionTime.forCron(PARSER.parse(expression)));
    }

    /** The first run strictly after {@code after}, if the schedule ever runs again. */
    public Optional<Instant> nextAfter(Instant after) {
        return executions.nextExecution(after.atZone(ZoneOffset.UTC)).map(ZonedDateTime::toInstant);
    }

    /**
     * The schedule's interval seen from {@code from}: the gap between its next two runs. For
     * irregular schedules (weekdays only, say) the longest of the next few gaps, so that a
     * weekend without runs is not taken for a stale backup.
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
}
