package dev.lifeboat.snapshot.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lifeboat.common.cron.CronSchedule;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.kit.ownership.ClusterOwnership;
import dev.lifeboat.snapshot.config.SnapshotConfig;
import dev.lifeboat.snapshot.metrics.SnapshotMetrics;
import dev.lifeboat.snapshot.taking.SnapshotInProgressException;
import dev.lifeboat.snapshot.taking.SnapshotJobs;
import dev.lifeboat.snapshot.taking.Trigger;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.StoreException;

/**
 * A fire time nobody took is taken late, not skipped: when this replica first plans a cluster
 * (start-up, or it just became the cluster's owner), the cluster's latest fire time within one
 * schedule interval (and {@code catch-up-window}, and not before the schedule applies) is looked
 * up in the primary region; when no snapshot of it is there, it is taken now (trigger SCHEDULE,
 * under the fire's late id, metric {@code lifeboat_snapshot_late_fires_total}). The store is asked
 * on a thread of its own, so a slow store never delays the schedule of other clusters.
 */
@ApplicationScoped
public class FireCatchUp {
    private static final Logger LOG = Logger.getLogger(FireCatchUp.class);

    private final SnapshotJobs jobs;
    private final ClusterOwnership ownership;
    private final SnapshotMetrics metrics;
    private final ObjectStore primary;
    private final Duration window;
    private final ExecutorService checks = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fire-catch-up");
        t.setDaemon(true);
        return t;
    });

    public FireCatchUp(SnapshotJobs jobs, ClusterOwnership ownership, SnapshotMetrics metrics, Regions regions,
                       SnapshotConfig config) {
        this.jobs = jobs;
        this.ownership = ownership;
        this.metrics = metrics;
        this.primary = regions.primary();
        this.window = config.catchUpWindow();
    }

    /** The latest fire time in ({@code since}, {@code now}] within one interval and the window, if any. */
    static Optional<Instant> latestFire(CronSchedule schedule, Instant since, Instant now, Duration window) {
        if (window.isZero() || window.isNegative()) {
            return Optional.empty();
        }
        Duration interval = schedule.interval(now).orElse(window);
        Duration back = interval.compareTo(window) < 0 ? interval : window;
        Instant from = now.minus(back).minusSeconds(1);
        if (since != null && since.isAfter(from)) {
            from = since;
        }
        Instant latest = null;
        for (Optional<Instant> next = schedule.nextAfter(from); next.isPresent() && !next.get().isAfter(now);
             next = schedule.nextAfter(next.get())) {
            latest = next.get();
        }
        return Optional.ofNullable(latest);
    }

    /** Looks for a missed fire of a cluster this replica has just started planning. */
    void firstPlanned(String clusterId, ClusterSpec spec, CronSchedule schedule, Instant since, Instant now) {
        latestFire(schedule, since, now, window).ifPresent(fire -> checks.execute(() -> catchUp(clusterId, spec, fire)));
    }

    private void catchUp(String clusterId, ClusterSpec spec, Instant fire) {
        if (!ownership.owns(clusterId)) {
            return;
        }
        try {
            boolean taken = primary.list(FireIds.prefix(clusterId, fire)).stream()
                    .anyMatch(o -> o.key().endsWith("/" + SnapshotLayout.MANIFEST));
            if (taken) {
                return;
            }
        } catch (StoreException e) {
            LOG.warnf("cluster %s: cannot tell whether fire %s was taken (%s); taking it", clusterId, fire,
                    e.getMessage());
        }
        Duration late = Duration.between(fire, Instant.now());
        try {
            String id = jobs.start(clusterId, spec, Trigger.SCHEDULE, FireIds.late(clusterId, fire));
            metrics.lateFire(clusterId, late);
            LOG.infof("cluster %s: fire %s was not taken (no replica owned the cluster or it was down); "
                    + "snapshot %s taken %d s late", clusterId, fire, id, late.toSeconds());
        } catch (SnapshotInProgressException busy) {
            // recorded as SNAPSHOT_SKIPPED by the jobs: the cluster's snapshot is running now
        } catch (IllegalStateException stopping) {
            LOG.infof("cluster %s: late fire %s not taken: %s", clusterId, fire, stopping.getMessage());
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        checks.shutdownNow();
        checks.awaitTermination(5, TimeUnit.SECONDS);
    }
}
