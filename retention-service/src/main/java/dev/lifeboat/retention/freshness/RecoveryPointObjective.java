package dev.lifeboat.retention.freshness;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.lifeboat.common.cron.CronSchedule;
import dev.lifeboat.events.ClusterSpec;

/**
 * How old a cluster's newest verified snapshot may get: {@code rpoMinutes} when set, else twice
 * the schedule's interval; none for an on-demand-only cluster without {@code rpoMinutes}.
 */
public final class RecoveryPointObjective {
    private RecoveryPointObjective() {}

    public static Optional<Duration> of(ClusterSpec spec, Instant now) {
        if (spec.rpoMinutes() != null && spec.rpoMinutes() > 0) {
            return Optional.of(Duration.ofMinutes(spec.rpoMinutes()));
        }
        return schedule(spec).flatMap(s -> s.interval(now)).map(interval -> interval.multipliedBy(2));
    }

    /**
     * When the first verified snapshot is due for a cluster registered at {@code registeredAt}:
     * its first scheduled run, or for an on-demand cluster with an explicit RPO, registration + RPO.
     */
    public static Optional<Instant> firstBackupDue(ClusterSpec spec, Instant registeredAt, Instant now) {
        Optional<CronSchedule> schedule = schedule(spec);
        if (schedule.isPresent()) {
            return schedule.get().nextAfter(registeredAt);
        }
        return of(spec, now).map(registeredAt::plus);
    }

    private static Optional<CronSchedule> schedule(ClusterSpec spec) {
        if (spec.schedule() == null || spec.schedule().isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(CronSchedule.parse(spec.schedule()));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // registration validates schedules; an unreadable one has no interval
        }
    }
}
