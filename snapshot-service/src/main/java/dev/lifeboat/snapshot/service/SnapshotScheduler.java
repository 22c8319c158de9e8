package dev.lifeboat.snapshot.service;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.common.cron.CronSchedule;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import io.quarkus.scheduler.Scheduled;

/**
 * Fires each cluster's cron schedule (UTC). A fire time that finds the previous snapshot still
 * running is skipped, not queued, so a slow cluster never builds a backlog.
 */
@ApplicationScoped
public class SnapshotScheduler {
    private static final Logger LOG = Logger.getLogger(SnapshotScheduler.class);

    private record Plan(String expression, Instant next) {}

    private final ClusterRegistry registry;
    private final SnapshotRunner runner;
    private final Map<String, Plan> plans = new ConcurrentHashMap<>();

    public SnapshotScheduler(ClusterRegistry registry, SnapshotRunner runner) {
        this.registry = registry;
        this.runner = runner;
    }

    @Scheduled(every = "${lifeboat.snapshot.scheduler-tick:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (registry.isReady()) {
            tick(Instant.now());
        }
    }

    /** Starts the snapshots that are due at {@code now}; returns how many were started. */
    public int tick(Instant now) {
        int started = 0;
        plans.keySet().retainAll(registry.all().keySet());
        for (Map.Entry<String, ClusterSpec> e : registry.all().entrySet()) {
            String clusterId = e.getKey();
            String expression = e.getValue().schedule();
            if (expression == null) {
                plans.remove(clusterId);
                continue;
            }
            Plan plan = plans.get(clusterId);
            if (plan == null || !plan.expression().equals(expression)) {
                plans.put(clusterId, new Plan(expression, next(expression, now)));
                continue;
            }
            if (plan.next() != null && !now.isBefore(plan.next())) {
                plans.put(clusterId, new Plan(expression, next(expression, now)));
                try {
                    runner.start(clusterId, e.getValue(), SnapshotRunner.Trigger.SCHEDULE);
                    started++;
                } catch (SnapshotInProgressException busy) {
                    LOG.warnf("cluster %s: scheduled snapshot at %s skipped: %s", clusterId, plan.next(),
                            busy.getMessage());
                }
            }
        }
        return started;
    }

    /** The next planned fire time of a cluster, if it has a schedule. */
    public Instant nextFire(String clusterId) {
        Plan plan = plans.get(clusterId);
        return plan == null ? null : plan.next();
    }

    private static Instant next(String expression, Instant now) {
        return CronSchedule.parse(expression).nextAfter(now).orElse(null);
    }
}
