package dev.lifeboat.snapshot.registry;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

/** A 5-field Unix cron expression evaluated in UTC, as in a Kubernetes CronJob. */
public final class CronSchedule {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final String expression;
    private final ExecutionTime executionTime;

    private CronSchedule(String expression, ExecutionTime executionTime) {
        this.expression = expression;
        this.executionTime = executionTime;
    }

    /** Parses {@code expression}; throws IllegalArgumentException with a readable message. */
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

    /** The first fire time strictly after {@code after}. */
    public Optional<Instant> nextAfter(Instant after) {
        return executionTime.nextExecution(ZonedDateTime.ofInstant(after, ZoneOffset.UTC)).map(ZonedDateTime::toInstant);
    }

    public String expression() {
        return expression;
    }
}
